/**
 * Pure planning: an image, the device's memory layout and its transfer size become the exact
 * steps of a download (sectors to erase, blocks to write, ranges to verify). Nothing here talks to
 * a device, so every rule ("never erase a sector the image does not touch", "refuse what is not
 * writable before sending anything") is tested as a table.
 */
import { hex, ImageRejectedError } from "../errors.js";
import { type Image, readImage } from "../image/image.js";
import type { FlashPlanSummary, MemoryLayout, PlannedSector } from "../store/events.js";
import { contiguousEnd, pageAt, pagesTouching, segmentAt, segmentEnd } from "./layout.js";

/** Highest wBlockNum; a longer run gets a fresh Set Address and starts again at 2. */
const MAX_BLOCK_NUM = 0xffff;
/** DfuSe data blocks start at wBlockNum 2 (0 is the command channel, 1 is unused). */
export const FIRST_DATA_BLOCK = 2;

export interface PlanOptions {
	layout: MemoryLayout;
	/** wTransferSize from the DFU functional descriptor. */
	transferSize: number;
	alt: number;
	altName?: string;
	/** Let addresses outside writable memory through, like dfu-util's `:force`. */
	force?: boolean;
	/** Read back and compare after writing (default true). */
	verify?: boolean;
	/** Leave DFU (jump to the image start) at the end (default false). */
	leave?: boolean;
	/** False after a mass erase: nothing left to erase (default true). */
	erase?: boolean;
	/**
	 * False when the blocks are not the loader's own wTransferSize (-t): a Set Address precedes
	 * every block, since the loader's (wBlockNum − 2) × wTransferSize would misplace them.
	 */
	consecutiveBlocks?: boolean;
	/** The family's flash write unit in bytes (AN2606 Table 7: 4, 8 or 16; default 4). */
	writeAlignment?: number;
	/**
	 * What the device holds now over the sectors the image touches (`compareRanges`, read before
	 * planning). Sectors that already hold exactly what a full flash would leave there are neither
	 * erased, written nor read again: that read was their verify.
	 */
	current?: Image;
}

export interface EraseStep {
	address: number;
	size: number;
}

/** One DNLOAD data block. `setAddress` says a Set Address Pointer to `address` precedes it. */
export interface WriteBlock {
	address: number;
	length: number;
	blockNum: number;
	setAddress: boolean;
	data: Uint8Array;
}

export interface Range {
	address: number;
	length: number;
}

/** A range to read back, with the bytes it must hold. */
export interface VerifyRange extends Range {
	data: Uint8Array;
}

export interface FlashPlan {
	alt: number;
	transferSize: number;
	erase: EraseStep[];
	blocks: WriteBlock[];
	/** Contiguous written ranges, in address order. */
	runs: Range[];
	verify: VerifyRange[];
	/** Every sector the image touches; `erase` says whether the plan erases it. */
	sectors: PlannedSector[];
	totalBytes: number;
	/** Where leave jumps: the image start. */
	start: number;
	/** What `force` let through, or what the plan had to skip (e.g. unreadable ranges). */
	warnings: string[];
	summary: FlashPlanSummary;
}

export class PlanError extends ImageRejectedError {
	override readonly kind: string = "image-rejected";
}

function layoutLabel(options: PlanOptions): string {
	return `alt ${options.alt} "${options.layout.name}"`;
}

/** Image bytes as contiguous runs (adjacent segments joined), each with its bytes. */
function imageRuns(image: Image): { address: number; data: Uint8Array; name: string }[] {
	const sorted = image.segments
		.map((s, index) => ({ ...s, index }))
		.filter((s) => s.data.length > 0)
		.sort((a, b) => a.address - b.address);
	const runs: { address: number; data: Uint8Array; name: string }[] = [];
	for (const s of sorted) {
		const last = runs[runs.length - 1];
		if (last && last.address + last.data.length === s.address) {
			const joined = new Uint8Array(last.data.length + s.data.length);
			joined.set(last.data, 0);
			joined.set(s.data, last.data.length);
			last.data = joined;
		} else {
			runs.push({ address: s.address, data: s.data, name: s.name ?? `segment ${s.index}` });
		}
	}
	return runs;
}

