import { placementOf, readVectorTable, type VectorTable } from "./inspect-vectors.js";

/**
 * Where a raw binary was linked to run, read from the image itself: the vector table's handlers
 * bound the base (every handler lies after the table and before the image's end), and among the
 * bases they allow, the one that puts the most of the code's own pointers (literal-pool words)
 * inside the image wins. A wrong base shifts the image under its pointers, so pointers into its
 * last bytes (strings, constant tables, the .data initialisers) fall outside.
 */
export interface LinkAddress {
	address: number;
	/** Byte offset of the vector table (0x100 behind an RP2040 boot2 block). */
	tableOffset: number;
	initialSp: number;
	reset: number;
	/** Literal words that point into the image placed at `address`. */
	pointersInside: number;
	/** Literal words that point just outside it (within POINTER_REACH of either end). */
	pointersOutside: number;
	/** No Cortex-M vector table: the address is a placeholder (0), not read from the image. */
	noTable?: true;
}

/** Bases are tried at this granularity: bootloaders reserve whole 2 KB pages or more. */
const BASE_STEP = 0x800;
/** How far outside the image a word still counts as a stray pointer into it. */
const POINTER_REACH = 0x10000;
/** A search wider than this (tiny table, huge image) is tried at coarser steps. */
const MAX_CANDIDATES = 4096;

/**
 * Where Cortex-M parts execute code from: flash at 0 (nRF5, SAM, LPC, Kinetis), STM32 flash
 * and its secure alias, RP2040/LPC at 0x10000000, system memory and RAM, external memory
 * (FMC, OCTOSPI/QSPI). No image is linked in the gaps (e.g. just below 0x08000000).
 */
const CODE_REGIONS: [number, number][] = [
	[0x00000000, 0x00800000],
	[0x08000000, 0x12000000],
	[0x1ff00000, 0x30000000],
	[0x60000000, 0xa0000000],
];

/** The placed image's vector table, as if the data sat at address 0. */
function tableAtZero(data: Uint8Array): VectorTable | undefined {
	const image = { format: "bin" as const, source: "", segments: [{ address: 0, data }] };
	return readVectorTable(image, placementOf(image));
}

/** 4-aligned words that could be pointers near [low, high), sorted, vector table skipped. */
function pointerWords(data: Uint8Array, skipTo: number, low: number, high: number): Uint32Array {
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const found: number[] = [];
	for (let off = skipTo; off + 4 <= data.length; off += 4) {
		const w = view.getUint32(off, true);
		if (w >= low && w < high) found.push(w);
	}
	return Uint32Array.from(found).sort();
}

/** Index of the first element >= value. */
function lowerBound(sorted: Uint32Array, value: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (sorted[mid]! < value) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

function countIn(sorted: Uint32Array, from: number, to: number): number {
	return to <= from ? 0 : lowerBound(sorted, to) - lowerBound(sorted, from);
}

function alignment(base: number): number {
	if (base === 0) return 2 ** 32;
	let a = 1;
	while (base % (a * 2) === 0) a *= 2;
	return a;
}

/**
 * A bootloader finds the application right behind it by the application's first words (its
 * initial SP and reset vector), so pointers to the first bytes after the image are no sign of
 * a wrong base.
 */
const NEXT_IMAGE = 8;

/** Pointers inside and just outside the image when it sits at `base`. */
export function pointerScore(
	words: Uint32Array,
	base: number,
	size: number,
): { inside: number; outside: number } {
	return {
		inside: countIn(words, base, base + size),
		outside:
			countIn(words, Math.max(0, base - POINTER_REACH), base) +
			countIn(words, base + size + NEXT_IMAGE, base + size + POINTER_REACH),
	};
}

/** The link address of raw image bytes, or undefined when they carry no usable vector table. */
export function inferLinkAddress(data: Uint8Array): LinkAddress | undefined {
	const table = tableAtZero(data);
	if (!table?.plausible || (table.reset & 1) === 0) return undefined;
	const handlers = table.entries
		.slice(1)
		.filter((w) => w !== 0)
		.map((w) => (w & ~1) >>> 0);
	const size = data.length;
	const tableEnd = table.offset + table.length * 4;
	const hmin = Math.min(...handlers);
	const hmax = Math.max(...handlers);
	const lowest = Math.max(0, hmax - size + 1);
	const highest = hmin - tableEnd;
	if (highest < lowest) return undefined;
	let step = BASE_STEP;
	while ((highest - lowest) / step > MAX_CANDIDATES) step *= 2;
	const first = Math.ceil(lowest / step) * step;
	if (first > highest) return undefined;
	const words = pointerWords(
		data,
		tableEnd,
		Math.max(0, first - POINTER_REACH),
		highest + size + POINTER_REACH,
	);
	const scored: { base: number; net: number; inside: number; outside: number }[] = [];
	for (let base = first; base <= highest; base += step) {
		if (!CODE_REGIONS.some(([from, to]) => base >= from && base < to)) continue;
		const { inside, outside } = pointerScore(words, base, size);
		scored.push({ base, net: inside - 2 * outside, inside, outside });
	}
	if (!scored.length) return undefined;
	const top = Math.max(...scored.map((c) => c.net));
	// A bootloader points at the application right behind it, which counts against its own
	// base: near-ties go to the roundest address.
	const tolerance = Math.max(2, Math.abs(top) * 0.05);
	const best = scored
		.filter((c) => c.net >= top - tolerance)
		.sort((a, b) => alignment(b.base) - alignment(a.base) || b.net - a.net)[0]!;
	return {
		address: best.base,
		tableOffset: table.offset,
		initialSp: table.initialSp,
		reset: table.reset,
		pointersInside: best.inside,
		pointersOutside: best.outside,
	};
}

/**
 * Whether the image's own pointers clearly say it was not linked for `writeAddress`, although
 * its handlers would fit there: the inferred base holds decisively more of them.
 */
export function pointersContradict(
	data: Uint8Array,
	writeAddress: number,
): LinkAddress | undefined {
	const link = inferLinkAddress(data);
	if (!link || link.address === writeAddress) return undefined;
	const low = Math.min(writeAddress, link.address);
	const high = Math.max(writeAddress, link.address) + data.length;
	const words = pointerWords(data, 0, Math.max(0, low - POINTER_REACH), high + POINTER_REACH);
	const there = pointerScore(words, writeAddress, data.length);
	const linked = pointerScore(words, link.address, data.length);
	const gain = linked.inside - 2 * linked.outside - (there.inside - 2 * there.outside);
	return there.outside >= 8 && gain >= Math.max(8, linked.inside / 10) ? link : undefined;
}

/**
 * A raw image's address when none is given: its vector table's link address, or for bytes with
 * no Cortex-M table (ESP32, RISC-V) address 0, so that the inspector can still say what it is.
 */
export function rawImageAddress(data: Uint8Array): LinkAddress {
	return (
		inferLinkAddress(data) ?? {
			address: 0,
			tableOffset: 0,
			initialSp: 0,
			reset: 0,
			pointersInside: 0,
			pointersOutside: 0,
			noTable: true,
		}
	);
}
