/**
 * Profiles of the G0/G4 loaders: STM32G0B1 (21, and the G0C1 listing and lsusb 23, the G0B0
 * CubeProgrammer log 35) and STM32G431 (19). The G0 loaders are of the "DFU in FS Mode"
 * generation: bcdUSB 2.00, bcdDevice 0x0200, and all three alt settings named after the flash
 * (21, 23). What alts 1 and 2 reach is not in any capture; they are modelled as the option bytes
 * (CubeProgrammer reads them over DFU at 0x1FFF7800, 35) and the OTP area [inferred].
 *
 * Timing, DS13560 (G0B1) and DS12589 (G431) "Flash memory characteristics", typical: 64-bit
 * programming 85 µs (G0) / 81.7 µs (G4), page (2 KiB) erase 22 ms, mass erase 22.1 ms [recalled].
 */
import { alt } from "./alt-setting.js";
import { singleBankWordCodec } from "./option-bytes.js";
import type { ChipProfile, FlashTiming } from "./profiles.js";

const KiB = 1024;

function g0g4Timing(programUs: number): FlashTiming {
	return {
		source: "DS13560 (G0B1) / DS12589 (G431) 'Flash memory characteristics' (typ) [recalled]",
		defaultParallelism: 64,
		rows: {
			64: { programUnitBytes: 8, programUs, eraseMsBySectorKiB: { 2: 22 }, massEraseMs: 22.1 },
		},
		optionBytesMs: 25,
	};
}

const G0_FLASH_NAME = "@Internal Flash   /0x08000000/64*02Kg";

/** STM32G0B1 with 128 KiB (64 pages of 2 KiB) as a BIGTREETECH U2C lists it (21). */
export const g0b1: ChipProfile = {
	id: "g0b1",
	vectorCount: 47, // RM0444: 16 system + 31 interrupts
	part: "STM32G0B1RB",
	family: "G0",
	usb: {
		vendorId: 0x0483,
		productId: 0xdf11,
		bcdDevice: 0x0200,
		bcdUSB: 0x0200,
		manufacturer: "STMicroelectronics",
		product: "DFU in FS Mode",
		deviceStatus: 0x0001,
		transferSize: 1024,
		serial: { kind: "uid" },
		firstStatus: "idle",
	},
	captures: ["21_g0b1_btt_u2c_klipper_notes.txt", "35_g0b0_st_community_cubeprog_log.txt"],
	sources: {
		identity:
			"21_g0b1_btt_u2c_klipper_notes.txt (ver=0200); bcdUSB 2.00 and iProduct as the G0C1 (23_g0c1_st_community_lsusb.txt) and the G0B0 (35_g0b0_st_community_cubeprog_log.txt); device status [inferred]",
		serial:
			"UID rule [inferred: 21's serial is UID-like]; UID chosen to read 21's serial 207637974130",
		alts: "21_g0b1_btt_u2c_klipper_notes.txt (three alts, the same name); 23_g0c1_st_community_lsusb.txt",
		transferSize: "[inferred] 1024: said of G0 loaders; no capture shows the functional descriptor",
		firstStatus: "[inferred] dfuIDLE: no log of a download",
		pollTimeouts: "[inferred] the modelled duration: no log shows a G0 poll timeout",
		memory: "RM0444 §3.3 (2 KiB pages); generated chip data (write unit 8); AN2606 Table 7",
		optionBytes:
			"RM0444 §3.4 (OPTR..SECR from 0x1FFF7800); 35_g0b0_st_community_cubeprog_log.txt (read at 0x1FFF7800 and 0x1FFF7870)",
		bootloaderId: "AN2606 Table 3 [ID value not re-verified]",
	},
	alts: [
		alt("flash", G0_FLASH_NAME, 0x08000000, 128 * KiB),
		{
			name: G0_FLASH_NAME,
			kind: "option-bytes",
			runs: [{ address: 0x1fff7800, size: 128 }],
			misnamed: true,
		},
		{
			name: G0_FLASH_NAME,
			kind: "otp",
			runs: [{ address: 0x1fff7000, size: 1024 }],
			misnamed: true,
		},
	],
	flash: {
		base: 0x08000000,
		sectors: Array(64).fill(2 * KiB) as number[],
		programUnitMustBeErased: 8,
	},
	ram: [{ address: 0x20000000, size: 144 * KiB }],
	systemMemory: { address: 0x1fff0000, size: 28 * KiB },
	bootloaderId: { value: 0xd2, address: 0x1fff6ffe },
	uid: { words: [0x00410022, 0x41305004, 0x20353775], address: 0x1fff7590 },
	writeAlignment: 4,
	optionBytes: singleBankWordCodec(128, 64, 0x7f),
	timing: g0g4Timing(85),
	peripherals: {
		RCC: 0x40021000,
		FLASH_R: 0x40022000,
		GPIOA: 0x50000000,
		GPIOC: 0x50000800,
		USART1: 0x40013800,
		USB_DRD_FS: 0x40005c00,
		SCB_VTOR: 0xe000ed08,
	},
};

