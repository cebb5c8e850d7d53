import type { Args } from "./args.js";
import { takeLateErrors } from "./late-errors.js";
import { exitCodeOf, renderError } from "./render-error.js";

/**
 * Dispatch: each command module is imported only when it runs, so `--version` and the headless
 * commands never load Ink, React or the native USB module.
 */
export async function main(argv: string[]): Promise<number> {
	const code = await runCommand(argv);
	let worst = code;
	for (const error of takeLateErrors()) {
		process.stderr.write(`${renderError(error)}\n`);
		if (worst === 0) worst = error.exitCode;
	}
	return worst;
}

async function runCommand(argv: string[]): Promise<number> {
	let args: Args | undefined;
	// The one question scripts ask most often answers without loading the argument parser.
	if (argv.length === 1 && (argv[0] === "--version" || argv[0] === "-V")) {
		const { VERSION } = await import("./version.js");
		process.stdout.write(`bringup ${VERSION}\n`);
		return 0;
	}
	try {
		const { parseArgs } = await import("./args.js");
		args = parseArgs(argv);
		switch (args.command) {
			case "version": {
				const { VERSION } = await import("./version.js");
				process.stdout.write(`bringup ${VERSION}\n`);
				return 0;
			}
			case "help":
				process.stdout.write(`${args.help.trim()}\n`);
				return 0;
			case "app": {
				if (!process.stdout.isTTY || !process.stdin.isTTY) {
					process.stdout.write(`${args.help.trim()}\n`);
					return 0;
				}
				const { importAssistant } = await import("./import-assistant.js");
				return await (await importAssistant()).runApp(args);
			}
			case "list":
				return await (await import("./list.js")).runList(args);
			case "flash":
				return await (await import("./flash.js")).runFlash(args);
			case "read":
				return await (await import("./read.js")).runRead(args);
			case "erase":
			case "unprotect":
				return await (await import("./destructive.js")).runDestructive(args);
			case "inspect":
				return await (await import("./inspect.js")).runInspect(args);
			case "doctor":
				return await (await import("./doctor.js")).runDoctorCommand(args);
			case "convert":
				return await (await import("./convert.js")).runConvert(args);
			case "replay":
				return await (await import("./replay.js")).runReplay(args);
			case "sim":
				return await (await import("./sim.js")).runSim(args);
		}
	} catch (error) {
		if (args?.json) {
			const { errorInfo } = await import("./render-error.js");
			process.stdout.write(
				`${JSON.stringify({ type: "result", ok: false, error: errorInfo(error) })}\n`,
			);
		} else {
			process.stderr.write(`${renderError(error)}\n`);
		}
		return exitCodeOf(error);
	}
}
