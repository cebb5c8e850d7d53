import { FAMILIES } from "../chips/catalog.js";
import { generatedRam, generatedSource } from "../chips/generated-facts.js";
import { ARM_SYSTEM, OTHER_ARM } from "../chips/other-arm.js";
import { chipData, type Stm32Data } from "../chips/stm32-data.js";
import type { Stm32Part } from "../chips/stm32-part.js";
import type { AddressFact, Core, Fpu, RamRegion } from "../chips/types.js";

/**
 * Every part family the guesser weighs, STM32 or not, reduced to what an image can show:
 * addresses its code names, the vector-table lengths and RAM tops its parts have, and
 * whether it has an FPU or a Cortex-M7 cache. The STM32 families are read from the generated
 * chip data (docs/chip-data.md), which must be loaded (`await loadChipData()`).
 */
export interface Candidate {
	/** "F4", "nRF52", ... */
	family: string;
	stm32: boolean;
	/** "STM32F4", "Nordic nRF52" for messages. */
	label: string;
	peripherals: AddressFact[];
	registers: AddressFact[];
	/**
	 * Parts a guess can name: for an STM32 family, its hand-written ROM-loader parts
	 * ("STM32F405/407"), each as often as its dies' parts differ in vector count and RAM.
	 */
	parts: { name: string; vectorCount?: number; ram: RamRegion[] }[];
	fpu: Fpu | "unknown";
	cache: boolean;
	core?: Core;
}

/** A peripheral block is taken to span 1 KB from its base (true of RCC, GPIO and FLASH). */
export const BLOCK_SIZE = 0x400;

/**
 * The blocks whose addresses a start-up touches and that tell families apart: clock control,
 * flash interface, power, system configuration, GPIO ports, the first ADC, and blocks only
 * some lines have (G4 CORDIC/FMAC/DMAMUX, WB/WL IPCC, WL sub-GHz radio). Their registers
 * (clock enables, flash keys, GPIO data) are the data's (STM32_REGISTERS).
 */
const KEY_BLOCK = /^(RCC|FLASH|PWR|SYSCFG|AFIO|GPIO[A-D]|ADC1|CORDIC|FMAC|IPCC|SUBGHZSPI)$/;

/**
 * TrustZone parts (Cortex-M33, M55) also map every peripheral at a secure alias 0x10000000
 * above its non-secure address, which the data does not list (RM0438 §2.3, RM0456 §2.3).
 */
const SECURE_ALIAS = 0x10000000;

function addUnique(list: AddressFact[], seen: Set<string>, fact: AddressFact): void {
	const key = `${fact.name}@${fact.address}`;
	if (seen.has(key)) return;
	seen.add(key);
	list.push(fact);
}

function fromData(family: string, parts: readonly Stm32Part[]): Candidate {
	const source = generatedSource(`STM32${family}`);
	const peripherals: AddressFact[] = [];
	const registers: AddressFact[] = [];
	const seen = new Set<string>();
	const cores = new Set(parts.map((p) => p.cores[0]).filter((c) => c !== undefined));
	const main = parts[0]?.cores[0];
	const trustZone = main?.core === "Cortex-M33" || main?.core === "Cortex-M55";
	for (const core of cores) {
		for (const p of core.peripherals) {
			if (!KEY_BLOCK.test(p.name)) continue;
			addUnique(peripherals, seen, { name: p.name, address: p.address, source });
			for (const r of p.registers ?? [])
				addUnique(registers, seen, {
					name: `${p.name}_${r.name}`,
					address: p.address + r.offset,
					source,
				});
			if (trustZone && p.address >= 0x40000000 && p.address < 0x50000000)
				addUnique(peripherals, seen, {
					name: `${p.name} (secure)`,
					address: p.address + SECURE_ALIAS,
					source: `${source}; secure alias, RM0438 §2.3`,
				});
		}
	}
	const fpus = parts.map((p) => p.cores[0]?.fpu ?? "none");
	return {
		family,
		stm32: true,
		label: `STM32${family}`,
		peripherals,
		registers,
		parts: loaderParts(family, parts),
		fpu: fpus.includes("double") ? "double" : fpus.includes("single") ? "single" : "none",
		cache: main?.cache ?? false,
		...(main ? { core: main.core } : {}),
	};
}

