/**
 * Runs a download plan on a DfuSe device: erase the planned sectors, program in blocks with one
 * Set Address per contiguous run, verify by reading back, leave. Also the multi-target form for
 * DfuSe files whose elements address several alt settings.
 */

import { vidPid } from "../format.js";
import type { Image } from "../image/image.js";
import type { AltSettingInfo, SectorState } from "../store/events.js";
import {
	hasDeviceFeature,
	setVoltageRange,
	type VoltageRangeCode,
	voltageRangeLabel,
} from "./device-feature.js";
import { erasePage, setAddress, withWedgeRecovery, writeDataBlock } from "./dfuse.js";
import {
	DfuStatusError,
	DfuTransferError,
	DfuUnsupportedError,
	OperationCancelledError,
	VerifyError,
} from "./errors.js";
import { type JobContext, type JobStats, runJob } from "./job.js";
import { altKind } from "./layout.js";
import { leaveTo } from "./leave.js";
import { downloadPlain } from "./plain-dfu.js";
import {
	compareRanges,
	type EraseStep,
	FIRST_DATA_BLOCK,
	type FlashPlan,
	PlanError,
	type PlanOptions,
	planDownload,
	type VerifyRange,
	type WriteBlock,
} from "./plan.js";
import type { DfuSession } from "./session.js";
import { estimateFlash } from "./supply-range.js";
import { readRange } from "./upload.js";

export interface FlashOptions extends Pick<PlanOptions, "current" | "writeAlignment"> {
	/** Read back and compare (default true). */
	verify?: boolean;
	/** Jump to the image start when done (default false). */
	leave?: boolean;
	/** dfu-util's :force: write outside the writable map. */
	force?: boolean;
	/** False when the chip was just mass-erased. */
	erase?: boolean;
	/**
	 * Read the touched sectors first and leave those that already hold exactly what a full flash
	 * would leave alone (no erase, no write, no second read: the first read was their verify).
	 * Re-flashing the same firmware becomes one read. Not after a mass erase or on option bytes.
	 */
	delta?: boolean;
	/**
	 * F2/F4/F7: write this AN2606 Table 4 voltage range to the Device Feature word first (3 =
	 * 2.7-3.6 V, programs 32 bits at a time instead of bytes). Only if the board's VDD is known.
	 */
	voltageRange?: VoltageRangeCode;
	/**
	 * The chip resets after the write (option bytes): stop at the last block's dfuDNBUSY reply and
	 * skip verify and leave, like dfu-util's :will-reset. Default: true on an "Option Bytes" alt.
	 */
	willReset?: boolean;
	job?: string;
	/** The plan made for a confirmation (by `planTarget`): run exactly that one. */
	plan?: FlashPlan;
	/** The caller already recorded `flash.planned` for `job` with this plan: not again. */
	announced?: boolean;
	/** Cancels between two requests (the UI's cancel); the device is brought back to dfuIDLE. */
	signal?: AbortSignal;
}

/** Option-byte alts: the loader applies the write and resets the chip (AN2662 Fig. 56 notes). */
export function resetsAfterWrite(alt: AltSettingInfo): boolean {
	return altKind(alt) === "option-bytes";
}

export interface FlashResult {
	job: string;
	/** Absent for plain DFU devices, which have no memory map to plan against. */
	plan?: FlashPlan;
	stats: JobStats;
}

/**
 * A DFU suffix names the device a file is for (0xFFFF: any). dfu-util refuses a mismatch ("File ID
 * ... does not match device"); so does this, unless forced.
 */
function checkFileTarget(session: DfuSession, image: Image, force: boolean | undefined): void {
	const suffix = image.suffix;
	if (!suffix || force) return;
	const { vendorId, productId } = session.device;
	const differs = (want: number, have: number) => want !== 0xffff && want !== have;
	if (differs(suffix.vendorId, vendorId) || differs(suffix.productId, productId)) {
		throw new PlanError(
			`${image.source} is for USB device ${vidPid(suffix.vendorId, suffix.productId)} (its DFU suffix), not the connected ${vidPid(vendorId, productId)}`,
			{ file: image.source, vendorId: suffix.vendorId, productId: suffix.productId },
			"Check it is the right file for this board; --force (or -s :force) flashes it anyway.",
		);
	}
}

