/**
 * Decoded STM32 part facts (from the generated data, see docs/chip-data.md), and the few core
 * facts the data does not carry, each with its source.
 */
import type { RawCore, RawGroup, RawPart, RawRegion } from "./stm32-data-format.js";
import type { Core, Fpu } from "./types.js";

/** A register of a peripheral, by the data's register map. */
export interface Register {
	/** The data's name: "AHB1ENR", "ODR", "KEYR1"; "CR[0]" for an array's first element. */
	name: string;
	/** Bytes from the peripheral's base. */
	offset: number;
}

export interface Peripheral {
	name: string;
	/** Base address of its register block. */
	address: number;
	/**
	 * RCC, FLASH, GPIO and PWR: the registers a minimal firmware touches (clock enables, flash
	 * access control and keys, GPIO mode and data, PWR control), from the data's register map.
	 */
	registers?: readonly Register[];
	/**
	 * Bytes from `address` to the end of its last register, from the data's register map; absent
	 * where the data has none (calibration values, UID). The block ST reserves is usually larger
	 * (1 KB or more), so an access past `size` may still be inside the peripheral's slot.
	 */
	size?: number;
}

export interface Interrupt {
	name: string;
	/** IRQ number: vector table entry 16 + number. */
	number: number;
}

export interface Stm32Core {
	/** The data's core name: "cm0", "cm0p", "cm3", "cm4", "cm7", "cm33", "cm55". */
	id: string;
	core: Core;
	fpu: Fpu;
	/** L1 instruction and data caches in the core (Cortex-M7, Cortex-M55). */
	cache: boolean;
	/** Thumb-2 (ARMv7-M and later mainline); false on Cortex-M0/M0+ (ARMv6-M). */
	thumb2: boolean;
	/** Sorted by number; two names may share a number. */
	interrupts: readonly Interrupt[];
	/** Vector table entries up to the last interrupt: 16 + highest IRQ number + 1. */
	vectorCount: number;
	/** Sorted by address. */
	peripherals: readonly Peripheral[];
}

export interface MemoryRegion {
	/** The data's name: "SRAM1", "CCMRAM", "DTCM", "EEPROM", ... */
	name: string;
	start: number;
	size: number;
}

export interface FlashRegion extends MemoryRegion {
	/** Sector or page size: the unit an erase takes. */
	eraseSize: number;
	/** Smallest unit the flash programs at once (bytes): 8 on G4/L4, 32 on H7. */
	writeSize: number;
	/** What an erased byte reads: 0xFF, or 0x00 on STM32L0/L1. */
	erasedValue: number;
}

/** One memory configuration of a part (some have two, e.g. single- and dual-bank flash). */
export interface MemoryMap {
	/** Main flash, by address (OTP is apart). */
	flash: readonly FlashRegion[];
	otp: readonly FlashRegion[];
	/** By address. */
	ram: readonly MemoryRegion[];
	eeprom: readonly MemoryRegion[];
}

export interface Package {
	/** Order-code stem: "STM32F407VGTx" (x = temperature range). */
	name: string;
	/** "LQFP100", "UFBGA176", ... */
	package: string;
}

export interface Stm32Part {
	/** "STM32F407VG". */
	name: string;
	/** Short family name as the rest of bringup writes it: "F4", "L4+", "WBA". */
	family: string;
	/** ST's line: "STM32F407/417". */
	line: string;
	/** "DIE413". */
	die: string;
	/** DBGMCU_IDCODE DEV_ID: 0x413. */
	deviceId: number;
	/** Reference manual: ST document number and title. */
	referenceManual?: string;
	packages: readonly Package[];
	/** The main core first (Cortex-M7 on STM32H745, Cortex-M4 on STM32WL55). */
	cores: readonly Stm32Core[];
	/** The configuration the data lists first. */
	memory: MemoryMap;
	/** Every configuration, `memory` first. */
	memories: readonly MemoryMap[];
	/** Total main flash of `memory`, in bytes. */
	flashSize: number;
	/** Largest write size of `memory`'s main flash (0 when the part has no internal flash). */
	writeSize: number;
}

const CORES: Record<string, Core> = {
	cm0: "Cortex-M0",
	cm0p: "Cortex-M0+",
	cm3: "Cortex-M3",
	cm4: "Cortex-M4",
	cm7: "Cortex-M7",
	cm33: "Cortex-M33",
	cm55: "Cortex-M55",
};

