/**
 * Profiles of the Cortex-M0/M3 loaders: STM32F042 and STM32F072 (one listing each, 32 and 31:
 * the same fixed serial `FFFFFFFEFFFF` on every F0 board found) and the connectivity-line
 * STM32F105/F107 (lsusb 03 and download log 04: serial `STM32`, bcdDevice 0x2000, bus powered).
 * Their option bytes are value/complement byte pairs (option-bytes-byte-pairs.ts).
 *
 * Timing, DS10555 (F042), DS9826 (F072), DS6014 (F105/107), "Flash memory characteristics":
 * 16-bit programming 53.5 µs typical (40-60 µs on F0, 40-70 µs on F1); page and mass erase
 * 20-40 ms, no typical value given: the minimum is used [recalled, unverified].
 */
import { alt } from "./alt-setting.js";
import { bytePairCodec } from "./option-bytes-byte-pairs.js";
import type { ChipProfile, FlashTiming } from "./profiles.js";

const KiB = 1024;

function f0f1Timing(pageKiB: number): FlashTiming {
	return {
		source:
			"DS10555/DS9826/DS6014 'Flash memory characteristics' (typ, erase at its minimum) [recalled]",
		defaultParallelism: 16,
		rows: {
			16: {
				programUnitBytes: 2,
				programUs: 53.5,
				eraseMsBySectorKiB: { [pageKiB]: 20 },
				massEraseMs: 20,
			},
		},
		optionBytesMs: 40,
	};
}

const F0_PERIPHERALS = {
	RCC: 0x40021000,
	FLASH_R: 0x40022000,
	GPIOA: 0x48000000,
	GPIOC: 0x48000800,
	USART1: 0x40013800,
	USB_FS: 0x40005c00,
	SCB_VTOR: 0xe000ed08,
};

const F0_SOURCES = {
	identity:
		"ver=2200 from 31_f072_slcan_converter_notes.txt and 32_f042_akira_qmk_notes.txt; iProduct, bcdUSB, device status [inferred] as the F4 loaders",
	serial: "31_f072_slcan_converter_notes.txt, 32_f042_akira_qmk_notes.txt (FFFFFFFEFFFF)",
	transferSize: "31_f072_slcan_converter_notes.txt (transfer size 2048)",
	firstStatus: "31_f072_slcan_converter_notes.txt (dfuIDLE, status 0)",
	pollTimeouts: "[inferred] the modelled duration: no log shows an F0 poll timeout",
	optionBytes: "RM0091 §4.1 (value/complement byte pairs)",
	bootloaderId: "AN2606 Table 3 [ID value not re-verified]",
};

/** STM32F072RB (128 KiB, 2 KiB pages) as a USB-CAN converter lists and reads it (31). */
export const f072: ChipProfile = {
	id: "f072",
	vectorCount: 48, // RM0091: 16 system + 32 interrupts
	part: "STM32F072RB",
	family: "F0",
	usb: {
		vendorId: 0x0483,
		productId: 0xdf11,
		bcdDevice: 0x2200,
		bcdUSB: 0x0100,
		manufacturer: "STMicroelectronics",
		product: "STM32  BOOTLOADER",
		deviceStatus: 0x0001,
		transferSize: 2048,
		serial: { kind: "fixed", text: "FFFFFFFEFFFF" },
		firstStatus: "idle",
	},
	captures: ["31_f072_slcan_converter_notes.txt"],
	sources: {
		...F0_SOURCES,
		alts: "31_f072_slcan_converter_notes.txt",
		memory: "RM0091 §3.2 (2 KiB pages); generated chip data; AN2606 Table 7 (write alignment 4)",
	},
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/064*0002Kg", 0x08000000, 128 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FFFF800/01*016 e", 0x1ffff800, 16),
	],
	flash: { base: 0x08000000, sectors: Array(64).fill(2 * KiB) as number[] },
	ram: [{ address: 0x20000000, size: 16 * KiB }],
	systemMemory: { address: 0x1fffc800, size: 12 * KiB },
	bootloaderId: { value: 0xa1, address: 0x1ffff6a6 },
	uid: { words: [0x0036001f, 0x3233510a, 0x20363656], address: 0x1ffff7ac },
	writeAlignment: 4,
	// One nWRP bit per 2 pages (4 KiB).
	optionBytes: bytePairCodec(2),
	timing: f0f1Timing(2),
	peripherals: F0_PERIPHERALS,
};

