/**
 * The shape of the generated modules in source/chips/generated/ (written by
 * scripts/generate-chip-data.mjs, described in docs/chip-data.md). Only stm32-data.ts decodes it;
 * everything else uses the decoded `Stm32Part`.
 */

/**
 * One memory region as the data lists it: name, kind, address, size; flash regions add erase
 * size (0 for OTP), write size and the erased value.
 */
export type RawRegion =
	| readonly [name: string, kind: string, address: number, size: number]
	| readonly [
			name: string,
			kind: string,
			address: number,
			size: number,
			eraseSize: number,
			writeSize: number,
			eraseValue: number,
	  ];

export interface RawCore {
	/** "cm0", "cm0p", "cm3", "cm4", "cm7", "cm33", "cm55". */
	name: string;
	/**
	 * "ADC1@40012000+50,GPIOA@40020000+28#gpio_v2,UID@1fff7a10": every peripheral of the group,
	 * base address and (when the data has a register map) the bytes its registers span, in hex,
	 * and for RCC, FLASH, GPIO and PWR the register table (`STM32_REGISTERS`) naming its registers.
	 */
	peripherals: string;
	/** Names by IRQ number, comma-separated: "" where there is none, "A/B" for two names. */
	interrupts: string;
}

export interface RawPart {
	/** Without the "STM32" prefix: "F407VG". */
	name: string;
	/** Index into the group's `memories`. */
	memory: number;
	/** "F407VGTx:LQFP100,F407VGHx:UFBGA176": order-code stem and package. */
	packages: string;
	/** Per core: the group's peripherals and interrupts this part lacks, comma-separated. */
	absent?: readonly (readonly [peripherals: string, interrupts: string])[];
}

/** Parts of one line on one die. */
export interface RawGroup {
	family: string;
	line: string;
	die: string;
	deviceId: number;
	/** Reference manual: ST document number and title. */
	manual?: string;
	cores: readonly RawCore[];
	/** Memory maps; each part has one or more configurations (e.g. single- and dual-bank). */
	memories: readonly (readonly (readonly RawRegion[])[])[];
	parts: readonly RawPart[];
}

/**
 * A register table: "AHB1ENR@30,APB1ENR@40", register names and offsets from the peripheral's
 * base, in hex (the clock enables, flash keys, GPIO mode and data and PWR control registers).
 */
export type RawRegisterTable = string;

/** Per family and device ID (die): where its main flash starts and the sizes its parts have. */
export interface RawDie {
	/** "STM32F4". */
	family: string;
	deviceId: number;
	/** Start of the main flash. */
	flash: number;
	/** Main flash sizes of the die's parts, in KB, ascending. */
	flashKb: readonly number[];
}

/** What `list` needs to name a device from its flash layout, without the full data. */
export interface RawIndexEntry {
	/** Index into STM32_GROUPS. */
	group: number;
	family: string;
	line: string;
	deviceId: number;
	/** "0x08000000:4x16384,1x65536,7x131072=F407VG,F407ZG" (layout-signature.ts form = parts). */
	layouts: readonly string[];
}
