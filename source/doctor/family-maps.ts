import { chipDataIfLoaded } from "../chips/stm32-data.js";
import type { Stm32Part } from "../chips/stm32-part.js";
import type { Chip, Core, Fpu } from "../chips/types.js";

/**
 * The generated chip data (docs/chip-data.md) reduced to what an image can be checked against:
 * every part's vector-table length and RAM, and the peripheral bases of a family or a part.
 * Used only when some caller has loaded the data (`await loadChipData()`); the inspector falls
 * back to the hand-written catalog otherwise.
 */
export interface PeripheralMap {
	/** Sorted, distinct peripheral base addresses. */
	bases: Uint32Array;
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
/** How far past its base an address still belongs to a block (most ST blocks are 1 KB). */
const BLOCK_REACH = 0x2000;

function mapOf(parts: readonly Stm32Part[]): PeripheralMap {
	const names = new Map<number, string>();
	for (const part of parts)
		for (const p of part.cores[0]?.peripherals ?? [])
			if (p.address >= PERIPHERALS_FROM && p.address < PERIPHERALS_TO && !names.has(p.address))
				names.set(p.address, p.name);
	return { bases: Uint32Array.from(names.keys()).sort(), names };
}

let cached: { data: object; maps: Map<string, FamilyMap>; pages: Uint8Array } | undefined;

/** One flag per 4 KB page that holds some family's peripheral block (a fast first filter). */
export function mapPages(): Uint8Array | undefined {
	familyMaps();
	return cached?.pages;
}

/** Per family, when the generated data is loaded. */
export function familyMaps(): Map<string, FamilyMap> | undefined {
	const data = chipDataIfLoaded();
	if (!data) return undefined;
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
		for (const base of m.bases)
			for (let a = base; a < base + BLOCK_REACH; a += 0x1000) pages[a >>> 12] = 1;
	cached = { data, maps, pages };
	return maps;
}

/** The peripheral block `address` falls in, or undefined when the map has none there. */
export function blockAt(map: PeripheralMap, address: number): number | undefined {
	const b = map.bases;
	let lo = 0;
	let hi = b.length;
	while (lo < hi) {
		const mid = (lo + hi) >>> 1;
		if (b[mid]! <= address) lo = mid + 1;
		else hi = mid;
	}
	const base = lo > 0 ? b[lo - 1] : undefined;
	return base !== undefined && address - base < BLOCK_REACH ? base : undefined;
}

const chipMaps = new WeakMap<Chip, PeripheralMap | null>();

/** Every peripheral any part the chip stands for has (a part line, or its whole family). */
export function chipPeripheralMap(chip: Chip): PeripheralMap | undefined {
	const data = chipDataIfLoaded();
	if (!data) return undefined;
	const known = chipMaps.get(chip);
	if (known !== undefined) return known ?? undefined;
	const parts =
		chip.parts ??
		(chip.part
			? chip.part.aliases.flatMap((n) => data.select(`STM32${n}`)?.parts ?? [])
			: data.parts.filter((p) => p.family === chip.family.family));
	const map = parts.length ? mapOf(parts) : null;
	chipMaps.set(chip, map);
	return map ?? undefined;
}
