import { chipForGuess } from "../chips/index.js";
import { DeviceGoneError, type DfuSession, flashTargets, massErase } from "../dfu/index.js";
import { hasBlockingFindings, inspect, recordInspection } from "../doctor/inspect.js";
import { hex, ImageRejectedError } from "../errors.js";
import type { Args } from "./args.js";
import { confirmDestructive } from "./confirm.js";
import { type CommandContext, openContext } from "./context.js";
import { loadForFlash } from "./load-for-flash.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { openTarget } from "./target.js";

/**
 * After leave the loader drops off the bus: that is the success signal, so wait (briefly) to see
 * it, and say what the board did. The doctor's boot watch goes further and classifies what comes back.
 */
async function watchLeaving(ctx: CommandContext, key: string, say: (text: string) => void) {
	const end = ctx.clock.now() + LEAVE_WATCH_MS;
	while (ctx.clock.now() < end) {
		await ctx.watch.refresh();
		if (!ctx.store.getState().devices[key]) {
			say("the bootloader left the bus: the board is running the new image");
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

export class PreflightError extends ImageRejectedError {
	override readonly kind = "preflight";
}

function isOptionBytes(session: DfuSession): boolean {
	return /option/i.test(session.alt.name);
}

/** The inspector judges firmware; OTP, option bytes and feature words hold data, not code. */
function isFlash(session: DfuSession): boolean {
	return /flash/i.test(session.layout?.name ?? session.alt.name);
}

/** One-time-programmable memory: bits written there can never be erased again. */
function isOtp(session: DfuSession): boolean {
	return /\botp\b/i.test(session.alt.name);
}

/** `bringup flash FILE [-s ADDR[:leave|:mass-erase|:force|:will-reset]]`, or dfu-util's `-D FILE`. */
export async function runFlash(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const file = args.download ?? args.inputs[0];
	if (!file && args.detach) return (await import("./detach.js")).runDetach(args);
	// Every check that needs no device comes first: nothing is opened for a file that cannot be flashed.
	const image = await loadForFlash(file, args.dfuse.address);
	for (const warning of image.warnings ?? []) out.line(`note: ${warning}`);
	const force = args.force || args.dfuse.force;

	const ctx = await openContext(args, {
		onEvent: plainPrinter({
			line: out.line,
			...(process.stderr.isTTY ? { progress: (t: string) => process.stderr.write(t) } : {}),
		}),
	});
	try {
		const target = await openTarget(ctx, args, out.line);
		const { session } = target;
		const description = ctx.store.getState().devices[target.key]?.description;
		const chip = chipForGuess(description?.chip);
		out.line(
			`target: ${description?.chip?.name ?? "unknown chip"}, alt ${session.alt.alt} "${session.alt.name.trim()}"`,
		);

		// Pre-flight: the inspector judges the image against this chip before the first erase.
		const inspection = inspect(image, {
			...(chip ? { chip } : {}),
			...(args.dfuse.address !== undefined ? { address: args.dfuse.address } : {}),
			...(session.layout ? { layout: session.layout } : {}),
		});
		if (isFlash(session)) recordInspection(ctx.store, inspection);
		const errors = inspection.findings.filter((f) => f.severity === "error");
		if (isFlash(session) && hasBlockingFindings(inspection)) {
			if (!force)
				throw new PreflightError(
					`not flashing ${image.source}: the inspector found ${errors.length} error${errors.length === 1 ? "" : "s"} for this ${inspection.target ?? "chip"} (${errors.map((f) => f.id).join(", ")}). Nothing was written.`,
					{ file: image.source },
					"Fix the image (or pick the right chip); --force (or -s ...:force) flashes it anyway.",
				);
			out.line("warning: flashing despite the errors above (--force)");
		}
		if (isOptionBytes(session))
			await confirmDestructive(
				"writing option bytes",
				"they set read/write protection and boot behaviour, and the chip resets after the write",
				args.yes || force,
			);
		if (isOtp(session))
			await confirmDestructive(
				"writing OTP memory",
				"one-time-programmable bits can never be erased again",
				args.yes || force,
			);

		let erase = true;
		if (args.dfuse.massErase) {
			await confirmDestructive(
				"mass erase",
				"it erases the whole flash",
				args.yes || args.dfuse.force,
			);
			await massErase(session, { confirmed: true });
			erase = false;
		}

		let jobs: string[] = [];
		let last = 0;
		let verified = false;
		let skipped = 0;
		try {
			const results = await flashTargets(session, image, {
				verify: args.verify,
				leave: args.dfuse.leave,
				force,
				erase,
				delta: !args.full,
				...(args.dfuse.willReset ? { willReset: true } : {}),
			});
			jobs = results.map((r) => r.job);
			skipped = results.flatMap((r) => r.plan?.sectors.filter((s) => s.unchanged) ?? []).length;
			// The core skips the read-back where it cannot happen (option bytes reset the chip).
			verified = results.length > 0 && results.every((r) => r.plan?.summary.verify === true);
			last = results.reduce((sum, r) => sum + r.stats.elapsedMs, 0);
		} catch (error) {
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
		await ctx.close();
	}
}
