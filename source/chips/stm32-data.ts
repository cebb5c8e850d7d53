/**
 * Facts of every STM32 part, generated from embassy-rs/stm32-data-generated (docs/chip-data.md).
 *
 * The data (about 570 KB of source) stays out of the commands that do not need it: esbuild puts
 * the dynamic import below in a chunk of its own, loaded on the first `loadChipData()`.
 *
 *   const data = await loadChipData();
 *   const part = data.part("STM32F407VGT6");     // order code → STM32F407VG
 *   part.memory.ram;                              // [{ name: "CCMRAM", start: 0x10000000, ... }, ...]
 *   part.cores[0].vectorCount;                    // 98
 *   part.writeSize;                               // 4 (G4: 8, H7: 32)
 *   data.resolve("f407").parts;                   // every STM32F407xx
 *   data.resolve("F999");                         // throws UnknownChipError with the closest names
 *   peripheralAt(part.cores[0], 0x40020014);      // GPIOA (from stm32-part.ts)
 *   coreRegisters(part.cores[0]);                 // [{ name: "RCC_AHB1ENR", address: 0x40023830 }, ...]
 *
 * After one awaited `loadChipData()`, `chipData()` returns the same object synchronously.
 */

import {
	closestStm32Names,
	type NameIndex,
	nameIndex,
	type Stm32Selection,
	selectStm32,
} from "./stm32-names.js";
import { decodeGroup, registerTables, type Stm32Part } from "./stm32-part.js";
import { UnknownChipError } from "./unknown-chip-error.js";

export type { Stm32Selection } from "./stm32-names.js";
export type * from "./stm32-part.js";

export interface Stm32DataSource {
	repository: string;
	commit: string;
	licence: string;
}

export interface Stm32Data {
	/** Where the data comes from: repository, commit, licence. */
	source: Stm32DataSource;
	/** Every part, sorted by name. */
	parts: readonly Stm32Part[];
	/** Short family names: "C0", "F4", "L4+", ... */
	families: readonly string[];
	/** One part by its name or an order code that starts with it ("STM32F407VGT6"); else undefined. */
	part(name: string): Stm32Part | undefined;
	/** A part, a line ("f407": all STM32F407xx) or a family ("F4"); undefined when none matches. */
	select(name: string): Stm32Selection | undefined;
	/** As `select`, but an unknown name throws UnknownChipError naming the closest known names. */
	resolve(name: string): Stm32Selection;
	/** Up to five known names nearest to an unknown one: families, lines, parts. */
	closest(name: string): string[];
	/** Parts with this DBGMCU device ID. */
	byDeviceId(id: number): readonly Stm32Part[];
}

let loaded: Stm32Data | undefined;
let loading: Promise<Stm32Data> | undefined;

function build(
	source: Stm32DataSource,
	groups: readonly import("./stm32-data-format.js").RawGroup[],
	registers: Readonly<Record<string, string>>,
): Stm32Data {
	const tables = registerTables(registers);
	const index: NameIndex = nameIndex(groups.flatMap((g) => decodeGroup(g, tables)));
	const families = [...new Set(index.sorted.map((p) => p.family))].sort();
	return {
		source,
		parts: index.sorted,
		families,
		part(name) {
			const s = selectStm32(index, name);
			return s?.kind === "part" && s.parts.length === 1 ? s.parts[0] : undefined;
		},
		select: (name) => selectStm32(index, name),
		resolve(name) {
			const s = selectStm32(index, name);
			if (!s) throw new UnknownChipError(name, closestStm32Names(index, name));
			return s;
		},
		closest: (name) => closestStm32Names(index, name),
		byDeviceId: (id) => index.sorted.filter((p) => p.deviceId === id),
	};
}

/** Loads and decodes the generated data once; later calls return the same object. */
export function loadChipData(): Promise<Stm32Data> {
	loading ??= import("./generated/stm32-data.js").then((m) => {
		loaded = build(m.STM32_DATA_SOURCE, m.STM32_GROUPS, m.STM32_REGISTERS);
		return loaded;
	});
	return loading;
}

/** The data after `await loadChipData()`; throws when it was not loaded yet. */
export function chipData(): Stm32Data {
	if (!loaded) throw new Error("chip data used before `await loadChipData()`");
	return loaded;
}

/** The data when some caller has loaded it, else undefined (never loads it). */
export function chipDataIfLoaded(): Stm32Data | undefined {
	return loaded;
}