/** Plans without touching the device: what `flashImage` would do (for a confirmation screen). */
export function planFor(session: DfuSession, image: Image, options: FlashOptions = {}): FlashPlan {
	return planTarget(session, image, session.alt, options);
}

/** Plans the download of `image` to `alt` (any alt of the session's interface, not only the selected one). */
export function planTarget(
	session: DfuSession,
	image: Image,
	alt: AltSettingInfo,
	options: FlashOptions = {},
): FlashPlan {
	checkFileTarget(session, image, options.force);
	if (session.isRuntime)
		throw new DfuUnsupportedError(
			"the device is in run-time mode; it has to be detached into DFU mode before flashing",
			{},
			"Detach it first with bringup -e (dfu-util -e), or use BOOT0 + reset, then flash the DFU-mode device.",
		);
	const layout = alt.layout;
	if (!layout)
		throw new DfuUnsupportedError(
			`alt ${alt.alt} ("${alt.name.trim()}") has no DfuSe memory layout`,
			{ alt: alt.alt },
		);
	const willReset = options.willReset ?? resetsAfterWrite(alt);
	const plan = planDownload(image, {
		layout,
		transferSize: session.transferSize,
		consecutiveBlocks: session.blocksFollowPointer,
		alt: alt.alt,
		altName: alt.name,
		...options,
		// Nothing answers after the reset: no read-back, no leave.
		...(willReset ? { verify: false, leave: false } : {}),
	});
	// A delta flash compares first, unless there is nothing to compare (a mass erase just ran,
	// the chip resets after the write, the memory is not erasable).
	const compare =
		(options.delta ?? false) &&
		options.current === undefined &&
		(options.erase ?? true) &&
		!willReset &&
		compareRanges(plan, layout).length > 0;
	if (compare) plan.summary.compare = true;
	if (options.voltageRange !== undefined)
		plan.summary.voltageRange = voltageRangeLabel(options.voltageRange);
	// Loaders with the Device Feature word program faster once told the supply: show both times.
	if (hasDeviceFeature(session) && plan.totalBytes > 0) {
		const { bytewiseMs, wordMs, rangedMs } = estimateFlash(plan, options.voltageRange);
		plan.summary.estimateMs = {
			bytewise: Math.round(bytewiseMs),
			word: Math.round(wordMs),
			...(rangedMs !== undefined ? { ranged: Math.round(rangedMs) } : {}),
		};
	}
	return plan;
}

function checkCancel(signal: AbortSignal | undefined, operation: string, address?: number) {
	if (signal?.aborted) throw new OperationCancelledError(operation, address);
}

/**
 * Erases the planned sectors; returns those the device never confirmed (it wedged and was taken
 * at its word, as STM32CubeProgrammer does), which must be read back even without verify.
 */
async function erasePhase(
	ctx: JobContext,
	plan: FlashPlan,
	signal?: AbortSignal,
): Promise<EraseStep[]> {
	const total = plan.erase.reduce((sum, s) => sum + s.size, 0);
	const assumed: EraseStep[] = [];
	await ctx.phase("erase", total, async () => {
		let done = 0;
		for (const sector of plan.erase) {
			checkCancel(signal, "erase", sector.address);
			try {
				await erasePage(ctx.session, sector.address, undefined, () => assumed.push(sector));
			} catch (error) {
				ctx.sector(sector.address, sector.size, "failed");
				throw error;
			}
			done += sector.size;
			ctx.sector(sector.address, sector.size, "erased");
			ctx.progress("erase", done, total, sector.address);
		}
	});
	return assumed;
}

