/**
 * The generated chip data (stm32-data.ts) in the shapes the rest of bringup uses: RAM regions
 * with a kind and a source, a family for the parts no hand-written loader facts cover, and the
 * parts a chip stands for.
 */
import { ST_DFU_IDS } from "./facts-helpers.js";
import { chipData, chipDataIfLoaded } from "./stm32-data.js";
import type { MemoryRegion, Stm32Part } from "./stm32-part.js";
import type { Chip, Core, FamilyFacts, Fpu, RamKind, RamRegion } from "./types.js";

/** Where a generated fact comes from, for the `source` of facts built from it. */
export function generatedSource(part: Stm32Part | string): string {
	const commit = chipDataIfLoaded()?.source.commit.slice(0, 7) ?? "";
	const name = typeof part === "string" ? part : part.name;
	return `embassy-rs/stm32-data-generated ${commit} (ST CubeMX data) ${name}`;
}

function ramKind(name: string): RamKind {
	if (name.startsWith("CCMRAM")) return "ccm";
	if (name === "DTCM") return "dtcm";
	if (name === "ITCM") return "itcm";
	if (name.startsWith("AXISRAM")) return "axi";
	if (name === "BKPSRAM") return "backup";
	return "sram";
}

function toRam(region: MemoryRegion, part: Stm32Part): RamRegion {
	return { ...region, kind: ramKind(region.name), source: generatedSource(part) };
}

/** One part's RAM; for several parts every region any of them has, at its largest. */
export function generatedRam(parts: readonly Stm32Part[]): RamRegion[] {
	const byStart = new Map<number, RamRegion>();
	for (const part of parts)
		for (const r of part.memory.ram) {
			const known = byStart.get(r.start);
			if (!known || known.size < r.size) byStart.set(r.start, toRam(r, part));
		}
	return [...byStart.values()].sort((a, b) => a.start - b.start);
}

const FPU_RANK: Record<Fpu, number> = { none: 0, single: 1, double: 2 };

/** The most capable FPU among the parts' main cores (an image for any of them may use it). */
export function generatedFpu(parts: readonly Stm32Part[]): Fpu {
	return parts
		.map((p) => p.cores[0]?.fpu ?? "none")
		.reduce<Fpu>((best, f) => (FPU_RANK[f] > FPU_RANK[best] ? f : best), "none");
}

/** The main core's vector count when every part agrees on it. */
export function generatedVectorCount(parts: readonly Stm32Part[]): number | undefined {
	const counts = new Set(parts.map((p) => p.cores[0]?.vectorCount));
	const [only] = counts;
	return counts.size === 1 ? only : undefined;
}

/** The base address every part that has the peripheral agrees on. */
export function generatedPeripheral(parts: readonly Stm32Part[], name: string): number | undefined {
	const addresses = new Set<number>();
	for (const p of parts) {
		const found = p.cores[0]?.peripherals.find((x) => x.name === name);
		if (found) addresses.add(found.address);
	}
	const [only] = addresses;
	return addresses.size === 1 ? only : undefined;
}

/** The main core every part agrees on, else the first part's (a family's cores agree). */
export function generatedCore(parts: readonly Stm32Part[]): Core | undefined {
	return parts[0]?.cores[0]?.core;
}

/**
 * A family for parts no hand-written family covers (H5, U0, WBA, ...): no ROM loader facts
 * (those are not in the data), the reference manuals the data names.
 */
export function generatedFamily(family: string, parts: readonly Stm32Part[]): FamilyFacts {
	const manuals = [...new Set(parts.map((p) => p.referenceManual).filter((m) => m !== undefined))];
	return {
		family,
		documents: manuals,
		bootloader: {
			...ST_DFU_IDS,
			bcdDevice: [],
			source: "ROM loader facts for this family are not recorded (not in the generated data)",
		},
		parts: [],
	};
}

const partsCache = new WeakMap<Chip, readonly Stm32Part[]>();

/**
 * The parts of the generated data a chip stands for: those it carries (`resolveChip`), else the
 * parts of its hand-written part's dies, else its whole family. Needs the data loaded
 * (`await loadChipData()`); throws otherwise.
 */
export function chipParts(chip: Chip): readonly Stm32Part[] {
	if (chip.parts?.length) return chip.parts;
	const known = partsCache.get(chip);
	if (known) return known;
	const data = chipData();
	const family = chip.family.family;
	const parts = chip.part
		? chip.part.deviceIds.flatMap((id) => data.byDeviceId(id).filter((p) => p.family === family))
		: (data.select(family)?.parts ?? []);
	partsCache.set(chip, parts);
	return parts;
}
