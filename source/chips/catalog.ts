import { F0 } from "./families/f0.js";
import { F1 } from "./families/f1.js";
import { F2 } from "./families/f2.js";
import { F3 } from "./families/f3.js";
import { F4 } from "./families/f4.js";
import { F7 } from "./families/f7.js";
import { G0 } from "./families/g0.js";
import { G4 } from "./families/g4.js";
import { H7 } from "./families/h7.js";
import { L0 } from "./families/l0.js";
import { L1 } from "./families/l1.js";
import { L4, L4_PLUS } from "./families/l4.js";
import { L5, U5 } from "./families/l5-u5.js";
import { C0, WB, WL } from "./families/wb-wl-c0.js";
import {
	chipParts,
	generatedCore,
	generatedFamily,
	generatedFpu,
	generatedPeripheral,
	generatedRam,
	generatedVectorCount,
} from "./generated-facts.js";
import { chipDataIfLoaded, type Stm32Data, type Stm32Selection } from "./stm32-data.js";
import type { Stm32Part } from "./stm32-part.js";
import type { Chip, Core, FamilyFacts, Fpu, PartFacts, RamRegion } from "./types.js";

export const FAMILIES: readonly FamilyFacts[] = [
	F0,
	F1,
	F2,
	F3,
	F4,
	F7,
	G0,
	G4,
	H7,
	L0,
	L1,
	L4,
	L4_PLUS,
	L5,
	U5,
	WB,
	WL,
	C0,
];

export function familyByName(family: string): FamilyFacts | undefined {
	const wanted = normalise(family);
	return FAMILIES.find((f) => normalise(f.family) === wanted);
}

export function chipOf(family: FamilyFacts, part?: PartFacts): Chip {
	return { name: part ? part.name : `STM32${family.family}`, family, part };
}

/** All parts of all families, each paired with its family. */
export function allParts(): { family: FamilyFacts; part: PartFacts }[] {
	return FAMILIES.flatMap((family) => family.parts.map((part) => ({ family, part })));
}

/**
 * `--chip NAME`: "STM32F407", "f407", "F407VG", "F4", "stm32l4+" → a chip, or undefined.
 * A family name gives the family without a part; a part name or a longer order code
 * (F407VGT6) gives the hand-written part (its ROM loader facts) whose alias it starts with.
 *
 * When the generated chip data is loaded (`await loadChipData()`, or use `resolveChip`), every
 * STM32 part, line and family in it is known too, and the chip carries the generated parts its
 * name stands for (`Chip.parts`).
 */
export function chipByName(name: string): Chip | undefined {
	const hand = handWrittenChip(name);
	const data = chipDataIfLoaded();
	if (!data) return hand;
	if (hand) {
		const parts = generatedPartsFor(data, name, hand);
		return parts.length ? { ...hand, parts } : hand;
	}
	const selection = data.select(name);
	return selection ? chipFromSelection(data, selection) : undefined;
}

function handWrittenChip(name: string): Chip | undefined {
	// identify() names ties "STM32F405/407 or STM32F412": only their common family is known.
	if (/\sor\s/.test(name)) {
		const chips = name.split(/\sor\s/).map((n) => chipByName(n));
		const families = new Set(chips.map((c) => c?.family.family));
		const [family] = families;
		const facts = family ? familyByName(family) : undefined;
		return families.size === 1 && facts ? chipOf(facts) : undefined;
	}
	const wanted = normalise(name);
	if (!wanted) return undefined;
	const family = FAMILIES.find((f) => normalise(f.family) === wanted);
	if (family) return chipOf(family);
	let best: { family: FamilyFacts; part: PartFacts; length: number } | undefined;
	for (const { family, part } of allParts()) {
		for (const alias of [...part.aliases, part.name]) {
			const a = normalise(alias);
			if (wanted.startsWith(a) && (!best || a.length > best.length)) {
				best = { family, part, length: a.length };
			}
		}
	}
	return best ? chipOf(best.family, best.part) : undefined;
}

