import { writeFile } from "node:fs/promises";
import { doctorJson, runDoctor } from "../doctor/doctor.js";
import { doctorReport } from "../doctor/report-doctor.js";
import { loadImage } from "../image/load.js";
import type { Args } from "./args.js";
import { openContext } from "./context.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { openTarget } from "./target.js";

/**
 * `bringup doctor [--image FILE] [--sha256 HEX] [--report FILE] [--json]`: the checklist's automatic
 * steps against the connected board, then the bench checks that remain. With --json the last line
 * is `{steps, verdict}`.
 */
export async function runDoctorCommand(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const address = args.address ?? args.dfuse.address;
	const imageFile = args.image ?? args.inputs[0];
	const image = imageFile
		? await loadImage(imageFile, address === undefined ? {} : { address })
		: undefined;
	const ctx = await openContext(args, { onEvent: plainPrinter({ line: out.line }) });
	try {
		const { device, session } = await openTarget(ctx, args, out.line);
		await session.close();
		const result = await runDoctor({
			device,
			usb: ctx.usb,
			store: ctx.store,
			clock: ctx.clock,
			backend: ctx.backend,
			watch: ctx.watch,
			...(image ? { image } : {}),
			...(args.sha256 ? { sha256: args.sha256 } : {}),
			...(address !== undefined ? { address } : {}),
		});
		if (result.verdict) out.line(`\nverdict: ${result.verdict.message}`);
		else out.line("\nverdict: every automatic check passed");
		if (result.remaining.length) {
			out.line("\nbench checks that remain (the assistant's Checklist screen walks through them):");
			for (const step of result.remaining) out.line(`  - ${step.title}`);
		}
		if (args.report) {
			await writeFile(
				args.report,
				doctorReport(result, ctx.store.getState(), {
					...(imageFile ? { image: imageFile } : {}),
					...(args.sha256 ? { sha256: args.sha256 } : {}),
					date: new Date().toISOString().slice(0, 10),
				}),
			);
			out.line(`report written to ${args.report}`);
		}
		if (args.json) process.stdout.write(`${JSON.stringify(doctorJson(result))}\n`);
		return result.verdict ? 1 : 0;
	} finally {
		await ctx.close();
	}
}