/**
 * STM32G0C1 with 512 KiB (256 pages of 2 KiB over two banks) as its lsusb and listing show it
 * (23; the forum collapsed runs of spaces, so names compare without them).
 */
export const g0c1: ChipProfile = {
	...g0b1,
	id: "g0c1",
	vectorCount: 48, // RM0444: 16 system + 32 interrupts (IRQ 31 AES/RNG: the G0C1 has AES)
	part: "STM32G0C1VE",
	captures: ["23_g0c1_st_community_lsusb.txt"],
	sources: {
		...g0b1.sources,
		identity:
			"23_g0c1_st_community_lsusb.txt (bcdUSB 2.00, bcdDevice 2.00, iProduct); device status [inferred]",
		serial: "UID rule [inferred: the G0B1's (21); 23's serial is redacted]",
		alts: "23_g0c1_st_community_lsusb.txt (three alts, the same name)",
		optionBytes: `${g0b1.sources.optionBytes} [approximate: bank 2's WRP areas are not modelled]`,
	},
	alts: g0b1.alts.map((alt) => ({
		...alt,
		name: "@Internal Flash   /0x08000000/256*02Kg",
		...(alt.kind === "flash" ? { runs: [{ address: 0x08000000, size: 512 * KiB }] } : {}),
	})),
	flash: { ...g0b1.flash, sectors: Array(256).fill(2 * KiB) as number[] },
	uid: { words: [0x00400021, 0x47305004, 0x2031374b], address: 0x1fff7590 },
	optionBytes: singleBankWordCodec(128, 256, 0xff),
};

/** STM32G431 with 128 KiB (64 pages of 2 KiB) as a Rust example's README lists it (19). */
export const g431: ChipProfile = {
	id: "g431",
	vectorCount: 118, // RM0440: 16 system + 102 interrupts
	part: "STM32G431RB",
	family: "G4",
	usb: {
		...g0b1.usb,
		bcdUSB: 0x0100,
		product: "STM32  BOOTLOADER",
	},
	captures: ["19_g431_rust_blink_readme.txt"],
	sources: {
		identity:
			"19_g431_rust_blink_readme.txt (ver=0200); iProduct, bcdUSB [inferred] as the F4 loaders",
		serial:
			"UID rule [inferred: 19's serial is UID-like]; UID chosen to read 19's serial 208A31574253",
		alts: "19_g431_rust_blink_readme.txt",
		transferSize:
			"siliconwitchery/web-stm32-updater#3 (a G431 reporting 1024) [not kept as a capture]",
		firstStatus: "[inferred] dfuIDLE: no log of a download",
		pollTimeouts: "[inferred] the modelled duration: no log shows a G4 poll timeout",
		memory:
			"RM0440 §3.3.1 (category 2, single bank); generated chip data (write unit 8); AN2606 Table 7",
		optionBytes: "RM0440 §3.4 (OPTR, PCROP1 start/end, WRP1A, WRP1B: 40 bytes as 19 lists)",
		bootloaderId: "AN2606 Table 3 (0xD4) [ID value not re-verified]",
	},
	alts: [
		alt("flash", "@Internal Flash   /0x08000000/64*02Kg", 0x08000000, 128 * KiB),
		alt("option-bytes", "@Option Bytes   /0x1FFF7800/01*40Be", 0x1fff7800, 40),
		alt("otp", "@OTP Memory   /0x1FFF7000/01*01Ke", 0x1fff7000, 1024),
	],
	flash: {
		base: 0x08000000,
		sectors: Array(64).fill(2 * KiB) as number[],
		programUnitMustBeErased: 8,
	},
	ram: [
		{ address: 0x20000000, size: 32 * KiB }, // SRAM1 + SRAM2 + CCM alias
		{ address: 0x10000000, size: 10 * KiB }, // CCM SRAM
	],
	systemMemory: { address: 0x1fff0000, size: 28 * KiB },
	bootloaderId: { value: 0xd4, address: 0x1fff6ffe },
	uid: { words: [0x00280047, 0x42535004, 0x20623110], address: 0x1fff7590 },
	writeAlignment: 8,
	optionBytes: singleBankWordCodec(40, 64, 0x7f),
	timing: g0g4Timing(81.7),
	peripherals: {
		RCC: 0x40021000,
		FLASH_R: 0x40022000,
		GPIOA: 0x48000000,
		GPIOC: 0x48000800,
		USART1: 0x40013800,
		USB_FS: 0x40005c00,
		SCB_VTOR: 0xe000ed08,
	},
};