/**
 * Splits [address, end) so that no block crosses from writable memory into memory that is not
 * (unmapped or read-only, reachable only with force): the loader checks each block's start.
 */
function splitAtLayoutGaps(layout: MemoryLayout, address: number, end: number): Range[] {
	const out: Range[] = [];
	let at = address;
	while (at < end) {
		const segment = segmentAt(layout, at);
		let stop: number;
		if (segment?.writable) stop = contiguousEnd(layout, at, "writable");
		else if (segment) stop = segmentEnd(segment);
		else {
			const nextMapped = layout.segments.map((s) => s.start).filter((start) => start > at);
			stop = nextMapped.length ? Math.min(...nextMapped) : end;
		}
		stop = Math.min(stop, end);
		out.push({ address: at, length: stop - at });
		at = stop;
	}
	return out;
}

function rejectOutsideWritable(image: Image, options: PlanOptions, warnings: string[]): void {
	const { layout } = options;
	for (const [index, s] of image.segments.entries()) {
		if (s.data.length === 0) continue;
		const end = s.address + s.data.length;
		let at = s.address;
		while (at < end) {
			const segment = segmentAt(layout, at);
			if (segment?.writable) {
				at = Math.min(end, contiguousEnd(layout, at, "writable"));
				continue;
			}
			const name = s.name ?? `segment ${index}`;
			const where = segment
				? `lies in a segment that is not writable (${hex(segment.start)}, ${segment.count}×${segment.pageSize} bytes)`
				: "is outside the memory map";
			const message = `${image.source}: ${hex(at)} (${name}, offset ${at - s.address}) ${where} of ${layoutLabel(options)}`;
			if (options.force) {
				warnings.push(`forced: ${message}`);
				return;
			}
			throw new PlanError(
				message,
				{
					file: image.source,
					address: at,
					// The index alone: shown as "segment 0", never "segment segment 0".
					segment: s.name ?? index,
					offset: at - s.address,
					alt: options.alt,
					layout: layout.name,
				},
				"Check the load address (--dfuse-address) and that the image is built for this chip; :force writes anyway.",
			);
		}
	}
}

function blocksFor(
	run: Range,
	data: Uint8Array,
	transferSize: number,
	consecutive: boolean,
): WriteBlock[] {
	const blocks: WriteBlock[] = [];
	let blockNum = FIRST_DATA_BLOCK;
	let first = true;
	for (let offset = 0; offset < run.length; offset += transferSize) {
		const length = Math.min(transferSize, run.length - offset);
		// A short block's address is (wBlockNum−2)×wTransferSize + pointer only if the loader uses
		// its fixed buffer size in the formula; AN2662 words it as "the requested length". A fresh
		// pointer for the short tail is right under both readings.
		const restart = first || !consecutive || blockNum > MAX_BLOCK_NUM || length < transferSize;
		if (restart) blockNum = FIRST_DATA_BLOCK;
		blocks.push({
			address: run.address + offset,
			length,
			blockNum,
			setAddress: restart,
			data: data.subarray(offset, offset + length),
		});
		blockNum++;
		first = false;
	}
	return blocks;
}

interface Piece {
	address: number;
	data: Uint8Array;
}

/** AN2606 Table 7: every family writes flash in units of at least 4 bytes at aligned addresses. */
const DEFAULT_ALIGNMENT = 4;

/**
 * ROM loaders refuse flash writes at addresses that are not a multiple of the family's write
 * unit (errTARGET). Runs in erasable memory are widened to whole units with 0xFF — what erased
 * flash holds anyway — and runs that then meet are joined. RAM, option bytes and other memories
 * are left exactly as the image says.
 */