/** The generated parts behind a hand-written chip: what the name selects, else its part's dies. */
function generatedPartsFor(data: Stm32Data, name: string, hand: Chip): readonly Stm32Part[] {
	const ofFamily = (parts: readonly Stm32Part[] | undefined) =>
		(parts ?? []).filter((p) => p.family === hand.family.family);
	if (/\sor\s/.test(name) || !hand.part) return ofFamily(data.select(hand.family.family)?.parts);
	const selected = ofFamily(data.select(name)?.parts);
	if (selected.length) return selected;
	return ofFamily(hand.part.deviceIds.flatMap((id) => data.byDeviceId(id)));
}

function chipFromSelection(data: Stm32Data, selection: Stm32Selection): Chip {
	const family =
		familyByName(selection.family) ??
		generatedFamily(selection.family, data.select(selection.family)?.parts ?? selection.parts);
	const name =
		selection.kind === "family"
			? `STM32${selection.family}`
			: selection.kind === "part"
				? selection.parts[0]!.name
				: selection.name;
	return { name, family, parts: selection.parts };
}

/** Names `--chip` accepts, for usage messages: every family and each part's first alias. */
export function chipNames(): string[] {
	return [
		...FAMILIES.map((f) => f.family),
		...allParts().map(({ part }) => part.aliases[0] ?? part.name),
	];
}

function normalise(name: string): string {
	return name
		.trim()
		.toUpperCase()
		.replace(/^STM32/, "")
		.replace(/[\s_-]/g, "");
}

/*
 * A chip's memory map, core and peripherals, from the generated chip data (docs/chip-data.md):
 * the parts it carries, else those of its part's dies or its family (`chipParts`). The data
 * must be loaded (`resolveChip`, `resolveGuess` or `await loadChipData()`).
 */

/**
 * RAM a chip certainly has: the part's, or for several parts every region any of them has,
 * plus the few regions the reference manuals list that the data lacks (F7 ITCM RAM, U5 SRAM4,
 * the L4+ SRAM2 alias), from the hand-written part with their sources.
 */
export function chipRam(chip: Chip): RamRegion[] {
	const generated = generatedRam(chipParts(chip));
	const handWritten = chip.part?.ramNotInData ?? [];
	const missing = handWritten.filter(
		(r) => !generated.some((g) => g.start < r.start + r.size && r.start < g.start + g.size),
	);
	return [...generated, ...missing].sort((a, b) => a.start - b.start);
}

/** Largest flash the chip can have, in bytes. */
export function chipMaxFlash(chip: Chip): number {
	return Math.max(0, ...chipParts(chip).map((p) => p.flashSize));
}

/** Where the chip's main flash starts (0x08000000 on every STM32 with flash). */
export function chipFlashBase(chip: Chip): number | undefined {
	const starts = chipParts(chip).flatMap((p) => p.memory.flash.map((r) => r.start));
	return starts.length ? Math.min(...starts) : undefined;
}

export function chipFpu(chip: Chip): Fpu {
	return generatedFpu(chipParts(chip));
}

/** The main core (Cortex-M7 on an STM32H745, whose second core is a Cortex-M4). */
export function chipCore(chip: Chip): Core | undefined {
	return generatedCore(chipParts(chip));
}

/** Vector table entries up to the last interrupt, when every part the chip stands for agrees. */
export function chipVectorCount(chip: Chip): number | undefined {
	return generatedVectorCount(chipParts(chip));
}

/** A peripheral's base address on this chip, when every part that has it agrees. */
export function chipPeripheralAddress(chip: Chip, name: string): number | undefined {
	return generatedPeripheral(chipParts(chip), name);
}

/** The flash write unit in bytes (largest among the chip's parts; 0 without internal flash). */
export function chipWriteSize(chip: Chip): number {
	return Math.max(0, ...chipParts(chip).map((p) => p.writeSize));
}

/** Where AN2606 says the chip's bootloader ID byte is, if known. */
export function bootloaderIdAddress(chip: Chip): number | undefined {
	return chip.part?.bootloaderIdAddress ?? chip.family.bootloader.idAddress;
}
