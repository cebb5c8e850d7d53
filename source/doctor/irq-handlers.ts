import { chipData, type Stm32Data } from "../chips/stm32-data.js";
import type { Stm32Part } from "../chips/stm32-part.js";
import type { Image } from "../image/image.js";

/**
 * Interrupt handlers an ELF names: CMSIS startup files define one `NAME_IRQHandler` per
 * interrupt of the part they were made for (weak aliases of Default_Handler unless the code
 * implements one), so the set of names is the part's interrupt list, and the names are ST's
 * (OTG_HS_IRQHandler, TIM1_BRK_TIM15_IRQHandler, DMA2D_IRQHandler). They are checked against
 * the interrupt lists of the generated chip data (docs/chip-data.md).
 */
export interface IrqHandler {
	/** "OTG_HS_IRQHandler". */
	symbol: string;
	/** "OTG_HS": the interrupt it names. */
	interrupt: string;
	/** The symbol's value (a Thumb function address, bit 0 set). */
	address: number;
	/** The code implements it: it is not a shared default (Default_Handler and its aliases). */
	implemented: boolean;
}

const SUFFIX = "_IRQHandler";
/** HAL_PCD_IRQHandler and friends are HAL functions a handler calls, not vectors. */
const NOT_A_VECTOR = /^HAL_|^LL_/;

export function irqHandlers(image: Image): IrqHandler[] {
	const symbols = image.symbols;
	if (!symbols?.length) return [];
	const byName = new Map<string, { name: string; address: number }>();
	for (const s of symbols)
		if (s.name.endsWith(SUFFIX) && s.name.length > SUFFIX.length && !NOT_A_VECTOR.test(s.name))
			byName.set(s.name, s);
	if (!byName.size) return [];
	// Where more than one handler (or Default_Handler) sits, none of them is implemented.
	const uses = new Map<number, number>();
	const code = (a: number) => (a & ~1) >>> 0;
	for (const s of byName.values()) uses.set(code(s.address), (uses.get(code(s.address)) ?? 0) + 1);
	const fallback = symbols.find((s) => s.name === "Default_Handler");
	if (fallback) uses.set(code(fallback.address), (uses.get(code(fallback.address)) ?? 0) + 2);
	return [...byName.values()]
		.map((s) => ({
			symbol: s.name,
			interrupt: s.name.slice(0, -SUFFIX.length),
			address: s.address,
			implemented: (uses.get(code(s.address)) ?? 0) === 1,
		}))
		.sort((a, b) => (a.symbol < b.symbol ? -1 : 1));
}

interface InterruptIndex {
	data: Stm32Data;
	/** Every interrupt name of every STM32 part, with how many families have it. */
	all: Map<string, number>;
	/** Per part: its main core's interrupt names. */
	ofPart: WeakMap<Stm32Part, Set<string>>;
}

let index: InterruptIndex | undefined;

function interruptIndex(): InterruptIndex {
	const data = chipData();
	if (index?.data === data) return index;
	const families = new Map<string, Set<string>>();
	for (const p of data.parts)
		for (const i of p.cores[0]?.interrupts ?? []) {
			const set = families.get(i.name) ?? new Set();
			set.add(p.family);
			families.set(i.name, set);
		}
	const all = new Map([...families].map(([name, set]) => [name, set.size]));
	index = { data, all, ofPart: new WeakMap() };
	return index;
}

/** Whether some STM32 part has an interrupt of this name. */
export function isStm32Interrupt(name: string): boolean {
	return interruptIndex().all.has(name);
}

/** How many STM32 families have an interrupt of this name (0 for none). */
export function familiesWith(name: string): number {
	return interruptIndex().all.get(name) ?? 0;
}

/** A part's (main core's) interrupt names. */
export function partInterrupts(part: Stm32Part): Set<string> {
	const { ofPart } = interruptIndex();
	let names = ofPart.get(part);
	if (!names) {
		names = new Set((part.cores[0]?.interrupts ?? []).map((i) => i.name));
		ofPart.set(part, names);
	}
	return names;
}

/** The interrupt names any of these parts has. */
export function interruptsOf(parts: readonly Stm32Part[]): Set<string> {
	const out = new Set<string>();
	for (const p of parts) for (const name of partInterrupts(p)) out.add(name);
	return out;
}

export interface LineMatch {
	/** ST's line: "STM32F427/437". */
	line: string;
	/** The part of the line that has them. */
	part: Stm32Part;
	/** How many of the handlers' interrupts its best part has. */
	has: number;
	/** Interrupts that part has and the handlers do not name. */
	extra: number;
}

/**
 * Per family, the line whose single part has the most of the handlers' interrupts (fewest
 * interrupts beyond them on a tie): a startup file lists one part's interrupts, so the family
 * it was made for has a part with nearly all of them.
 */
export function bestLines(interrupts: readonly string[]): Map<string, LineMatch> {
	const best = new Map<string, LineMatch>();
	for (const p of chipData().parts) {
		const names = partInterrupts(p);
		let has = 0;
		for (const n of interrupts) if (names.has(n)) has++;
		const extra = names.size - has;
		const known = best.get(p.family);
		if (!known || has > known.has || (has === known.has && extra < known.extra))
			best.set(p.family, { line: p.line, part: p, has, extra });
	}
	return best;
}
