import { FAMILIES } from "../chips/catalog.js";
import { gpioRegisters } from "../chips/gpio-registers.js";
import { ARM_SYSTEM, OTHER_ARM } from "../chips/other-arm.js";
import type { AddressFact, Core, FamilyFacts, Fpu, PartFacts, RamRegion } from "../chips/types.js";

/**
 * Every part family the guesser weighs, STM32 or not, reduced to what an image can show:
 * addresses its code names, the vector-table lengths and RAM tops its parts have, and
 * whether it has an FPU or a Cortex-M7 cache.
 */
export interface Candidate {
	/** "F4", "nRF52", ... */
	family: string;
	stm32: boolean;
	/** "STM32F4", "Nordic nRF52" for messages. */
	label: string;
	peripherals: AddressFact[];
	registers: AddressFact[];
	parts: { name: string; vectorCount?: number; ram: RamRegion[] }[];
	fpu: Fpu | "unknown";
	cache: boolean;
	/** For families only the generated data knows. */
	core?: Core;
	facts?: FamilyFacts;
	stmParts?: PartFacts[];
}

/** A peripheral block is taken to span 1 KB from its base (true of RCC, GPIO and FLASH). */
export const BLOCK_SIZE = 0x400;

function fromStm32(f: FamilyFacts): Candidate {
	return {
		family: f.family,
		stm32: true,
		label: `STM32${f.family}`,
		peripherals: f.peripherals,
		registers: [
			...f.registers,
			...gpioRegisters(f).filter((g) => !f.registers.some((r) => r.address === g.address)),
		],
		parts: f.parts.map((p) => ({ name: p.name, vectorCount: p.vectorCount, ram: p.ram })),
		fpu: f.fpu,
		cache: f.core === "Cortex-M7",
		facts: f,
		stmParts: f.parts,
	};
}

const FPU_OF_OTHER: Record<string, Fpu> = {
	nRF52: "single",
	SAMD21: "none",
	LPC17xx: "none",
	LPC11xx: "none",
	RP2040: "none",
};

export const CANDIDATES: readonly Candidate[] = [
	...FAMILIES.map(fromStm32),
	...OTHER_ARM.map(
		(o): Candidate => ({
			family: o.name,
			stm32: false,
			label: `${o.vendor} ${o.name}`,
			peripherals: o.peripherals,
			registers: o.registers,
			parts: [{ name: o.name, ram: o.ram }],
			fpu: FPU_OF_OTHER[o.name] ?? "unknown",
			cache: false,
		}),
	),
];

export interface AddressHit {
	candidate: Candidate;
	fact: AddressFact;
	/** The peripheral block the address falls in (itself for a base). */
	block?: AddressFact;
	exact: boolean;
}

/** A named register belongs to the nearest peripheral base below it (within 4 KB). */
function owningBlock(peripherals: AddressFact[], address: number): AddressFact | undefined {
	let best: AddressFact | undefined;
	for (const p of peripherals) {
		if (
			p.address <= address &&
			address - p.address < 0x1000 &&
			(!best || p.address > best.address)
		) {
			best = p;
		}
	}
	return best;
}

const exactIndex = new Map<number, AddressHit[]>();
for (const candidate of CANDIDATES) {
	for (const fact of [...candidate.peripherals, ...candidate.registers]) {
		const block = owningBlock(candidate.peripherals, fact.address);
		const hits = exactIndex.get(fact.address) ?? [];
		if (!hits.some((h) => h.candidate === candidate))
			hits.push({ candidate, fact, block, exact: true });
		exactIndex.set(fact.address, hits);
	}
}

/**
 * One bit per 4 KB page of the address space: set where some candidate names a peripheral or
 * register (or a Cortex-M system register lives). Most words of an image fall in no such page,
 * and this lets the scan skip them without a map lookup.
 */
export const REGISTER_PAGES = new Uint8Array(1 << 20);
function markPage(address: number): void {
	REGISTER_PAGES[address >>> 12] = 1;
}
for (const candidate of CANDIDATES) {
	for (const fact of [...candidate.peripherals, ...candidate.registers]) {
		markPage(fact.address);
		markPage(fact.address + BLOCK_SIZE - 1);
	}
}
for (const fact of Object.values(ARM_SYSTEM)) markPage(fact.address);

/** False when no candidate could own `address`: a fast first filter before lookupAddress. */
export function mayNameRegister(address: number): boolean {
	return REGISTER_PAGES[address >>> 12] === 1;
}

const PERIPHERAL_SPACE = 0x40000000;

/** Who names this exact address, or else whose peripheral block it falls in. */
export function lookupAddress(address: number): AddressHit[] {
	const exact = exactIndex.get(address);
	if (exact) return exact;
	const hits: AddressHit[] = [];
	// Below 0x40000000 lies memory on most parts (an nRF52's FICR is an STM32F4's CCM RAM, an
	// LPC17's GPIO an STM32L4+'s SRAM): there only exact register addresses count.
	if (address < PERIPHERAL_SPACE) return hits;
	for (const candidate of CANDIDATES) {
		const block = candidate.peripherals.find(
			(p) => address >= p.address && address < p.address + BLOCK_SIZE,
		);
		if (block) hits.push({ candidate, fact: block, block, exact: false });
	}
	return hits;
}
