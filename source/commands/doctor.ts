import { doctorJson, runDoctor } from "../doctor/doctor.js";
import { doctorReport } from "../doctor/report-doctor.js";
import { UsageError } from "../errors.js";
import { loadImage } from "../image/load.js";
import type { Args } from "./args.js";
import { createOutput } from "./output.js";
import { prepareOutput } from "./output-file.js";
import { plainPrinter } from "./printer.js";
import { withTarget } from "./target.js";

/**
 * `bringup doctor [--image FILE] [--sha256 HEX] [--report FILE] [--json]`: the checklist's automatic
 * steps against the connected board, then the bench checks that remain. With --json the last line
 * is `{"type":"result", ok, steps, verdict}`. Every file and value is checked before the device is
 * touched: the doctor leaves DFU mode to watch the board boot, so a late typo costs a replug.
 */
export async function runDoctorCommand(args: Args): Promise<number> {
	const out = createOutput(args.json);
	if (args.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(args.sha256.trim()))
		throw new UsageError(
			`--sha256 ${args.sha256}: a SHA-256 is 64 hex digits`,
			{ sha256: args.sha256 },
			"e.g. --sha256 $(sha256sum app.bin | cut -c1-64), or give the file itself with --image.",
		);
	const report = args.report
		? prepareOutput(args.report, "the report", { force: args.force })
		: undefined;
	const address = args.address ?? args.dfuse.address;
	const imageFile = args.image ?? args.inputs[0];
	const image = imageFile
		? await loadImage(imageFile, address === undefined ? {} : { address })
		: undefined;
	const printer = plainPrinter({ line: out.line });
	return withTarget(args, { onEvent: printer, say: out.line }, async ({ device, session }, ctx) => {
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
		if (report) {
			await report.commit(
				doctorReport(result, ctx.store.getState(), {
					...(imageFile ? { image: imageFile } : {}),
					...(args.sha256 ? { sha256: args.sha256 } : {}),
					date: new Date().toISOString().slice(0, 10),
				}),
			);
			out.line(`report written to ${args.report}`);
		}
		out.result({ ok: !result.verdict, ...doctorJson(result) });
		return result.verdict ? 1 : 0;
	});
}