/** The written ranges inside `sectors`, with their bytes: what an unconfirmed erase puts at risk. */
function rangesIn(plan: FlashPlan, sectors: EraseStep[]): VerifyRange[] {
	const inside = (b: WriteBlock) =>
		sectors.some((s) => b.address < s.address + s.size && s.address < b.address + b.length);
	return plan.blocks
		.filter(inside)
		.map((b) => ({ address: b.address, length: b.length, data: b.data }));
}

/**
 * Emits `state` for each sector once all of the phase's bytes in it are behind `upTo`; sectors
 * the phase does not touch (unchanged in a delta flash) get nothing.
 */
function sectorTracker(
	ctx: JobContext,
	plan: FlashPlan,
	ranges: { address: number; length: number }[],
	state: "written" | "verified",
) {
	const pending = plan.sectors
		.map((s) => {
			let last = -1;
			for (const r of ranges) {
				const from = Math.max(r.address, s.address);
				const to = Math.min(r.address + r.length, s.address + s.size);
				if (from < to) last = Math.max(last, to);
			}
			return { sector: s, until: last };
		})
		.filter((p) => p.until >= 0);
	return (upTo: number) => {
		while (pending.length && pending[0]!.until <= upTo) {
			const { sector } = pending.shift()!;
			ctx.sector(sector.address, sector.size, state);
		}
	};
}

function sectorOf(plan: FlashPlan, address: number) {
	return plan.sectors.find((s) => address >= s.address && address < s.address + s.size);
}

async function programPhase(
	ctx: JobContext,
	plan: FlashPlan,
	willReset: boolean,
	signal?: AbortSignal,
): Promise<void> {
	const session = ctx.session;
	const total = plan.totalBytes;
	const advance = sectorTracker(ctx, plan, plan.runs, "written");
	await ctx.phase("program", total, async () => {
		let done = 0;
		let base = 0;
		for (const [i, block] of plan.blocks.entries()) {
			checkCancel(signal, "program", block.address);
			const site = {
				operation: `write of block ${i + 1}/${plan.blocks.length}`,
				address: block.address,
				block: block.blockNum,
			};
			try {
				if (block.setAddress) {
					await setAddress(session, block.address);
					base = block.address;
				}
				let attempted = false;
				await withWedgeRecovery(session, site, async () => {
					// After a recovery the pointer is set again at this block.
					if (attempted) {
						await setAddress(session, block.address);
						base = block.address;
					}
					attempted = true;
					const blockNum = FIRST_DATA_BLOCK + (block.address - base) / plan.transferSize;
					const last = i === plan.blocks.length - 1;
					await writeDataBlock(
						session,
						blockNum,
						block.data,
						{ ...site, block: blockNum },
						willReset && last,
					);
				});
			} catch (error) {
				const sector = sectorOf(plan, block.address);
				if (sector) ctx.sector(sector.address, sector.size, "failed");
				throw error;
			}
			done += block.length;
			ctx.progress("program", done, total, block.address);
			advance(block.address + block.length);
		}
	});
}

async function verifyPhase(
	ctx: JobContext,
	plan: FlashPlan,
	image: Image,
	signal?: AbortSignal,
	ranges: VerifyRange[] = plan.verify,
): Promise<void> {
	const total = ranges.reduce((sum, r) => sum + r.length, 0);
	const advance = sectorTracker(ctx, plan, ranges, "verified");
	await ctx.phase("verify", total, async () => {
		let done = 0;
		for (const range of ranges) {
			const got = await readRange(ctx.session, range.address, range.length, (at, bytes) => {
				checkCancel(signal, "verify", at);
				const offset = at - range.address;
				for (let i = 0; i < bytes.length; i++) {
					const want = range.data[offset + i]!;
					if (want !== bytes[i]) {
						const address = at + i;
						const sector = sectorOf(plan, address);
						if (sector) ctx.sector(sector.address, sector.size, "failed");
						throw new VerifyError(
							address,
							want,
							bytes[i]!,
							image.source,
							plan.summary.voltageRange,
						);
					}
				}
				done += bytes.length;
				ctx.progress("verify", done, total, at);
				advance(at + bytes.length);
			});
			if (got < range.length) {
				const at = range.address + got;
				throw new DfuTransferError(
					{ operation: "verify read", address: at },
					`device returned only ${got} of ${range.length} bytes`,
				);
			}
		}
	});
}

