import { chipParts } from "../chips/generated-facts.js";
import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Finding } from "../store/events.js";
import { type IrqHandler, interruptsOf, isStm32Interrupt } from "./irq-handlers.js";

/** Implemented handlers are named one finding each, up to this many; the rest in one more. */
const EACH = 6;

function named(h: IrqHandler): string {
	return `${h.symbol} at ${hex(h.address)}`;
}

/**
 * An ELF's IRQ handlers against the chip: a handler (an STM32 interrupt name, irq-handlers.ts)
 * for an interrupt that no part the chip stands for has. The code it holds never runs there,
 * and its vector-table slot belongs to another interrupt or to none. Implemented handlers warn,
 * one finding each with the symbol and its address; the weak defaults a startup file lists for
 * another part are noted in one finding.
 */
export function irqFindings(handlers: readonly IrqHandler[], chip: Chip | undefined): Finding[] {
	if (!chip || !handlers.length) return [];
	const parts = chipParts(chip);
	if (!parts.length) return [];
	const has = interruptsOf(parts);
	const missing = handlers.filter((h) => isStm32Interrupt(h.interrupt) && !has.has(h.interrupt));
	if (!missing.length) return [];
	const out: Finding[] = [];
	const implemented = missing.filter((h) => h.implemented);
	for (const h of implemented.slice(0, EACH)) {
		out.push({
			id: "irq.missing",
			severity: "warning",
			message: `The code handles the ${h.interrupt} interrupt (${named(h)}), which the ${chip.name} does not have: that handler never runs there, and its slot in the vector table is another interrupt's or none. Check the image was built for this part.`,
			evidence: { symbol: h.symbol, address: h.address, interrupt: h.interrupt },
		});
	}
	const rest = implemented.slice(EACH);
	if (rest.length)
		out.push({
			id: "irq.missing",
			severity: "warning",
			message: `${rest.length} more handlers for interrupts the ${chip.name} does not have: ${rest.slice(0, 4).map(named).join(", ")}${rest.length > 4 ? ", ..." : ""}.`,
			evidence: { count: rest.length, symbol: rest[0]!.symbol, address: rest[0]!.address },
		});
	const defaults = missing.filter((h) => !h.implemented);
	if (defaults.length)
		out.push({
			id: "irq.missing-defaults",
			severity: "info",
			message: `The startup code lists ${defaults.length} interrupt${defaults.length === 1 ? "" : "s"} the ${chip.name} does not have (${defaults.slice(0, 3).map(named).join(", ")}${defaults.length > 3 ? ", ..." : ""}; default handlers): its vector table was made for another part.`,
			evidence: {
				count: defaults.length,
				symbol: defaults[0]!.symbol,
				address: defaults[0]!.address,
			},
		});
	return out;
}