/** The hand-written loader parts of a family, with their dies' vector counts and RAM. */
function loaderParts(family: string, parts: readonly Stm32Part[]): Candidate["parts"] {
	const facts = FAMILIES.find((f) => f.family === family);
	if (!facts) return [];
	return facts.parts.flatMap((part) => {
		const own = parts.filter((p) => part.deviceIds.includes(p.deviceId));
		const byCount = new Map<number, Stm32Part[]>();
		for (const p of own) {
			const n = p.cores[0]?.vectorCount ?? 0;
			byCount.set(n, [...(byCount.get(n) ?? []), p]);
		}
		return [...byCount].map(([vectorCount, same]) => ({
			name: part.name,
			vectorCount,
			ram: [...generatedRam(same), ...(part.ramNotInData ?? [])],
		}));
	});
}

const FPU_OF_OTHER: Record<string, Fpu> = {
	nRF52: "single",
	SAMD21: "none",
	LPC17xx: "none",
	LPC11xx: "none",
	RP2040: "none",
};

const OTHER_CANDIDATES: readonly Candidate[] = OTHER_ARM.map(
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
);

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

interface Signatures {
	data: Stm32Data;
	candidates: readonly Candidate[];
	exact: Map<number, AddressHit[]>;
	/**
	 * One bit per 4 KB page of the address space: set where some candidate names a peripheral
	 * or register (or a Cortex-M system register lives). Most words of an image fall in no such
	 * page, and this lets the scan skip them without a map lookup.
	 */
	pages: Uint8Array;
}

let built: Signatures | undefined;

function signatures(): Signatures {
	const data = chipData();
	if (built?.data === data) return built;
	const byFamily = new Map<string, Stm32Part[]>();
	for (const p of data.parts) {
		const list = byFamily.get(p.family);
		if (list) list.push(p);
		else byFamily.set(p.family, [p]);
	}
	const candidates = [
		...[...byFamily].map(([family, parts]) => fromData(family, parts)),
		...OTHER_CANDIDATES,
	];
	const exact = new Map<number, AddressHit[]>();
	const pages = new Uint8Array(1 << 20);
	for (const candidate of candidates) {
		for (const fact of [...candidate.peripherals, ...candidate.registers]) {
			const block = owningBlock(candidate.peripherals, fact.address);
			const hits = exact.get(fact.address) ?? [];
			if (!hits.some((h) => h.candidate === candidate))
				hits.push({ candidate, fact, block, exact: true });
			exact.set(fact.address, hits);
			pages[fact.address >>> 12] = 1;
			pages[(fact.address + BLOCK_SIZE - 1) >>> 12] = 1;
		}
	}
	for (const fact of Object.values(ARM_SYSTEM)) pages[fact.address >>> 12] = 1;
	built = { data, candidates, exact, pages };
	return built;
}

/** Every STM32 family of the generated data, then the other vendors' parts. */
export function candidates(): readonly Candidate[] {
	return signatures().candidates;
}

/** One flag per 4 KB page some candidate names a register or block in (see `Signatures`). */
export function registerPages(): Uint8Array {
	return signatures().pages;
}

/** False when no candidate could own `address`: a fast first filter before lookupAddress. */
export function mayNameRegister(address: number): boolean {
	return signatures().pages[address >>> 12] === 1;
}

const PERIPHERAL_SPACE = 0x40000000;

/** Who names this exact address, or else whose peripheral block it falls in. */
export function lookupAddress(address: number): AddressHit[] {
	const { exact, candidates: all } = signatures();
	const hits0 = exact.get(address);
	if (hits0) return hits0;
	const hits: AddressHit[] = [];
	// Below 0x40000000 lies memory on most parts (an nRF52's FICR is an STM32F4's CCM RAM, an
	// LPC17's GPIO an STM32L4+'s SRAM): there only exact register addresses count.
	if (address < PERIPHERAL_SPACE) return hits;
	for (const candidate of all) {
		const block = candidate.peripherals.find(
			(p) => address >= p.address && address < p.address + BLOCK_SIZE,
		);
		if (block) hits.push({ candidate, fact: block, block, exact: false });
	}
	return hits;
}