/**
 * Delta flash, first step: reads every erasable sector the image touches and plans again with
 * what the device holds, so that sectors already holding the image are skipped. Their read-back
 * is their verify. If the device cannot be read (read protection), everything is written.
 */
async function comparePhase(
	ctx: JobContext,
	image: Image,
	plan: FlashPlan,
	options: FlashOptions,
): Promise<FlashPlan> {
	const session = ctx.session;
	const layout = session.layout;
	if (!layout) return plan;
	const ranges = compareRanges(plan, layout);
	const total = ranges.reduce((sum, r) => sum + r.length, 0);
	return ctx.phase("compare", total, async () => {
		const segments: Image["segments"] = [];
		let done = 0;
		try {
			for (const range of ranges) {
				const data = new Uint8Array(range.length);
				const got = await readRange(session, range.address, range.length, (at, bytes) => {
					checkCancel(options.signal, "compare", at);
					data.set(bytes, at - range.address);
					done += bytes.length;
					ctx.progress("compare", done, total, at);
				});
				segments.push({ address: range.address, data: data.subarray(0, got) });
			}
		} catch (error) {
			if (!(error instanceof DfuStatusError) && !(error instanceof DfuTransferError)) throw error;
			session.log(
				"warn",
				`cannot read the device to compare (${error.message}); erasing and writing every sector`,
			);
			await session.ensureIdle();
			return plan;
		}
		const delta = planFor(session, image, {
			...options,
			current: { format: "bin", source: "device", segments },
		});
		for (const sector of delta.sectors)
			if (sector.unchanged) ctx.sector(sector.address, sector.size, "unchanged");
		return delta;
	});
}

/** What the chip holds after a cancel, sector by sector, in one sentence. */
export function onChipAfterCancel(
	plan: FlashPlan,
	reached: ReadonlyMap<number, SectorState>,
): string {
	const count = { image: 0, written: 0, erased: 0, old: 0 };
	for (const sector of plan.sectors) {
		const state = reached.get(sector.address);
		if (state === "unchanged" || state === "verified") count.image++;
		else if (state === "written" || state === "failed") count.written++;
		else if (state === "erased") count.erased++;
		else count.old++;
	}
	if (count.written + count.erased === 0)
		return "nothing was erased or written: the chip holds what it held before";
	const n = (k: number, what: string) => `${k} sector${k === 1 ? "" : "s"} ${what}`;
	const parts = [
		count.image ? n(count.image, "hold the image") : "",
		count.written ? n(count.written, "written, not verified") : "",
		count.erased ? n(count.erased, "erased or partly written") : "",
		count.old ? n(count.old, "as before") : "",
	].filter(Boolean);
	return `on the chip now: ${parts.join(", ")}; it does not hold the whole image`;
}

