import { chipParts } from "../chips/generated-facts.js";
import { chipData } from "../chips/stm32-data.js";
import type { Stm32Part } from "../chips/stm32-part.js";
import type { Chip, Core, Fpu } from "../chips/types.js";

/**
 * The generated chip data (docs/chip-data.md) reduced to what an image can be checked against:
 * every part's vector-table length and RAM, and the peripheral bases of a family or a part.
 * The data must be loaded (`await loadChipData()`).
 */
export interface PeripheralMap {
	/** Sorted, distinct peripheral base addresses. */
	bases: Uint32Array;
	/**
	 * Per base, where its registers end: base + the bytes the data's register map spans (the
	 * largest any part has), or a 1 KB slot where the data has no register map.
	 */
	ends: Uint32Array;
	/** Base → names (several parts may name one block differently). */
	names: Map<number, string>;
}

export interface FamilyMap extends PeripheralMap {
	family: string;
	/** The main core of the family's first part, and the best FPU any part has. */
	core: Core;
	fpu: Fpu;
	parts: { name: string; vectorCount: number; ram: { start: number; size: number }[] }[];
}

/** Peripheral space: ST puts every peripheral block between these addresses. */
export const PERIPHERALS_FROM = 0x40000000;
export const PERIPHERALS_TO = 0x60000000;
/** How far past its base an address still lies in a block's slot (most ST slots are 1 KB). */
const BLOCK_REACH = 0x2000;
/** A block without a register map in the data: its slot (RM0090 §2.3 Table 1: 1 KB). */
const SLOT = 0x400;

function mapOf(parts: readonly Stm32Part[]): PeripheralMap {
	const names = new Map<number, string>();
	const spans = new Map<number, number>();
	for (const part of parts)
		for (const p of part.cores[0]?.peripherals ?? []) {
			if (p.address < PERIPHERALS_FROM || p.address >= PERIPHERALS_TO) continue;
			if (!names.has(p.address)) names.set(p.address, p.name);
			spans.set(p.address, Math.max(spans.get(p.address) ?? 0, p.size ?? SLOT));
		}
	const bases = Uint32Array.from(names.keys()).sort();
	const ends = bases.map((b) => b + spans.get(b)!);
	return { bases, ends, names };
}

let cached: { data: object; maps: Map<string, FamilyMap>; pages: Uint8Array } | undefined;

/** One flag per 4 KB page that holds some family's peripheral block (a fast first filter). */
export function mapPages(): Uint8Array {
	familyMaps();
	return cached!.pages;
}

/** Per family. */
export function familyMaps(): Map<string, FamilyMap> {
	const data = chipData();
	if (cached?.data === data) return cached.maps;
	const byFamily = new Map<string, Stm32Part[]>();
	for (const p of data.parts) byFamily.set(p.family, [...(byFamily.get(p.family) ?? []), p]);
	const maps = new Map<string, FamilyMap>();
	for (const [family, parts] of byFamily) {
		const fpus = parts.map((p) => p.cores[0]?.fpu ?? "none");
		maps.set(family, {
			family,
			core: parts[0]?.cores[0]?.core ?? "Cortex-M4",
			fpu: fpus.includes("double") ? "double" : fpus.includes("single") ? "single" : "none",
			...mapOf(parts),
			parts: parts.map((p) => ({
				name: p.name,
				vectorCount: p.cores[0]?.vectorCount ?? 0,
				ram: p.memories.flatMap((m) => m.ram),
			})),
		});
	}
	const pages = new Uint8Array(1 << 20);
	for (const m of maps.values())
		m.bases.forEach((base, i) => {
			for (let a = base; a < m.ends[i]!; a += 0x1000) pages[a >>> 12] = 1;
			pages[(m.ends[i]! - 1) >>> 12] = 1;
		});
	cached = { data, maps, pages };
	return maps;
}

/**
 * The peripheral block whose registers hold `address` (within the span of the data's register
 * map, or a 1 KB slot), or undefined. Random words land in the gaps between registers and
 * blocks far more often than real register addresses do. `loose`: also a block whose slot
 * (8 KB) reaches the address, for "the chip has some peripheral there".
 */
export function blockAt(map: PeripheralMap, address: number, loose = false): number | undefined {
	const b = map.bases;
	let lo = 0;
	let hi = b.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (b[mid]! <= address) lo = mid + 1;
		else hi = mid;
	}
	// A block may sit inside the span of one below it (ADC1_COMMON in ADC1's): look back a few.
	for (let i = lo - 1; i >= 0 && i >= lo - 4; i--) {
		const end = loose ? Math.max(map.ends[i]!, b[i]! + BLOCK_REACH) : map.ends[i]!;
		if (address < end) return b[i];
	}
	return undefined;
}

const chipMaps = new WeakMap<Chip, PeripheralMap | null>();

/** Every peripheral any part the chip stands for has (a part line, or its whole family). */
export function chipPeripheralMap(chip: Chip): PeripheralMap | undefined {
	const known = chipMaps.get(chip);
	if (known !== undefined) return known ?? undefined;
	const parts = chipParts(chip);
	const map = parts.length ? mapOf(parts) : null;
	chipMaps.set(chip, map);
	return map ?? undefined;
}
