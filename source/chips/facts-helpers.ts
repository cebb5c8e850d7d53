import type { AddressFact, RamKind, RamRegion } from "./types.js";

/*
 * Helpers for the facts written by hand: the ROM loader's (families/) and the other vendors'
 * parts (other-arm.ts). STM32 memory maps, peripherals and registers come from the generated
 * chip data (docs/chip-data.md), never from here.
 */

export const KB = 1024;

/** The ST ROM DFU loader's USB identity on every family (docs/dfuse-protocol.md §1c, dfu-util 60-dfuse.rules). */
export const ST_DFU_IDS = { dfuVendorId: 0x0483, dfuProductId: 0xdf11 } as const;

export const AN2606_TABLE3 =
	"AN2606 Table 3 (bootloader ID, ID location, DFU availability) as summarised in docs/dfuse-protocol.md §1c";
/** For bootloader ID values: Table 3 was not at hand first-hand when these were entered. */
export const AN2606_IDS = `${AN2606_TABLE3}; ID values not re-verified against a first-hand copy of Table 3`;
export const DFUSE_LISTINGS = "public dfu-util -l listings collected in docs/dfuse-protocol.md §1c";

export function ram(
	name: string,
	start: number,
	sizeKb: number,
	kind: RamKind,
	source: string,
): RamRegion {
	return { name, start, size: sizeKb * KB, kind, source };
}

export function at(name: string, address: number, source: string): AddressFact {
	return { name, address, source };
}