/**
 * Double-precision FPUs, which the data does not tell from single ones (it lists an "FPU"
 * interrupt on every part with an FPU):
 * - STM32F76x/77x (die 0x451): DS11532 (STM32F765xx/767xx/768Ax/769xx) §2.1, "double-precision FPU";
 *   the other F7 dies (F72x/73x, F74x/75x) have FPv5 single precision (DS10916 §2.1, DS11853 §2.1).
 * - STM32H7 Cortex-M7: DS12110 (STM32H743xI) §3.1, "double-precision FPU".
 * - Cortex-M55 (STM32N6): its FPU handles half, single and double precision (Arm Cortex-M55 TRM,
 *   "Floating-point unit").
 */
function fpuOf(family: string, die: string, core: string, interrupts: readonly Interrupt[]): Fpu {
	if (!interrupts.some((i) => i.name === "FPU")) return "none";
	if (core === "cm55") return "double";
	if (core === "cm7" && (family === "H7" || die === "DIE451")) return "double";
	return "single";
}

/** Register tables by name, decoded on first use and shared by every peripheral naming one. */
export type RegisterTables = (name: string) => readonly Register[] | undefined;

export function registerTables(raw: Readonly<Record<string, string>>): RegisterTables {
	const decoded = new Map<string, readonly Register[]>();
	return (name) => {
		const known = decoded.get(name);
		if (known) return known;
		const text = raw[name];
		if (text === undefined) return undefined;
		const list = text.split(",").map((entry) => {
			const at = entry.lastIndexOf("@");
			return { name: entry.slice(0, at), offset: Number.parseInt(entry.slice(at + 1), 16) };
		});
		decoded.set(name, list);
		return list;
	};
}

function decodePeripherals(text: string, tables: RegisterTables): Peripheral[] {
	if (!text) return [];
	return text
		.split(",")
		.map((entry) => {
			const at = entry.indexOf("@");
			const hash = entry.indexOf("#", at);
			const [address, size] = entry.slice(at + 1, hash < 0 ? undefined : hash).split("+");
			const p: Peripheral = { name: entry.slice(0, at), address: Number.parseInt(address!, 16) };
			if (size) p.size = Number.parseInt(size, 16);
			const registers = hash < 0 ? undefined : tables(entry.slice(hash + 1));
			if (registers) p.registers = registers;
			return p;
		})
		.sort((a, b) => a.address - b.address || (a.name < b.name ? -1 : 1));
}

/** A core's named registers as absolute addresses: "RCC_AHB1ENR" at 0x40023830, ... */
export function coreRegisters(core: Stm32Core): { name: string; address: number }[] {
	return core.peripherals.flatMap((p) =>
		(p.registers ?? []).map((r) => ({
			name: `${p.name}_${r.name}`,
			address: p.address + r.offset,
		})),
	);
}

function decodeInterrupts(text: string): Interrupt[] {
	const out: Interrupt[] = [];
	text.split(",").forEach((names, number) => {
		if (!names) return;
		for (const name of names.split("/")) out.push({ name, number });
	});
	return out;
}

/** A group's core, decoded once, and narrowed to what one part has. */
class GroupCore {
	private decoded?: { peripherals: Peripheral[]; interrupts: Interrupt[]; whole: Stm32Core };

	constructor(
		private readonly family: string,
		private readonly die: string,
		private readonly raw: RawCore,
		private readonly tables: RegisterTables,
	) {}

	private all() {
		if (!this.decoded) {
			const peripherals = decodePeripherals(this.raw.peripherals, this.tables);
			const interrupts = decodeInterrupts(this.raw.interrupts);
			this.decoded = { peripherals, interrupts, whole: this.make(peripherals, interrupts) };
		}
		return this.decoded;
	}

	forPart(absent?: readonly [string, string]): Stm32Core {
		const all = this.all();
		if (!absent || (!absent[0] && !absent[1])) return all.whole;
		const lacksP = new Set(absent[0] ? absent[0].split(",") : []);
		const lacksI = new Set(absent[1] ? absent[1].split(",") : []);
		return this.make(
			all.peripherals.filter((p) => !lacksP.has(p.name)),
			all.interrupts.filter((i) => !lacksI.has(i.name)),
		);
	}

