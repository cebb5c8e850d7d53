import type { Stm32Part } from "./stm32-part.js";

/**
 * STM32 facts as data. Every fact carries the document it comes from (`source`), so that a
 * message built from it can be checked against the reference manual, datasheet or AN2606.
 */
export type Core =
	| "Cortex-M0"
	| "Cortex-M0+"
	| "Cortex-M3"
	| "Cortex-M4"
	| "Cortex-M7"
	| "Cortex-M33"
	| "Cortex-M55";

/** "single" = FPv4-SP / FPv5-SP, "double" = FPv5-DP (F76x/F77x, H7). */
export type Fpu = "none" | "single" | "double";

export type RamKind = "sram" | "ccm" | "dtcm" | "itcm" | "axi" | "backup";

export interface RamRegion {
	name: string;
	start: number;
	size: number;
	kind: RamKind;
	source: string;
}

/** A peripheral block base or one register, always as an absolute address. */
export interface AddressFact {
	name: string;
	address: number;
	source: string;
}

export interface OptionBytesFact {
	/** Address the DFU loader exposes them at (alt "Option Bytes"). */
	address: number;
	size: number;
	source: string;
}

/** Memory-layout strings a ROM loader reports, as seen in public listings (docs/dfuse-protocol.md §1c). */
export interface LayoutStrings {
	flash?: string[];
	optionBytes?: string[];
	otp?: string[];
}

/**
 * What the generated chip data (docs/chip-data.md) does not say about a group of parts: the ROM
 * loader's behaviour and the few memories the data lacks. Memory maps, flash sizes, peripherals,
 * registers, interrupts, cores and FPUs come from the data, for the dies in `deviceIds`.
 */
export interface PartFacts {
	/** Most specific name, e.g. "STM32F405/407". */
	name: string;
	/** Short names accepted by `--chip`, e.g. ["F405", "F407", "F415", "F417"]. */
	aliases: string[];
	/**
	 * The dies these facts are for (DBGMCU_IDCODE device IDs, as the data lists them): the
	 * parts of the family with these IDs are the parts this entry stands for.
	 */
	deviceIds: number[];
	/** Whether the ROM system bootloader of this part speaks USB DFU (AN2606 Table 3). */
	usbDfu: boolean;
	layouts?: LayoutStrings;
	bootloaderIds?: number[];
	/** When the part keeps its bootloader ID elsewhere than the family's `idAddress`. */
	bootloaderIdAddress?: number;
	/** RAM the reference manual lists that the generated data lacks (F7 ITCM RAM, U5 SRAM4). */
	ramNotInData?: RamRegion[];
	source: string;
}

export interface FamilyFacts {
	/** Short family name: "F4", "L4+", ... */
	family: string;
	/** Reference manuals and application notes the family's facts come from. */
	documents: string[];
	optionBytes?: OptionBytesFact;
	bootloader: {
		dfuVendorId: number;
		dfuProductId: number;
		/** bcdDevice values seen from this family's DFU loader. */
		bcdDevice: number[];
		/** Where AN2606 places the bootloader ID byte (last byte address − 1 of system memory). */
		idAddress?: number;
		source: string;
	};
	parts: PartFacts[];
}

/** A family, narrowed to one part when the part is known. */
export interface Chip {
	/** "STM32F405/407", or "STM32F4" when only the family is known. */
	name: string;
	family: FamilyFacts;
	part?: PartFacts;
	/**
	 * The parts of the generated chip data (source/chips/stm32-data.ts) this name stands for:
	 * one for "STM32F407VG", every STM32F407xx for "F407", the family for "F4". Present when the
	 * data was loaded before the chip was looked up (`resolveChip` loads it); otherwise the
	 * accessors in catalog.ts take the parts of the part's dies (or the family) from the data,
	 * which must be loaded by then.
	 */
	parts?: readonly Stm32Part[];
}
