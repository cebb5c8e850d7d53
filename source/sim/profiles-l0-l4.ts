/**
 * Profiles of the L0/L4 loaders: STM32L43x (a Mobilinkd TNC3 listing, 29) and STM32L07x/L08x
 * (a BigClown Core Module listing, 30: 1536 pages of 128 bytes and the data EEPROM as alt 2).
 * Both are ver=2200 loaders with UID-like serials; the L0 flash reads 0x00 when erased.
 *
 * Timing [recalled, unverified]: L43x DS11451 "Flash memory characteristics", 64-bit programming
 * 81.7 µs, page (2 KiB) erase 22 ms, mass erase 22.1 ms; L0x3 DS10182, program (half page) and
 * page erase 3.2 ms each. [inferred] The L0 loader programs by half page (64 bytes); there is no
 * mass erase command on L0, so a mass erase takes one page erase per page.
 */

import { alt } from "./alt-setting.js";
import { singleBankWordCodec } from "./option-bytes.js";
import { l0Codec } from "./option-bytes-byte-pairs.js";
import type { ChipProfile } from "./profiles.js";

const KiB = 1024;

/** STM32L43x (256 KiB, 128 pages of 2 KiB) as a Mobilinkd TNC3 lists it (29). */
export const l43x: ChipProfile = {
	id: "l43x",
	vectorCount: 99, // RM0394: 16 system + 83 interrupts
	part: "STM32L433RC",
	family: "L4",
	usb: {
		vendorId: 0x0483,
		productId: 0xdf11,
		bcdDevice: 0x2200,
		bcdUSB: 0x0100,
		manufacturer: "STMicroelectronics",
		product: "STM32  BOOTLOADER",
		deviceStatus: 0x0001,
		transferSize: 2048,
		serial: { kind: "uid" },
		firstStatus: "idle",
	},
	captures: ["29_l4_tnc3_issue12.txt"],
	sources: {
		identity:
			"29_l4_tnc3_issue12.txt (ver=2200); iProduct, bcdUSB, device status [inferred] as the F4 loaders",
		serial:
			"UID rule [inferred: 29's serial is UID-like]; UID chosen to read 29's serial 207E32823141",
		alts: "29_l4_tnc3_issue12.txt",
		transferSize: "[inferred] 2048 as the other ver=2200 loaders",
		firstStatus: "[inferred] dfuIDLE: no log of a download",
		pollTimeouts: "[inferred] the modelled duration: no log shows an L4 poll timeout",
		memory: "RM0394 §3.3.1 (2 KiB pages); generated chip data (write unit 8); AN2606 Table 7",
		optionBytes: "RM0394 §3.4 (OPTR, PCROP1 start/end, WRP1A, WRP1B: 40 bytes as 29 lists)",
		bootloaderId: "AN2606 Table 3 (address 0x1FFF6FFE) [ID value not re-verified]",
	},
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/0128*0002Kg", 0x08000000, 256 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FFF7800/01*040 e", 0x1fff7800, 40),
		alt("otp", "@OTP Memory /0x1FFF7000/01*0001Ke", 0x1fff7000, 1024),
		alt("device-feature", "@Device Feature/0xFFFF0000/01*004 e", 0xffff0000, 4),
	],
	flash: {
		base: 0x08000000,
		sectors: Array(128).fill(2 * KiB) as number[],
		programUnitMustBeErased: 8,
	},
	ram: [
		{ address: 0x20000000, size: 64 * KiB }, // SRAM1 48 KiB + SRAM2 16 KiB
		{ address: 0x10000000, size: 16 * KiB }, // SRAM2 at its own address
	],
	systemMemory: { address: 0x1fff0000, size: 28 * KiB },
	bootloaderId: { value: 0x91, address: 0x1fff6ffe },
	uid: { words: [0x00360027, 0x31415004, 0x2048325b], address: 0x1fff7590 },
	writeAlignment: 8,
	optionBytes: singleBankWordCodec(40, 128, 0xff),
	timing: {
		source: "DS11451 (STM32L43x) 'Flash memory characteristics' (typ) [recalled]",
		defaultParallelism: 64,
		rows: {
			64: {
				programUnitBytes: 8,
				programUs: 81.7,
				eraseMsBySectorKiB: { 2: 22 },
				massEraseMs: 22.1,
			},
		},
		optionBytesMs: 25,
	},
	peripherals: {
		RCC: 0x40021000,
		FLASH_R: 0x40022000,
		GPIOA: 0x48000000,
		GPIOB: 0x48000400,
		USART2: 0x40004400,
		USB_FS: 0x40006800,
		SCB_VTOR: 0xe000ed08,
	},
};

/** STM32L07x/L08x (192 KiB, 1536 pages of 128 bytes) as a BigClown Core Module lists it (30). */
export const l08x: ChipProfile = {
	id: "l08x",
	vectorCount: 48, // RM0367: 16 system + 32 interrupts
	part: "STM32L083CZ",
	family: "L0",
	usb: { ...l43x.usb },
	captures: ["30_l0_192k_bigclown_notes.txt"],
	sources: {
		...l43x.sources,
		identity:
			"30_l0_192k_bigclown_notes.txt (ver=2200); iProduct, bcdUSB, device status [inferred] as the F4 loaders",
		serial:
			"UID rule [inferred: 30's serial is UID-like]; UID chosen to read 30's serial 7FB4A4356231",
		alts: "30_l0_192k_bigclown_notes.txt",
		pollTimeouts: "[inferred] the modelled duration: no log shows an L0 poll timeout",
		memory:
			"RM0367 §3.3 (128-byte pages, 2 × 3 KiB data EEPROM, erased flash reads 0x00); generated chip data; AN2606 Table 7",
		optionBytes: "RM0367 §3.4.1 (32 bytes, value/complement halfwords)",
		bootloaderId: "AN2606 Table 3 (address 0x1FF01FFE) [ID value not re-verified]",
	},
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/1536*128g", 0x08000000, 192 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FF80000/01*032 e", 0x1ff80000, 32),
		alt("eeprom", "@DATA Memory /0x08080000/2*3Ke", 0x08080000, 6 * KiB),
	],
	flash: {
		base: 0x08000000,
		sectors: Array(1536).fill(128) as number[],
		erasedValue: 0x00,
	},
	ram: [{ address: 0x20000000, size: 20 * KiB }],
	systemMemory: { address: 0x1ff00000, size: 8 * KiB },
	bootloaderId: { value: 0xc3, address: 0x1ff01ffe },
	uid: { words: [0x0034001d, 0x62315004, 0x7f80a418], address: 0x1ff80050 },
	writeAlignment: 8,
	// One WRPROT bit per sector of 32 pages (4 KiB).
	optionBytes: l0Codec(32),
	timing: {
		source: "DS10182 (STM32L0x3) 'Flash memory and data EEPROM characteristics' (typ) [recalled]",
		defaultParallelism: 32,
		rows: {
			32: {
				programUnitBytes: 64,
				programUs: 3200,
				eraseMsBySectorKiB: { 0.125: 3.2 },
				massEraseMs: 1536 * 3.2,
			},
		},
		optionBytesMs: 10,
	},
	peripherals: {
		RCC: 0x40021000,
		FLASH_R: 0x40022000,
		GPIOA: 0x50000000,
		GPIOB: 0x50000400,
		USART2: 0x40004400,
		USB_FS: 0x40005c00,
		SCB_VTOR: 0xe000ed08,
	},
};