	private make(peripherals: Peripheral[], interrupts: Interrupt[]): Stm32Core {
		const id = this.raw.name;
		const core = CORES[id];
		if (!core) throw new Error(`unknown core "${id}" in the generated chip data`);
		const last = interrupts.reduce((max, i) => Math.max(max, i.number), -1);
		return {
			id,
			core,
			fpu: fpuOf(this.family, this.die, id, interrupts),
			cache: id === "cm7" || id === "cm55",
			thumb2: id !== "cm0" && id !== "cm0p",
			interrupts,
			vectorCount: 16 + last + 1,
			peripherals,
		};
	}
}

function decodeMemory(regions: readonly RawRegion[]): MemoryMap {
	const flash: FlashRegion[] = [];
	const otp: FlashRegion[] = [];
	const ram: MemoryRegion[] = [];
	const eeprom: MemoryRegion[] = [];
	for (const r of regions) {
		const [name, kind, start, size] = r;
		if (kind === "flash" && r.length === 7) {
			const region = { name, start, size, eraseSize: r[4], writeSize: r[5], erasedValue: r[6] };
			(name === "OTP" ? otp : flash).push(region);
		} else if (kind === "ram") ram.push({ name, start, size });
		else if (kind === "eeprom") eeprom.push({ name, start, size });
	}
	const byStart = (a: MemoryRegion, b: MemoryRegion) => a.start - b.start;
	return {
		flash: flash.sort(byStart),
		otp: otp.sort(byStart),
		ram: ram.sort(byStart),
		eeprom: eeprom.sort(byStart),
	};
}

/**
 * The peripheral whose registers hold `address`: the one whose span (`size`) covers it, else
 * the nearest base at or below it within `slot` bytes (ST maps most peripherals to 1 KB slots,
 * RM0090 §2.3 Table 1), else undefined: no peripheral of this core is there.
 */
export function peripheralAt(
	core: Stm32Core,
	address: number,
	slot = 0x400,
): Peripheral | undefined {
	let nearest: Peripheral | undefined;
	for (const p of core.peripherals) {
		if (p.address > address) break;
		if (p.size !== undefined && address < p.address + p.size) return p;
		if (address < p.address + Math.max(slot, p.size ?? 0)) nearest = p;
	}
	return nearest;
}

/** "STM32F4" → "F4", "STM32L4+" → "L4+". */
export function shortFamily(family: string): string {
	return family.replace(/^STM32/, "");
}

/**
 * The parts of one generated group. Names and packages are decoded at once; cores and memory
 * maps on first use (a name lookup over all parts touches neither).
 */
export function decodeGroup(
	group: RawGroup,
	tables: RegisterTables = () => undefined,
): Stm32Part[] {
	const family = shortFamily(group.family);
	const cores = group.cores.map((c) => new GroupCore(family, group.die, c, tables));
	const memories: (MemoryMap[] | undefined)[] = [];
	const memoriesOf = (n: number): MemoryMap[] => {
		const raw = group.memories[n];
		if (!raw?.[0]) throw new Error(`${group.line}: no memory map ${n} in the generated data`);
		memories[n] ??= raw.map(decodeMemory);
		return memories[n];
	};
	return group.parts.map((raw) => new Part(group, family, raw, cores, memoriesOf));
}

class Part implements Stm32Part {
	readonly name: string;
	readonly line: string;
	readonly die: string;
	readonly deviceId: number;
	readonly referenceManual?: string;
	readonly packages: readonly Package[];
	private decodedCores?: readonly Stm32Core[];

	constructor(
		group: RawGroup,
		readonly family: string,
		private readonly raw: RawPart,
		private readonly groupCores: readonly GroupCore[],
		private readonly memoriesOf: (n: number) => MemoryMap[],
	) {
		this.name = `STM32${raw.name}`;
		this.line = group.line;
		this.die = group.die;
		this.deviceId = group.deviceId;
		if (group.manual) this.referenceManual = group.manual;
		this.packages = raw.packages.split(",").map((entry) => {
			const at = entry.indexOf(":");
			return { name: `STM32${entry.slice(0, at)}`, package: entry.slice(at + 1) };
		});
	}

	get cores(): readonly Stm32Core[] {
		this.decodedCores ??= this.groupCores.map((c, n) => c.forPart(this.raw.absent?.[n]));
		return this.decodedCores;
	}

	get memories(): readonly MemoryMap[] {
		return this.memoriesOf(this.raw.memory);
	}

	get memory(): MemoryMap {
		return this.memories[0]!;
	}

	get flashSize(): number {
		return this.memory.flash.reduce((sum, r) => sum + r.size, 0);
	}

	get writeSize(): number {
		return this.memory.flash.reduce((max, r) => Math.max(max, r.writeSize), 0);
	}
}
