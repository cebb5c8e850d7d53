import type { AddressFact, RamKind, RamRegion } from "./types.js";

/*
 * Peripheral bases and register addresses in families/ were cross-checked by compiling each
 * family's ST CMSIS device header (STMicroelectronics/cmsis_device_xx, Include/) on the host
 * and comparing RCC/GPIO/FLASH/PWR/SYSCFG bases and every listed register with these tables.
 */

export const KB = 1024;

/** The ST ROM DFU loader's USB identity on every family (docs/dfuse-protocol.md §1c, dfu-util 60-dfuse.rules). */
export const ST_DFU_IDS = { dfuVendorId: 0x0483, dfuProductId: 0xdf11 } as const;

export const AN2606_TABLE3 =
	"AN2606 Table 3 (bootloader ID, ID location, DFU availability) as summarised in docs/dfuse-protocol.md §1c";
/** For bootloader ID values: Table 3 was not at hand first-hand when these were entered. */
export const AN2606_IDS = `${AN2606_TABLE3}; ID values not re-verified against a first-hand copy of Table 3`;
export const DFUSE_LISTINGS = "public dfu-util -l listings collected in docs/dfuse-protocol.md §1c";
export const ARMV7M_ARM = "ARMv7-M Architecture Reference Manual §B3.2 (SCB) / Cortex-M7 TRM";

/**
 * Vector-table length from ST's CMSIS device header for `header`: 16 system entries + the
 * highest IRQn_Type number + 1 (STMicroelectronics/cmsis_device_xx Include/, checked against
 * the GCC startup file's g_pfnVectors, which may add trailing reserved zero words).
 */
export function cmsisVectors(header: string, note = ""): string {
	return `ST CMSIS ${header}: 16 + highest IRQn + 1${note ? ` ${note}` : ""}`;
}

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