function alignPieces(pieces: Piece[], layout: MemoryLayout, alignment: number): Piece[] {
	if (alignment <= 1) return pieces;
	const widened = pieces.map((p) => {
		const end = p.address + p.data.length;
		const segment = segmentAt(layout, p.address);
		if (!segment?.erasable) return { start: p.address, end, parts: [p] };
		const start = Math.floor(p.address / alignment) * alignment;
		const alignedEnd = Math.min(
			Math.ceil(end / alignment) * alignment,
			contiguousEnd(layout, p.address, "writable"),
		);
		return { start: Math.max(start, segment.start), end: Math.max(end, alignedEnd), parts: [p] };
	});
	const merged: typeof widened = [];
	for (const w of widened) {
		const last = merged[merged.length - 1];
		if (last && w.start <= last.end && segmentAt(layout, w.start)?.erasable) {
			last.end = Math.max(last.end, w.end);
			last.parts.push(...w.parts);
		} else merged.push({ ...w, parts: [...w.parts] });
	}
	return merged.map((m) => {
		if (
			m.parts.length === 1 &&
			m.start === m.parts[0]!.address &&
			m.end === m.start + m.parts[0]!.data.length
		)
			return m.parts[0]!;
		const data = new Uint8Array(m.end - m.start).fill(0xff);
		for (const part of m.parts) data.set(part.data, part.address - m.start);
		return { address: m.start, data };
	});
}

/**
 * Pages that already hold exactly what erasing and programming them would leave: the image's
 * bytes (widened to the write unit with 0xFF, as written) and 0xFF everywhere else in the page,
 * since the erase clears the whole page. Comparing the image bytes alone is not enough: padding
 * and the rest of the page would keep whatever they held. Only erasable pages the device was read
 * over in full qualify.
 */
function unchangedPages(aligned: Piece[], layout: MemoryLayout, current: Image): Set<number> {
	const expected = new Map<number, { size: number; bytes: Uint8Array }>();
	for (const piece of aligned) {
		for (const page of pagesTouching(layout, piece.address, piece.data.length)) {
			if (!page.segment.erasable) continue;
			let entry = expected.get(page.address);
			if (!entry) {
				entry = { size: page.size, bytes: new Uint8Array(page.size).fill(0xff) };
				expected.set(page.address, entry);
			}
			const from = Math.max(page.address, piece.address);
			const to = Math.min(page.address + page.size, piece.address + piece.data.length);
			entry.bytes.set(
				piece.data.subarray(from - piece.address, to - piece.address),
				from - page.address,
			);
		}
	}
	const same = new Set<number>();
	for (const [address, { size, bytes }] of expected) {
		const have = readImage(current, address, size);
		if (have && have.length === size && have.every((b, i) => b === bytes[i])) same.add(address);
	}
	return same;
}

/**
 * What a delta flash reads before planning: every erasable page the image touches, whole, merged
 * into contiguous ranges (only readable memory).
 */
export function compareRanges(plan: FlashPlan, layout: MemoryLayout): Range[] {
	const ranges: Range[] = [];
	for (const sector of plan.sectors) {
		if (!sector.erase) continue;
		const segment = segmentAt(layout, sector.address);
		if (!segment?.erasable || !segment.readable) continue;
		const last = ranges[ranges.length - 1];
		if (last && last.address + last.length === sector.address) last.length += sector.size;
		else ranges.push({ address: sector.address, length: sector.size });
	}
	return ranges;
}

/** The pieces with the bytes of `pages` cut out. */
function withoutPages(pieces: Piece[], layout: MemoryLayout, pages: Set<number>): Piece[] {
	const out: Piece[] = [];
	for (const piece of pieces) {
		const end = piece.address + piece.data.length;
		let keepFrom: number | undefined;
		const flush = (to: number) => {
			if (keepFrom === undefined) return;
			out.push({
				address: keepFrom,
				data: piece.data.subarray(keepFrom - piece.address, to - piece.address),
			});
			keepFrom = undefined;
		};
		let at = piece.address;
		while (at < end) {
			const page = pageAt(layout, at);
			const stop = page ? Math.min(end, page.address + page.size) : end;
			if (page && pages.has(page.address)) flush(at);
			else keepFrom ??= at;
			at = stop;
		}
		flush(end);
	}
	return out;
}

