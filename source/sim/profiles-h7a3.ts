/**
 * STM32H7A3/H7B3 (2 MiB: 256 sectors of 8 KiB over two banks) as a board with a swapped-in
 * H7A3VIT6 lists it (27; the pydfuutil listing 28 shows the same names). Unlike the H743, this
 * loader has an OTP alt and a UID-like serial; its option-byte alt spans 297 bytes from
 * FLASH_OPTSR_CUR. iProduct "DFU in FS Mode", bcdUSB 2.00 and wTransferSize 1024 are inferred
 * from the H743/G0 loaders of the same generation (36, 23).
 *
 * Timing, DS13195 (STM32H7A3) "Flash memory characteristics" [recalled, unverified]: 128-bit
 * flash word programming 50 µs, sector (8 KiB) erase 2.2 ms, bank erase 0.5 s.
 */
import { alt } from "./alt-setting.js";
import { h7Codec } from "./option-bytes.js";
import type { ChipProfile } from "./profiles.js";

const KiB = 1024;

export const h7a3: ChipProfile = {
	id: "h7a3",
	vectorCount: 171, // RM0455: 16 system + 155 interrupts
	part: "STM32H7A3VI",
	family: "H7",
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
	captures: ["27_h7a3_koendv_spiram_readme.txt", "28_h7a3class_pydfuutil15.txt"],
	sources: {
		identity:
			"27_h7a3_koendv_spiram_readme.txt (ver=0200); iProduct 36_h7_product_string_rusefi5574.txt (statement); bcdUSB [inferred] as 23_g0c1_st_community_lsusb.txt",
		serial:
			"UID rule [inferred: 27's serial is UID-like]; UID chosen to read 27's serial 376E356F3339",
		alts: "27_h7a3_koendv_spiram_readme.txt; 28_h7a3class_pydfuutil15.txt",
		transferSize: "[inferred] 1024 as the G0/G4 loaders of the same generation",
		firstStatus: "[inferred] dfuIDLE: no log of a download",
		pollTimeouts: "[inferred] the modelled duration: no log shows an H7 poll timeout",
		memory: "RM0455 §4.3 (2 banks × 128 × 8 KiB); generated chip data; AN2606 Table 7",
		optionBytes: "RM0455 §4.9 (registers from FLASH_OPTSR_CUR; 297 bytes as 27 lists)",
		bootloaderId: "AN2606 Table 3 [address and value not re-verified]",
	},
	alts: [
		alt("flash", "@Internal Flash   /0x08000000/256*08Kg", 0x08000000, 2048 * KiB),
		alt("option-bytes", "@Option Bytes   /0x5200201C/01*297 e", 0x5200201c, 297),
		alt("otp", "@OTP Memory   /0x08FFF000/01*1024 e", 0x08fff000, 1024),
	],
	flash: { base: 0x08000000, sectors: Array(256).fill(8 * KiB) as number[] },
	ram: [
		{ address: 0x20000000, size: 128 * KiB }, // DTCM
		{ address: 0x24000000, size: 1024 * KiB }, // AXI SRAM
		{ address: 0x30000000, size: 128 * KiB }, // AHB SRAM
	],
	systemMemory: { address: 0x1ff00000, size: 128 * KiB },
	bootloaderId: { value: 0x91, address: 0x1ff1fffe },
	uid: { words: [0x00440030, 0x33395004, 0x372a353f], address: 0x08fff800 },
	writeAlignment: 8,
	// nWPS: one bit per 4 sectors of bank 1.
	optionBytes: h7Codec(297, 4),
	timing: {
		source: "DS13195 (STM32H7A3) 'Flash memory characteristics' (typ) [recalled, unverified]",
		defaultParallelism: 64,
		rows: {
			64: {
				programUnitBytes: 16,
				programUs: 50,
				eraseMsBySectorKiB: { 8: 2.2 },
				massEraseMs: 1000,
			},
		},
		optionBytesMs: 50,
	},
	peripherals: {
		RCC: 0x58024400,
		FLASH_R: 0x52002000,
		GPIOA: 0x58020000,
		GPIOE: 0x58021000,
		USART1: 0x40011000,
		USB_OTG_HS: 0x40040000,
		SCB_VTOR: 0xe000ed08,
	},
};
