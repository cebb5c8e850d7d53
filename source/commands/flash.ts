import { blockingFindings } from "../app/flash-service.js";
import { loadForFlash } from "../app/load-for-flash.js";
import { hex } from "../errors.js";
import { namesSeveral } from "../usb/select.js";
import type { Args } from "./args.js";
import { confirmAll } from "./confirm.js";
import { expectedTime, interruptOnCtrlC, planBoard, runBoard } from "./flash-board.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { withTarget } from "./target.js";

/** `bringup flash FILE [-s ADDR[:leave|:mass-erase|:force|:will-reset]]`, or dfu-util's `-D FILE`. */
export async function runFlash(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const file = args.download ?? args.inputs[0];
	if (!file && args.detach) return (await import("./detach.js")).runDetach(args);
	// --all, or -p/-S given more than once: every board they match, in parallel.
	if (args.all || namesSeveral(args.select))
		return (await import("./flash-all.js")).runFlashAll(args);
	// Every check that needs no device comes first: nothing is opened for a file that cannot be flashed.
	const image = await loadForFlash(file, args.dfuse.address);
	for (const warning of image.warnings ?? []) out.line(`note: ${warning}`);

	const printer = plainPrinter({
		line: out.line,
		...(process.stderr.isTTY ? { progress: (t: string) => process.stderr.write(t) } : {}),
	});
	return withTarget(args, { onEvent: printer, say: out.line }, async (target, ctx) => {
		const { session } = target;
		// As events: --json gets them too.
		const note = (text: string) => session.log("info", text);
		const chip = ctx.store.getState().devices[target.key]?.description?.chip;
		out.line(
			`target: ${chip?.name ?? "unknown chip"}, alt ${session.alt.alt} "${session.alt.name.trim()}"`,
		);
		const plan = await planBoard(ctx, args, image, target, note);
		const { proposal } = plan;
		const expected = expectedTime([plan]);
		if (expected) note(expected);
		for (const check of proposal.checks)
			if (check.status !== "pass") out.line(`${check.status}: ${check.message}`);
		if (proposal.checks.some((c) => c.id === "inspector" && c.status === "forced"))
			out.line("warning: flashing despite the errors above (--force)");
		const confirmed = blockingFindings(proposal).length
			? []
			: await confirmAll(proposal.confirmations, {
					yes: args.yes,
					// dfu-util asks for :force on a mass erase (-s :mass-erase:force); it confirms that alone.
					...(args.dfuse.force ? { also: ["mass-erase"] } : {}),
				});

		const interrupt = interruptOnCtrlC("stopping after the current block (Ctrl-C again ends now)");
		try {
			const outcome = await runBoard(ctx, args, plan, confirmed, interrupt.signal, out.line);
			const total = image.segments.reduce((s, x) => s + x.data.length, 0);
			const skipped = outcome.skippedSectors;
			if (skipped > 0)
				out.line(
					`${skipped} sector${skipped === 1 ? "" : "s"} already held the image: not erased or written (--full writes everything)`,
				);
			out.line(
				`flashed ${total} bytes at ${hex(image.segments[0]?.address ?? 0)}${outcome.verified ? ", verified" : ", not read back"}${args.dfuse.leave ? ", left DFU" : ""}`,
			);
			out.result({
				ok: true,
				file: image.source,
				bytes: total,
				jobs: outcome.jobs,
				elapsedMs: outcome.elapsedMs,
				verified: outcome.verified,
				skippedSectors: skipped,
			});
			return 0;
		} finally {
			interrupt.dispose();
		}
	});
}
