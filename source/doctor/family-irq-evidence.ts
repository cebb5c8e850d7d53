import { hex } from "../errors.js";
import type { Tally } from "./family-evidence.js";
import {
	bestLines,
	familiesWith,
	type IrqHandler,
	isStm32Interrupt,
	partInterrupts,
} from "./irq-handlers.js";

/** A startup file's handler names are the part's interrupt list: they weigh like a part name. */
const IRQ_NAMES = 2.5;
/** Fewer handlers than this say too little (a hand-written vector table names a few). */
const MIN_HANDLERS = 3;
/** Interrupts the data names differently from ST's startup files (H7 COMP, COMP1 in CMSIS). */
const NAME_SLACK = 2;

function named(h: IrqHandler): string {
	return `${h.symbol} at ${hex(h.address)}`;
}

/**
 * The ELF's IRQ handler names against every STM32 part's interrupts (irq-handlers.ts): the
 * family whose one part has (nearly) all of them gains, a family whose best part lacks
 * several loses; names no STM32 has (UART0, TIMER0, EINT0: an LPC) count against every STM32.
 * Each claim names a handler and its address.
 */
export function applyIrqEvidence(tallies: Tally[], handlers: readonly IrqHandler[]): void {
	if (handlers.length < MIN_HANDLERS) return;
	const known = handlers.filter((h) => isStm32Interrupt(h.interrupt));
	const foreign = handlers.filter((h) => !isStm32Interrupt(h.interrupt));
	if (foreign.length > known.length) {
		const share = foreign.length / handlers.length;
		const listed = foreign.slice(0, 2).map(named).join(", ");
		for (const t of tallies) {
			if (t.candidate.stm32) t.score -= IRQ_NAMES * share;
			else
				t.evidence.push(
					`${foreign.length} of its ${handlers.length} interrupt handlers name interrupts no STM32 has (${listed})`,
				);
		}
		return;
	}
	if (known.length < MIN_HANDLERS) return;
	const interrupts = known.map((h) => h.interrupt);
	const lines = bestLines(interrupts);
	const top = Math.max(0, ...[...lines.values()].map((l) => l.has));
	const tolerance = Math.max(NAME_SLACK, Math.ceil(known.length * 0.05));
	// The rarest interrupts (fewest families have them) make the best examples.
	const rarest = [...known].sort(
		(a, b) =>
			Number(b.implemented) - Number(a.implemented) ||
			familiesWith(a.interrupt) - familiesWith(b.interrupt),
	);
	for (const t of tallies) {
		if (!t.candidate.stm32) continue;
		const match = lines.get(t.candidate.family);
		if (!match) continue;
		const deficit = top - match.has;
		if (deficit === 0) {
			t.score += match.extra <= NAME_SLACK ? IRQ_NAMES : IRQ_NAMES / 2;
			const example = rarest.slice(0, 2).map(named).join(", ");
			t.evidence.unshift(
				`its ELF names ${known.length} interrupt handlers, ${match.has} of them interrupts of the ${match.line} (${example})`,
			);
		} else {
			t.score -= IRQ_NAMES * Math.min(1, deficit / tolerance);
			const own = partInterrupts(match.part);
			const missing = rarest.filter((h) => !own.has(h.interrupt));
			t.evidence.push(
				`${missing.length} of its ${known.length} interrupt handlers name interrupts the closest STM32${t.candidate.family} part, ${match.part.name}, does not have (${missing.slice(0, 2).map(named).join(", ")})`,
			);
		}
	}
}