/** Flashes an image: plan (refusing what does not fit before any request), erase, program, verify, leave. */
export async function flashImage(
	session: DfuSession,
	image: Image,
	options: FlashOptions = {},
): Promise<FlashResult> {
	if (!session.isDfuse) {
		checkFileTarget(session, image, options.force);
		const only = image.segments.length === 1 ? image.segments[0] : undefined;
		if (!only)
			throw new DfuUnsupportedError(
				"a plain DFU device takes one contiguous image; this image has several segments",
			);
		const { job, stats } = await downloadPlain(session, only.data, {
			...(options.job ? { job: options.job } : {}),
			file: image.source,
		});
		return { job, stats };
	}
	// What the device holds is read here, in the job, never taken from the caller: a skipped
	// sector's read-back is its verify.
	const { current: _given, plan: given, announced: _announced, ...rest } = options;
	let plan = given ?? planFor(session, image, rest);
	const willReset = options.willReset ?? resetsAfterWrite(session.alt);
	if (options.voltageRange !== undefined) await setVoltageRange(session, options.voltageRange);
	for (const warning of plan.warnings) session.log("warn", warning);
	const summary = plan.summary;
	// What each sector went through, so that a cancel can say what the chip holds now.
	const reached = new Map<number, SectorState>();
	const run = async (jobCtx: JobContext) => {
		const ctx: JobContext = {
			...jobCtx,
			sector: (address, size, state) => {
				reached.set(address, state);
				jobCtx.sector(address, size, state);
			},
		};
		try {
			await body(ctx);
		} catch (error) {
			if (error instanceof OperationCancelledError && !error.onChip)
				throw error.withOnChip(onChipAfterCancel(plan, reached));
			throw error;
		}
	};
	const body = async (ctx: JobContext) => {
		if (summary.compare) plan = await comparePhase(ctx, image, plan, rest);
		const assumed = await erasePhase(ctx, plan, options.signal);
		await programPhase(ctx, plan, willReset, options.signal);
		if (willReset) {
			session.log(
				"info",
				resetsAfterWrite(session.alt)
					? "the device applies the write and resets now; it will re-enumerate"
					: "stopped at the last block's dfuDNBUSY (:will-reset): not read back, not returned to dfuIDLE",
			);
			return;
		}
		if (plan.summary.verify) await verifyPhase(ctx, plan, image, options.signal);
		else if (assumed.length > 0) {
			// Without verify nothing would ever check an erase the device did not confirm.
			const ranges = rangesIn(plan, assumed);
			const bytes = ranges.reduce((sum, r) => sum + r.length, 0);
			session.log(
				"warn",
				`${assumed.length} sector${assumed.length === 1 ? "" : "s"} never confirmed erased (the device wedged): reading back the ${bytes} bytes written there although verify is off`,
			);
			await verifyPhase(ctx, plan, image, options.signal, ranges);
		} else await ctx.session.ensureIdle();
		if (plan.summary.leave) await ctx.phase("leave", 0, () => leaveTo(ctx.session, plan.start));
	};
	const announced = options.announced === true && given !== undefined;
	const { job, stats } = await runJob(session, summary, options.job, run, { announced });
	return { job, plan, stats };
}

/**
 * Flashes every target of a DfuSe file: segments are grouped by their alt setting (segments
 * without one go to the session's alt), one job per alt, option bytes last because writing them
 * resets the chip. Leave, if asked, happens after the last flash-memory target.
 */
export async function flashTargets(
	session: DfuSession,
	image: Image,
	options: FlashOptions = {},
): Promise<FlashResult[]> {
	const current = session.alt.alt;
	const byAlt = new Map<number, Image["segments"]>();
	for (const segment of image.segments) {
		const alt = segment.alt ?? current;
		byAlt.set(alt, [...(byAlt.get(alt) ?? []), segment]);
	}
	const isOptionBytes = (alt: number) => {
		const info = session.info.alts.find((a) => a.alt === alt);
		return info !== undefined && altKind(info) === "option-bytes";
	};
	const order = [...byAlt.keys()].sort(
		(a, b) => Number(isOptionBytes(a)) - Number(isOptionBytes(b)) || a - b,
	);
	const lastFlash = [...order].reverse().find((alt) => !isOptionBytes(alt));
	const results: FlashResult[] = [];
	for (const alt of order) {
		if (session.alt.alt !== alt) await session.selectAlt(alt);
		const part: Image = { ...image, segments: byAlt.get(alt)! };
		const { job: _job, ...rest } = options;
		results.push(
			await flashImage(session, part, {
				...rest,
				leave: (options.leave ?? false) && alt === lastFlash && !order.some(isOptionBytes),
			}),
		);
	}
	return results;
}
