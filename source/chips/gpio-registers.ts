import type { AddressFact, FamilyFacts } from "./types.js";

/**
 * The data registers of every GPIO port the family lists, at the offsets of its reference
 * manual's GPIO register map: the F1 layout (CRL/CRH/IDR/ODR/BSRR, RM0008 §9.5) or the layout
 * every later family shares (MODER/OTYPER/IDR/ODR/BSRR, e.g. RM0090 §8.4.11).
 */
export function gpioRegisters(family: FamilyFacts): AddressFact[] {
	const f1 = family.family === "F1";
	const offsets: [string, number][] = f1
		? [
				["CRL", 0x00],
				["CRH", 0x04],
				["IDR", 0x08],
				["ODR", 0x0c],
				["BSRR", 0x10],
			]
		: [
				["MODER", 0x00],
				["OTYPER", 0x04],
				["IDR", 0x10],
				["ODR", 0x14],
				["BSRR", 0x18],
			];
	const source = f1 ? "RM0008 §9.5 GPIO register map" : `${family.documents[0]} GPIO register map`;
	return family.peripherals
		.filter((p) => /^GPIO[A-K]$/.test(p.name))
		.flatMap((port) =>
			offsets.map(([reg, offset]) => ({
				name: `${port.name}_${reg}`,
				address: port.address + offset,
				source,
			})),
		);
}
