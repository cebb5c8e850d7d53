import {
	blockingFindings,
	type FlashProposal,
	proposeFlash,
	startFlash,
} from "../app/flash-service.js";
import { loadForFlash } from "../app/load-for-flash.js";
import { resolveGuess } from "../chips/index.js";
import { hasDeviceFeature } from "../dfu/device-feature.js";
import { DeviceGoneError, InterruptedError, OperationCancelledError } from "../dfu/index.js";
import { hex } from "../errors.js";
import type { Args } from "./args.js";
import { confirmAll } from "./confirm.js";
import type { CommandContext } from "./context.js";
import { flashSettings } from "./flash-settings.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { chooseSupply, type SupplyChoice } from "./supply.js";
import { withTarget } from "./target.js";

/**
 * After leave the loader drops off the bus: that is the success signal, so wait (briefly) to see
 * it, and say what the board did. The doctor's boot watch goes further and classifies what comes back.
 */
async function watchLeaving(ctx: CommandContext, key: string, say: (text: string) => void) {
	const end = ctx.clock.now() + LEAVE_WATCH_MS;
	while (ctx.clock.now() < end) {
		await ctx.watch.refresh();
		if (!ctx.store.getState().devices[key]) {
			// Leaving the bus proves the loader jumped, not that the image runs (it may fault at once).
			say(
				"the bootloader left the bus: the chip jumped to the image (whether it runs: watch the board, or run bringup doctor)",
			);
			return;
		}
		await ctx.clock.sleep(100);
	}
	say(
		`the bootloader is still on the bus ${LEAVE_WATCH_MS / 1000} s after leave: check BOOT0, or run bringup doctor`,
	);
}

const LEAVE_WATCH_MS = 3000;

/** dfu-util's `-R`: a USB reset when done; the device going away during it is the point. */
async function resetDevice(device: USBDevice, say: (text: string) => void) {
	await device.reset().catch(() => {});
	say("USB reset sent");
}

/** The expected time at both widths, where the loader has the Device Feature word. */
function sayExpectedTime(
	proposal: FlashProposal,
	supply: SupplyChoice,
	say: (text: string) => void,
) {
	const estimates = proposal.targets.flatMap((t) => t.plan.summary.estimateMs ?? []);
	if (estimates.length === 0) return;
	const bytewise = estimates.reduce((sum, e) => sum + e.bytewise, 0);
	const word = estimates.reduce((sum, e) => sum + e.word, 0);
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	say(
		supply.range !== undefined
			? `expected at most about ${s(word)} with the supply range (${s(bytewise)} byte-wise)`
			: `expected at most about ${s(bytewise)} byte-wise; about ${s(word)} with --voltage (the board's supply, 2.7-3.6 V)`,
	);
}

/** `bringup flash FILE [-s ADDR[:leave|:mass-erase|:force|:will-reset]]`, or dfu-util's `-D FILE`. */
export async function runFlash(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const file = args.download ?? args.inputs[0];
	if (!file && args.detach) return (await import("./detach.js")).runDetach(args);
	if (args.all) return (await import("./flash-all.js")).runFlashAll(args);
	// Every check that needs no device comes first: nothing is opened for a file that cannot be flashed.
	const image = await loadForFlash(file, args.dfuse.address);
	for (const warning of image.warnings ?? []) out.line(`note: ${warning}`);

	const printer = plainPrinter({
		line: out.line,
		...(process.stderr.isTTY ? { progress: (t: string) => process.stderr.write(t) } : {}),
	});
	return withTarget(args, { onEvent: printer, say: out.line }, async (target, ctx) => {
		const cleanups: (() => void)[] = [];
		try {
			const { session } = target;
			const description = ctx.store.getState().devices[target.key]?.description;
			const chip = await resolveGuess(description?.chip);
			out.line(
				`target: ${description?.chip?.name ?? "unknown chip"}, alt ${session.alt.alt} "${session.alt.name.trim()}"`,
			);

			const identity = ctx.store.getState().devices[target.key]?.identity;
			const supply = chooseSupply({
				...(args.voltage !== undefined ? { given: args.voltage } : {}),
				...(identity ? { identity } : {}),
				sameSerialAttached: Object.values(ctx.store.getState().devices).some(
					(d) =>
						d.identity.key !== target.key &&
						!!identity?.serial &&
						d.identity.serial === identity.serial,
				),
				hasDeviceFeature: hasDeviceFeature(session),
				// As events: --json gets them too.
				say: (text) => session.log("info", text),
			});

			const proposal = proposeFlash(
				session,
				image,
				{
					...flashSettings(args, supply),
					...(args.dfuse.willReset ? { willReset: true } : {}),
				},
				chip ? { chip } : {},
			);
			sayExpectedTime(proposal, supply, (text) => session.log("info", text));
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

			// Ctrl-C stops between two blocks (the device back in dfuIDLE, the error says what the chip
			// holds); a second Ctrl-C ends at once.
			const interrupt = new AbortController();
			const onInterrupt = () => {
				if (interrupt.signal.aborted) process.exit(130);
				process.stderr.write(
					"\nCtrl-C: stopping after the current block (Ctrl-C again ends now)\n",
				);
				interrupt.abort();
			};
			process.on("SIGINT", onInterrupt);
			cleanups.push(() => process.off("SIGINT", onInterrupt));

			let jobs: string[] = [];
			let last = 0;
			let verified = false;
			let skipped = 0;
			try {
				const results = await startFlash(session, proposal, {
					confirmed,
					signal: interrupt.signal,
				});
				jobs = results.map((r) => r.job);
				skipped = results.flatMap((r) => r.plan?.sectors.filter((s) => s.unchanged) ?? []).length;
				// The core skips the read-back where it cannot happen (option bytes reset the chip).
				verified = results.length > 0 && results.every((r) => r.plan?.summary.verify === true);
				last = results.reduce((sum, r) => sum + r.stats.elapsedMs, 0);
			} catch (error) {
				if (error instanceof OperationCancelledError && interrupt.signal.aborted)
					throw new InterruptedError(error);
				if (!(args.dfuse.willReset && error instanceof DeviceGoneError)) throw error;
				out.line("the device reset after the write, as :will-reset expects");
			}
			if (args.dfuse.leave) await watchLeaving(ctx, target.key, out.line);
			else if (args.reset) await resetDevice(target.device, out.line);
			const total = image.segments.reduce((s, x) => s + x.data.length, 0);
			if (skipped > 0)
				out.line(
					`${skipped} sector${skipped === 1 ? "" : "s"} already held the image: not erased or written (--full writes everything)`,
				);
			out.line(
				`flashed ${total} bytes at ${hex(image.segments[0]?.address ?? 0)}${verified ? ", verified" : ", not read back"}${args.dfuse.leave ? ", left DFU" : ""}`,
			);
			out.result({
				ok: true,
				file: image.source,
				bytes: total,
				jobs,
				elapsedMs: last,
				verified,
				skippedSectors: skipped,
			});
			return 0;
		} finally {
			for (const cleanup of cleanups) cleanup();
		}
	});
}