/** STM32F042K6 (32 KiB, 1 KiB pages) as an AKIRA keyboard lists it (32). */
export const f042: ChipProfile = {
	...f072,
	id: "f042",
	part: "STM32F042K6",
	captures: ["32_f042_akira_qmk_notes.txt"],
	sources: {
		...F0_SOURCES,
		transferSize: "[inferred] as the F072 (31_f072_slcan_converter_notes.txt)",
		firstStatus: "[inferred] as the F072 (31_f072_slcan_converter_notes.txt: dfuIDLE)",
		alts: "32_f042_akira_qmk_notes.txt",
		memory: "RM0091 §3.2 (1 KiB pages); generated chip data; AN2606 Table 7 (write alignment 4)",
	},
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/032*0001Kg", 0x08000000, 32 * KiB),
		f072.alts[1]!,
	],
	flash: { base: 0x08000000, sectors: Array(32).fill(KiB) as number[] },
	ram: [{ address: 0x20000000, size: 6 * KiB }],
	systemMemory: { address: 0x1fffc400, size: 13 * KiB },
	bootloaderId: { value: 0xa0, address: 0x1ffff6a6 },
	// One nWRP bit per 4 pages (4 KiB).
	optionBytes: bytePairCodec(4),
	timing: f0f1Timing(1),
};

/**
 * STM32F105/107 (256 KiB, 2 KiB pages) exactly as dfu-util's device logs show it (03, 04).
 * AN2606 gives these loaders no bootloader ID byte.
 */
export const f107: ChipProfile = {
	id: "f107",
	vectorCount: 84, // RM0008: 16 system + 68 interrupts
	part: "STM32F107VC",
	family: "F1",
	usb: {
		...f072.usb,
		bcdDevice: 0x2000,
		product: "STM32 0x418 DFU Bootloader",
		deviceStatus: 0x0000,
		serial: { kind: "fixed", text: "STM32" },
	},
	captures: ["03_f107_lsusb_dfu-util-devicelogs.txt", "04_f107_download_dfu-util-devicelogs.txt"],
	sources: {
		identity: "03_f107_lsusb_dfu-util-devicelogs.txt",
		serial: "03_f107_lsusb_dfu-util-devicelogs.txt (STM32)",
		alts: "03_f107_lsusb_dfu-util-devicelogs.txt",
		transferSize: "03_f107_lsusb_dfu-util-devicelogs.txt; 04_f107_download_dfu-util-devicelogs.txt",
		firstStatus: "04_f107_download_dfu-util-devicelogs.txt (dfuIDLE, status 0)",
		pollTimeouts: "[inferred] the modelled duration: dfu-util 0.4 prints no poll timeout",
		memory: "RM0008 §3.3.3 (connectivity line, 2 KiB pages); generated chip data; AN2606 Table 7",
		optionBytes: "PM0075 §2.5 (value/complement byte pairs; nWRP bit 31 covers pages 62-127)",
		bootloaderId: "AN2606 Table 3: none on F105/F107",
	},
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/128*002Kg", 0x08000000, 256 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FFFF800/01*016 g", 0x1ffff800, 16),
	],
	flash: { base: 0x08000000, sectors: Array(128).fill(2 * KiB) as number[] },
	ram: [{ address: 0x20000000, size: 64 * KiB }],
	systemMemory: { address: 0x1fffb000, size: 18 * KiB },
	uid: { words: [0x0030002e, 0x3338470b, 0x35353637], address: 0x1ffff7e8 },
	writeAlignment: 4,
	optionBytes: bytePairCodec(2, 31),
	timing: f0f1Timing(2),
	peripherals: {
		RCC: 0x40021000,
		FLASH_R: 0x40022000,
		GPIOA: 0x40010800,
		GPIOC: 0x40011000,
		USART1: 0x40013800,
		USB_OTG_FS: 0x50000000,
		SCB_VTOR: 0xe000ed08,
	},
};
