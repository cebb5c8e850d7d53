import type { Image } from "../image/image.js";

/** The Cortex-M vector table found in an image, with addresses where the image will sit. */
export interface VectorTable {
	/** Address the table will have in the target's memory. */
	address: number;
	/** Byte offset of the table inside the first segment. */
	offset: number;
	initialSp: number;
	reset: number;
	/** Entries up to the last non-zero one, including the initial SP. */
	length: number;
	/** Entries including reserved zero words after the last handler (startup files add some). */
	span: number;
	/** All entries read, index 0 = initial SP. */
	entries: number[];
	/** True when the table follows a 256-byte RP2040 boot2 block instead of starting the image. */
	afterBoot2: boolean;
	/** Whether words 0 and 1 look like an SP and a Thumb reset vector at all. */
	plausible: boolean;
}

/** Whether a part with `vectorCount` entries fits the table (trailing reserved zeros allowed). */
export function tableFits(table: VectorTable, vectorCount: number | undefined): boolean {
	return vectorCount !== undefined && vectorCount >= table.length && vectorCount <= table.span;
}

/** The image as it will be written: its segments moved by `delta` to the write address. */
export interface Placement {
	start: number;
	end: number;
	delta: number;
	contains(address: number): boolean;
}

export function placementOf(image: Image, writeAddress?: number): Placement {
	const first = image.segments[0]?.address ?? 0;
	const delta =
		writeAddress !== undefined && image.format === "bin" ? (writeAddress - first) >>> 0 : 0;
	const ranges = image.segments.map((s) => ({
		start: (s.address + delta) >>> 0,
		end: (s.address + delta + s.data.length) >>> 0,
	}));
	return {
		start: ranges[0]?.start ?? 0,
		end: Math.max(0, ...ranges.map((r) => r.end)),
		delta,
		contains: (a) => ranges.some((r) => a >= r.start && a < r.end),
	};
}

const MAX_ENTRIES = 256;

function word(data: Uint8Array, offset: number): number | undefined {
	if (offset + 4 > data.length) return undefined;
	return (
		(data[offset]! |
			(data[offset + 1]! << 8) |
			(data[offset + 2]! << 16) |
			(data[offset + 3]! << 24)) >>>
		0
	);
}

/** Any Cortex-M part keeps its stack in 0x1000_0000-0x1010_0000 (CCM/local SRAM) or SRAM/TCM. */
function looksLikeSp(sp: number): boolean {
	return (
		(sp & 3) === 0 &&
		((sp >= 0x10000000 && sp <= 0x10100000) || (sp >= 0x20000000 && sp <= 0x40000000))
	);
}

function looksLikeTable(data: Uint8Array, offset: number): boolean {
	const sp = word(data, offset);
	const reset = word(data, offset + 4);
	return (
		sp !== undefined &&
		reset !== undefined &&
		looksLikeSp(sp) &&
		(reset & 1) === 1 &&
		reset !== 0xffffffff
	);
}

/**
 * Reads the table at the start of the image (or after RP2040's boot2). Its length is the run
 * of entries that are zero or odd pointers near the reset handler, since the code that follows
 * a table does not look like that; trailing zero entries are not counted.
 */
export function readVectorTable(image: Image, placement: Placement): VectorTable | undefined {
	const segment = image.segments[0];
	if (!segment || segment.data.length < 8) return undefined;
	const data = segment.data;
	let offset = 0;
	let afterBoot2 = false;
	if (!looksLikeTable(data, 0) && looksLikeTable(data, 0x100)) {
		offset = 0x100;
		afterBoot2 = true;
	}
	const initialSp = word(data, offset)!;
	const reset = word(data, offset + 4)!;
	// A stack address followed by any code-like address is a table, even with a bad Thumb bit.
	const plausible =
		looksLikeSp(initialSp) && reset !== 0 && reset !== 0xffffffff && reset < 0xe0000000;
	const entries = [initialSp, reset];
	const size = placement.end - placement.start;
	const resetTarget = reset & ~1;
	let length = 2;
	let span = 2;
	if (plausible) {
		for (let i = 2; i < MAX_ENTRIES; i++) {
			const w = word(data, offset + i * 4);
			if (w === undefined) break;
			const nearReset = (w & 1) === 1 && Math.abs((w & ~1) - resetTarget) <= Math.max(size, 0x1000);
			if (w !== 0 && !nearReset) break;
			entries.push(w);
		}
		span = entries.length;
		while (entries.length > 2 && entries[entries.length - 1] === 0) entries.pop();
		length = entries.length;
	}
	return {
		address: (placement.start + offset) >>> 0,
		offset,
		initialSp,
		reset,
		length,
		span,
		entries,
		afterBoot2,
		plausible,
	};
}

/**
 * Where the image's handlers say it was linked, when they do not sit inside the placed image
 * (else undefined). `linked` is where the image's own pointers put it (a raw binary's
 * `inferLinkAddress`, among the bases that hold every handler): it decides when given, so
 * that this finding and the inferred address name the same base. Without it, the roundest
 * base that holds every handler.
 */
export function linkBaseOf(
	table: VectorTable,
	placement: Placement,
	linked?: number,
): number | undefined {
	const handlers = table.entries
		.slice(1)
		.filter((w) => w !== 0)
		.map((w) => (w & ~1) >>> 0);
	if (!handlers.length || handlers.every((h) => placement.contains(h))) return undefined;
	if (linked !== undefined && linked !== placement.start) return linked;
	const size = placement.end - placement.start;
	const min = Math.min(...handlers);
	const max = Math.max(...handlers);
	const lowest = Math.max(0, min - table.length * 4 - table.offset);
	for (let align = 0x10000; align >= 0x80; align /= 2) {
		const base = lowest - (lowest % align);
		if (base + table.offset <= min && max < base + size) return base;
	}
	return undefined;
}