/** Plans a DfuSe download; throws PlanError (ImageRejectedError) before any request is made. */
export function planDownload(image: Image, options: PlanOptions): FlashPlan {
	const { layout, transferSize, alt } = options;
	if (!Number.isInteger(transferSize) || transferSize <= 0)
		throw new PlanError(`transfer size ${transferSize} is not usable`, { transferSize });
	const foreign = image.segments.find((s) => s.alt !== undefined && s.alt !== alt);
	if (foreign)
		throw new PlanError(
			`${image.source}: element at ${hex(foreign.address)} is for alt ${foreign.alt}, but alt ${alt} is selected`,
			{ file: image.source, address: foreign.address, alt: foreign.alt ?? null },
			`Flash that element with alt ${foreign.alt} selected.`,
		);
	const runsWithData = imageRuns(image);
	if (runsWithData.length === 0)
		throw new PlanError(`${image.source}: the image has no data`, { file: image.source });

	const warnings: string[] = [];
	rejectOutsideWritable(image, options, warnings);

	const pieces: Piece[] = [];
	for (const r of runsWithData) {
		for (const piece of splitAtLayoutGaps(layout, r.address, r.address + r.data.length)) {
			const offset = piece.address - r.address;
			pieces.push({
				address: piece.address,
				data: r.data.subarray(offset, offset + piece.length),
			});
		}
	}
	const alignment = options.writeAlignment ?? DEFAULT_ALIGNMENT;
	// Every block after the first would start off the flash's write unit: the loader refuses it.
	if (transferSize % alignment !== 0)
		throw new PlanError(
			`transfer size ${transferSize} is not a multiple of the ${alignment}-byte flash write unit`,
			{ transferSize, alignment },
			"Leave the transfer size to the device (drop -t), or give a multiple of the write unit.",
		);
	const imageRanges: VerifyRange[] = alignPieces(pieces, layout, alignment).map((p) => ({
		address: p.address,
		length: p.data.length,
		data: p.data,
	}));
	const unchanged =
		options.current && (options.erase ?? true)
			? unchangedPages(imageRanges, layout, options.current)
			: new Set<number>();
	const toWrite = unchanged.size ? withoutPages(pieces, layout, unchanged) : pieces;

	const runs: Range[] = [];
	const blocks: WriteBlock[] = [];
	for (const piece of alignPieces(toWrite, layout, alignment)) {
		const run = { address: piece.address, length: piece.data.length };
		runs.push(run);
		blocks.push(...blocksFor(run, piece.data, transferSize, options.consecutiveBlocks ?? true));
	}

	const erasing = options.erase ?? true;
	const sectorsByAddress = new Map<number, PlannedSector>();
	for (const range of imageRanges) {
		for (const page of pagesTouching(layout, range.address, range.length)) {
			if (sectorsByAddress.has(page.address)) continue;
			sectorsByAddress.set(page.address, {
				address: page.address,
				size: page.size,
				erase: erasing && page.segment.erasable && !unchanged.has(page.address),
				...(unchanged.has(page.address) ? { unchanged: true } : {}),
			});
		}
	}
	const sectors = [...sectorsByAddress.values()].sort((a, b) => a.address - b.address);
	const erase = sectors.filter((s) => s.erase).map((s) => ({ address: s.address, size: s.size }));

	const wantVerify = options.verify ?? true;
	const verify: VerifyRange[] = [];
	if (wantVerify) {
		const changed = unchanged.size ? withoutPages(imageRanges, layout, unchanged) : imageRanges;
		for (const piece of changed) {
			const run = { address: piece.address, length: piece.data.length, data: piece.data };
			const segment = segmentAt(layout, run.address);
			if (segment && !segment.readable) {
				warnings.push(`${hex(run.address)}: not readable, not verified`);
				continue;
			}
			verify.push(run);
		}
	}

	const totalBytes = runs.reduce((sum, r) => sum + r.length, 0);
	const start = imageRanges[0]!.address;
	return {
		alt,
		transferSize,
		erase,
		blocks,
		runs,
		verify,
		sectors,
		totalBytes,
		start,
		warnings,
		summary: {
			operation: "download",
			alt,
			...(options.altName !== undefined ? { altName: options.altName } : {}),
			ranges: runs.map((r) => ({ address: r.address, size: r.length })),
			sectors,
			totalBytes,
			transferSize,
			file: image.source,
			verify: wantVerify,
			leave: options.leave ?? false,
		},
	};
}
