/**
 * One board's flash, as `bringup flash` does it for one board and for each of many: plan it
 * (supply range, proposal, checks), then run it (the flash service, :will-reset, :leave, -R).
 * The caller opens the board (source/commands/target.ts) and answers the confirmations.
 */
import { serialShared } from "../app/boards.js";
import { type FlashProposal, proposeFlash, startFlash } from "../app/flash-service.js";
import { resolveGuess } from "../chips/index.js";
import { hasDeviceFeature } from "../dfu/device-feature.js";
import { DeviceGoneError, InterruptedError, OperationCancelledError } from "../dfu/index.js";
import type { Inspection } from "../doctor/inspect-types.js";
import type { Image } from "../image/image.js";
import type { Args } from "./args.js";
import type { CommandContext } from "./context.js";
import { flashSettings } from "./flash-settings.js";
import { chooseSupply, type SupplyChoice } from "./supply.js";
import type { Target } from "./target.js";

export interface BoardPlan {
	target: Target;
	proposal: FlashProposal;
	supply: SupplyChoice;
}

export interface BoardOutcome {
	jobs: string[];
	/** Every target was read back (the core skips it where it cannot: option bytes reset the chip). */
	verified: boolean;
	/** Sectors a delta flash found already holding the image. */
	skippedSectors: number;
	elapsedMs: number;
}

/**
 * Plans the flash of `image` on an opened board: the supply range given or remembered (said
 * through `note`), the proposal with every check that needs no write. Writes nothing.
 * `inspection`: the verdict already made for this chip (many boards of one kind are judged once);
 * `label` and `batch`: how the board is named among many, and the flash of many it is part of,
 * kept in its plan (a recording of it replays as one row per board).
 */
export async function planBoard(
	ctx: CommandContext,
	args: Args,
	image: Image,
	target: Target,
	note: (text: string) => void,
	options: { inspection?: Inspection; label?: string; batch?: string } = {},
): Promise<BoardPlan> {
	const { session, key } = target;
	const state = ctx.store.getState();
	const described = state.devices[key];
	const chip = await resolveGuess(described?.description?.chip);
	const identity = described?.identity;
	const supply = chooseSupply({
		...(args.voltage !== undefined ? { given: args.voltage } : {}),
		...(identity ? { identity } : {}),
		sameSerialAttached: serialShared(state, key),
		hasDeviceFeature: hasDeviceFeature(session),
		say: note,
	});
	const proposal = proposeFlash(session, image, flashSettings(args, supply), {
		...(chip ? { chip } : {}),
		...(options.inspection ? { inspection: options.inspection } : {}),
		annotate: {
			...(options.label ? { board: options.label } : {}),
			...(options.batch ? { batch: options.batch } : {}),
			...(supply.volts !== undefined && supply.range !== undefined
				? { supplyVolts: supply.volts }
				: {}),
		},
	});
	return { target, proposal, supply };
}

/** The expected time at both widths over the plans, where the loaders have the Device Feature word. */
export function expectedTime(plans: readonly BoardPlan[]): string | undefined {
	let bytewise = 0;
	let word = 0;
	let ranged = false;
	for (const plan of plans) {
		const estimates = plan.proposal.targets.flatMap((t) => t.plan.summary.estimateMs ?? []);
		if (estimates.length === 0) continue;
		// Boards flash in parallel: the slowest one decides.
		bytewise = Math.max(
			bytewise,
			estimates.reduce((sum, e) => sum + e.bytewise, 0),
		);
		// With a range given: the time at that range's width (x32 from 2.7 V, x16 below).
		word = Math.max(
			word,
			estimates.reduce((sum, e) => sum + (e.ranged ?? e.word), 0),
		);
		ranged ||= plan.supply.range !== undefined;
	}
	if (bytewise === 0) return undefined;
	const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	return ranged
		? `expected at most about ${s(word)} with the supply range (${s(bytewise)} byte-wise)`
		: `expected at most about ${s(bytewise)} byte-wise; about ${s(word)} with --voltage (the board's supply, 2.7-3.6 V)`;
}

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

/**
 * Runs a planned board: the flash service refuses a blocked or unconfirmed proposal before any
 * write; a cancel through `signal` (Ctrl-C) ends as an InterruptedError; with :will-reset the
 * device leaving after the write is the expected end; then :leave is watched, or -R resets.
 */
export async function runBoard(
	ctx: CommandContext,
	args: Args,
	plan: BoardPlan,
	confirmed: readonly string[],
	signal: AbortSignal,
	say: (text: string) => void,
): Promise<BoardOutcome> {
	const { target, proposal } = plan;
	const outcome: BoardOutcome = { jobs: [], verified: false, skippedSectors: 0, elapsedMs: 0 };
	try {
		const results = await startFlash(target.session, proposal, { confirmed, signal });
		outcome.jobs = results.map((r) => r.job);
		outcome.skippedSectors = results.flatMap(
			(r) => r.plan?.sectors.filter((s) => s.unchanged) ?? [],
		).length;
		outcome.verified = results.length > 0 && results.every((r) => r.plan?.summary.verify === true);
		outcome.elapsedMs = results.reduce((sum, r) => sum + r.stats.elapsedMs, 0);
	} catch (error) {
		if (error instanceof OperationCancelledError && signal.aborted)
			throw new InterruptedError(error);
		if (!(args.dfuse.willReset && error instanceof DeviceGoneError)) throw error;
		say("the device reset after the write, as :will-reset expects");
	}
	if (args.dfuse.leave) await watchLeaving(ctx, target.key, say);
	else if (args.reset) {
		// dfu-util's -R: a USB reset when done; the device going away during it is the point.
		await target.device.reset().catch(() => {});
		say("USB reset sent");
	}
	return outcome;
}

/**
 * Ctrl-C stops every running flash between two blocks (the device back in dfuIDLE, the error says
 * what the chip holds); a second Ctrl-C ends at once.
 */
export function interruptOnCtrlC(message: string): { signal: AbortSignal; dispose(): void } {
	const interrupt = new AbortController();
	const onInterrupt = () => {
		if (interrupt.signal.aborted) process.exit(130);
		process.stderr.write(`\nCtrl-C: ${message}\n`);
		interrupt.abort();
	};
	process.on("SIGINT", onInterrupt);
	return { signal: interrupt.signal, dispose: () => process.off("SIGINT", onInterrupt) };
}
