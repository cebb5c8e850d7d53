/**
 * Chip profiles as data: what one STM32 system bootloader shows over USB and what its flash does.
 *
 * Layout strings are written exactly as real loaders report them (sources in docs/dfuse-protocol.md §1c, the
 * reference captures in test/fixtures/captures); `runs` repeats the same facts as
 * numbers for the memory model, and a test checks that both agree.
 */
import { alt } from "./alt-setting.js";
import { f4Codec, f7Codec, g4Codec, h7Codec, type OptionByteCodec } from "./option-bytes.js";
import { f042, f072, f107 } from "./profiles-f0-f1.js";
import { g0b1, g0c1, g431 } from "./profiles-g0-g4.js";
import { h7a3 } from "./profiles-h7a3.js";
import { l08x, l43x } from "./profiles-l0-l4.js";

export type Family = "F0" | "F1" | "F4" | "F7" | "G0" | "G4" | "H7" | "L0" | "L4";

/**
 * What an alt setting gives access to. Alt 0 also reaches RAM and system memory (AN2662 p.77).
 * "eeprom": the L0/L1 data EEPROM, written byte by byte without an erase.
 */
export type AltKind = "flash" | "option-bytes" | "otp" | "device-feature" | "eeprom";

/**
 * How the loader makes its iSerialNumber string:
 * - "uid": hex(UID0 + UID2) then the top 16 bits of UID1 (test/fixtures/captures/
 *   34_f2f3f4_serial_rule_libopencm3_760.txt, F2/F4; the same string on G0/G4/L0/L4/H7A3 boards);
 * - "idcode": the same sum over the three words at DBGMCU_IDCODE (0x5C001000) instead of the UID,
 *   so every chip of one revision reads alike (26_h745_st_community_serial.txt, H74x/H75x);
 * - "fixed": one string for every chip (F446/F72x `STM32FxSTM32`, F0 `FFFFFFFEFFFF`, F105/F107
 *   `STM32`).
 */
export type SerialRule =
	| { kind: "uid" }
	| { kind: "idcode"; words: [number, number, number] }
	| { kind: "fixed"; text: string };

/**
 * Where each group of a profile's facts comes from: a capture file in test/fixtures/captures/,
 * an ST document, or "inferred" with the reason. The fidelity test reads `captures` to know what
 * to hold the profile against.
 */
export interface ProfileSources {
	/** bcdDevice, bcdUSB, iManufacturer, iProduct, device status. */
	identity: string;
	serial: string;
	/** The alt settings and their names. */
	alts: string;
	transferSize: string;
	firstStatus: string;
	pollTimeouts: string;
	/** Memory map, sector sizes, write unit, RAM, system memory. */
	memory: string;
	optionBytes: string;
	bootloaderId: string;
}

export interface AddressRun {
	address: number;
	size: number;
}

export interface AltSetting {
	/** The iInterface string, byte for byte as the loader reports it. */
	name: string;
	kind: AltKind;
	runs: AddressRun[];
	/**
	 * The loader gives this alt another memory's name (G0: every alt says "Internal Flash");
	 * `runs` is what it reaches [inferred from the memory it must serve].
	 */
	misnamed?: true;
}

/** Program/erase parallelism in bits (RM0090 §3.5.2: chosen from the supply voltage). */
export type Parallelism = 8 | 16 | 32 | 64;

export interface FlashTimingRow {
	/** Bytes written by one program operation at this parallelism. */
	programUnitBytes: number;
	/** Time of one program operation, microseconds (typical). */
	programUs: number;
	/** Erase time (ms, typical) by sector size in KiB. */
	eraseMsBySectorKiB: Record<number, number>;
	/** Mass erase of the whole flash, ms (typical). */
	massEraseMs: number;
}

export interface FlashTiming {
	/** Where the numbers come from. */
	source: string;
	/** Parallelism the loader programs with until the host writes the Device Feature byte. */
	defaultParallelism: Parallelism;
	rows: Partial<Record<Parallelism, FlashTimingRow>>;
	/** Option-byte programming (OB erase + program inside the flash interface), ms. */
	optionBytesMs: number;
}

export interface ChipProfile {
	id: string;
	part: string;
	family: Family;
	usb: {
		vendorId: number;
		productId: number;
		bcdDevice: number;
		/** USB release the device descriptor claims: 1.00 on F1/F4 loaders, 2.00 on G0/H7. */
		bcdUSB: number;
		manufacturer: string;
		product: string;
		/** GET_STATUS(device) answer: bit 0 self powered. */
		deviceStatus: number;
		/** Functional descriptor wTransferSize. */
		transferSize: number;
		serial: SerialRule;
		/**
		 * What the first GETSTATUS after enumeration answers: F405/F407/F446 loaders say
		 * dfuERROR/errFIRMWARE (a host clears it with CLRSTATUS), F401/F072/F107 say dfuIDLE.
		 */
		firstStatus: "idle" | "errFIRMWARE";
	};
	/** Capture files (test/fixtures/captures/) this profile is held against; empty: none. */
	captures: string[];
	sources: ProfileSources;
	alts: AltSetting[];
	flash: {
		base: number;
		/** Sector (or page) sizes in order from `base`. */
		sectors: number[];
		/**
		 * Bytes per program unit that must still be erased to be programmed (G4: 8, PROGERR);
		 * absent where programming may clear bits of an already programmed word (F4/F7).
		 */
		programUnitMustBeErased?: number;
		/** What an erased byte reads when not 0xFF (L0: 0x00). */
		erasedValue?: number;
	};
	ram: AddressRun[];
	systemMemory: AddressRun;
	/** AN2606 Table 3: "last byte address − 1 of the system memory"; absent on F105/F107. */
	bootloaderId?: { value: number; address: number };
	/** 96-bit unique ID (three little-endian words) and where the chip maps it. */
	uid: { words: [number, number, number]; address: number };
	/** AN2606 Table 7: write address alignment in bytes. */
	writeAlignment: number;
	optionBytes: OptionByteCodec;
	timing: FlashTiming;
	/**
	 * bwPollTimeout the loader reports in its first dfuDNBUSY answer instead of the true duration
	 * (absent: the modelled duration). F4 loaders report 104 ms for Set Address and 100 ms for a
	 * sector or mass erase (06_f401xc_modm_docs_polltimeouts.txt; 12_f446_... for mass erase),
	 * though an erase takes longer; the loader then holds the next GETSTATUS until it is done.
	 */
	pollTimeouts?: { setAddress?: number; erase?: number; massErase?: number };
	/** Peripheral base addresses an image for this family refers to (for synthetic images). */
	peripherals: Record<string, number>;
	/** Vector table entries of the part (16 system + its interrupts), for synthetic images. */
	vectorCount: number;
}

const ST = "STMicroelectronics";
const KiB = 1024;

/**
 * F4 timing, DS8626 (STM32F405/407) §5.3.12 Table "Flash memory programming", typical values:
 * word (one parallelism unit) programming 16 µs; sector erase 16/64/128 KiB
 * x8 400/1200/2000 ms, x16 300/700/1300 ms, x32 250/550/1000 ms; mass erase x8 16 s, x16 11 s,
 * x32 8 s. The F411 (DS10314) and F429 (DS9405) tables give the same sector figures; mass erase
 * scales with the flash size [scaled, not read from those tables].
 */
function f4Timing(massEraseScale: number): FlashTiming {
	return {
		source: "DS8626 Table 'Flash memory programming' (typ); F411/F429 mass erase scaled by size",
		defaultParallelism: 8,
		rows: {
			8: {
				programUnitBytes: 1,
				programUs: 16,
				eraseMsBySectorKiB: { 16: 400, 64: 1200, 128: 2000 },
				massEraseMs: 16000 * massEraseScale,
			},
			16: {
				programUnitBytes: 2,
				programUs: 16,
				eraseMsBySectorKiB: { 16: 300, 64: 700, 128: 1300 },
				massEraseMs: 11000 * massEraseScale,
			},
			32: {
				programUnitBytes: 4,
				programUs: 16,
				eraseMsBySectorKiB: { 16: 250, 64: 550, 128: 1000 },
				massEraseMs: 8000 * massEraseScale,
			},
		},
		optionBytesMs: 20,
	};
}

const F4_PERIPHERALS = {
	RCC: 0x40023800,
	FLASH_R: 0x40023c00,
	GPIOA: 0x40020000,
	GPIOC: 0x40020800,
	GPIOD: 0x40020c00,
	USART2: 0x40004400,
	PWR: 0x40007000,
	USB_OTG_FS: 0x50000000,
	SCB_VTOR: 0xe000ed08,
};

const F4_SECTORS_1M = [
	...Array(4).fill(16 * KiB),
	64 * KiB,
	...Array(7).fill(128 * KiB),
] as number[];
const F4_SECTORS_512K = [
	...Array(4).fill(16 * KiB),
	64 * KiB,
	...Array(3).fill(128 * KiB),
] as number[];

/** F2/F4 loaders report these for Set Address and erases (see ChipProfile.pollTimeouts). */
const F4_POLL_TIMEOUTS = { setAddress: 104, erase: 100, massErase: 100 };
const F4_POLL_SOURCE =
	"06_f401xc_modm_docs_polltimeouts.txt (F401: 104 ms Set Address, 100 ms sector erase); 12_f446_spider_voron_notes_masserase.txt (mass erase 100 ms)";

/**
 * STM32F405/407 with a V2.2 DFU loader (bcdDevice 0x2200). Strings as listed for ver=2200
 * loaders in docs/dfuse-protocol.md §1c (option bytes, OTP and Device Feature typed 'e').
 */
export const f407: ChipProfile = {
	id: "f407",
	vectorCount: 98, // RM: 16 system + 82 interrupts
	part: "STM32F407VG",
	family: "F4",
	usb: {
		vendorId: 0x0483,
		productId: 0xdf11,
		bcdDevice: 0x2200,
		bcdUSB: 0x0100,
		manufacturer: ST,
		product: "STM32  BOOTLOADER",
		deviceStatus: 0x0001,
		transferSize: 2048,
		serial: { kind: "uid" },
		firstStatus: "errFIRMWARE",
	},
	captures: ["10_f405_pyboard_wiki_dfuutil05.txt", "11_f407vet6_platformio118.txt"],
	sources: {
		identity:
			"11_f407vet6_platformio118.txt (ver=2200); iProduct, bcdUSB and device status as in 01_f407_disco_lsusb_dfu-util-devicelogs.txt (V2.1 loader) [inferred unchanged in V2.2]",
		serial:
			"34_f2f3f4_serial_rule_libopencm3_760.txt (UID rule); UID chosen to read the F4 Discovery's serial 315A28A0B956 (01)",
		alts: "10_f405_pyboard_wiki_dfuutil05.txt (all four names); 11_f407vet6_platformio118.txt (alt 3)",
		transferSize: "01_f407_disco_lsusb_dfu-util-devicelogs.txt [inferred unchanged in V2.2]",
		firstStatus:
			"02_f407_disco_download_dfu-util-devicelogs.txt (V2.1) and 12_f446_spider_voron_notes_masserase.txt (V2.2): dfuERROR, status 10",
		pollTimeouts: `[inferred from the F401/F446] ${F4_POLL_SOURCE}`,
		memory: "RM0090 §3.3 Table 5 (sectors); AN2606 Table 7 (write alignment 4)",
		optionBytes: "RM0090 §3.7 Table 15",
		bootloaderId: "AN2606 Table 3 [ID value not re-verified]",
	},
	pollTimeouts: F4_POLL_TIMEOUTS,
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg", 0x08000000, 1024 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FFFC000/01*016 e", 0x1fffc000, 16),
		alt("otp", "@OTP Memory /0x1FFF7800/01*512 e,01*016 e", 0x1fff7800, 528),
		alt("device-feature", "@Device Feature/0xFFFF0000/01*004 e", 0xffff0000, 4),
	],
	flash: { base: 0x08000000, sectors: F4_SECTORS_1M },
	ram: [
		{ address: 0x20000000, size: 128 * KiB },
		{ address: 0x10000000, size: 64 * KiB }, // CCM data RAM
	],
	systemMemory: { address: 0x1fff0000, size: 30 * KiB },
	bootloaderId: { value: 0x91, address: 0x1fff77de },
	// Chosen so that the serial reads 315A28A0B956, the serial of the captured F4 Discovery.
	uid: { words: [0x001f0030, 0xb9563036, 0x313b2870], address: 0x1fff7a10 },
	writeAlignment: 4,
	optionBytes: f4Codec(false, 12),
	timing: f4Timing(1),
	peripherals: F4_PERIPHERALS,
};

/**
 * The F4 Discovery exactly as captured by dfu-util's device-logs (stm32f4discovery.lsusb): a
 * V2.1 loader (bcdDevice 0x2100) whose option-byte, OTP and Device Feature alts are typed 'g'.
 */
export const f407v21: ChipProfile = {
	...f407,
	id: "f407-v21",
	usb: { ...f407.usb, bcdDevice: 0x2100 },
	captures: [
		"01_f407_disco_lsusb_dfu-util-devicelogs.txt",
		"02_f407_disco_download_dfu-util-devicelogs.txt",
	],
	sources: {
		...f407.sources,
		identity: "01_f407_disco_lsusb_dfu-util-devicelogs.txt",
		serial:
			"34_f2f3f4_serial_rule_libopencm3_760.txt (UID rule); UID chosen to read 01's serial 315A28A0B956",
		alts: "01_f407_disco_lsusb_dfu-util-devicelogs.txt",
		transferSize: "01_f407_disco_lsusb_dfu-util-devicelogs.txt",
		firstStatus: "02_f407_disco_download_dfu-util-devicelogs.txt (dfuERROR, status 10)",
	},
	alts: [
		f407.alts[0]!,
		{ ...f407.alts[1]!, name: "@Option Bytes  /0x1FFFC000/01*016 g" },
		{ ...f407.alts[2]!, name: "@OTP Memory /0x1FFF7800/01*512 g,01*016 g" },
		{ ...f407.alts[3]!, name: "@Device Feature/0xFFFF0000/01*004 g" },
	],
};

/**
 * STM32F411xE (512 KiB): the full lsusb of an F401xE/F411xE-class loader (08; the F446, the
 * other part with this layout, reports a fixed serial, which 08 does not).
 */
export const f411: ChipProfile = {
	...f407,
	id: "f411",
	vectorCount: 102, // RM: 16 system + 86 interrupts
	part: "STM32F411CE",
	usb: { ...f407.usb, firstStatus: "idle" },
	captures: ["08_f4_512k_lsusb_rust_comment.txt"],
	sources: {
		...f407.sources,
		identity: "08_f4_512k_lsusb_rust_comment.txt",
		serial:
			"34_f2f3f4_serial_rule_libopencm3_760.txt (UID rule); UID chosen to read 08's serial 348435943539",
		alts: "08_f4_512k_lsusb_rust_comment.txt",
		transferSize: "08_f4_512k_lsusb_rust_comment.txt",
		firstStatus:
			"[inferred] as the F401 (06_f401xc_modm_docs_polltimeouts.txt: dfuIDLE), the loader of the same generation",
		memory: "RM0383 §3.3 Table 4 (sectors); AN2606 Table 7",
	},
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg", 0x08000000, 512 * KiB),
		f407.alts[1]!,
		f407.alts[2]!,
		// [inferred] The README listing stops at OTP; AN2606 Table 4 gives the Device Feature
		// byte to every F2/F4/F7 loader.
		f407.alts[3]!,
	],
	flash: { base: 0x08000000, sectors: F4_SECTORS_512K },
	ram: [{ address: 0x20000000, size: 128 * KiB }],
	systemMemory: { address: 0x1fff0000, size: 30 * KiB },
	bootloaderId: { value: 0xd0, address: 0x1fff76de },
	// Chosen so that the serial reads 348435943539, the serial of capture 08.
	uid: { words: [0x0032001d, 0x35395009, 0x34523577], address: 0x1fff7a10 },
	optionBytes: f4Codec(false, 8),
	timing: f4Timing(0.5),
};

/**
 * STM32F427/429 (2 MiB, dual bank): two address runs on OB and OTP. Of the two 2 MiB listings
 * this follows 17 (LEIA board: two spaces after "Flash", as every other F4 loader prints); the
 * Pixhawk listing (16) has one space there but two after "Bytes", likely an edit. 18 (a 1 MiB
 * string running into garbage) is a damaged read, not a layout.
 */
export const f429: ChipProfile = {
	...f407,
	id: "f429",
	vectorCount: 107, // RM: 16 system + 91 interrupts
	part: "STM32F429ZI",
	captures: ["17_f42x_leia_smartleia_doc.txt"],
	sources: {
		...f407.sources,
		identity: "17_f42x_leia_smartleia_doc.txt (ver=2200, iProduct in its lsusb line)",
		serial:
			"34_f2f3f4_serial_rule_libopencm3_760.txt (UID rule); UID chosen to read 17's serial 326433593336",
		alts: "17_f42x_leia_smartleia_doc.txt",
		firstStatus:
			"[inferred] as the F405/F407 (02, 12: dfuERROR, status 10), the loader of the same generation",
		memory: "RM0090 §3.3 Table 6 (dual bank, 2 MiB); AN2606 Table 7",
	},
	alts: [
		alt(
			"flash",
			"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg",
			0x08000000,
			2048 * KiB,
		),
		{
			name: "@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e",
			kind: "option-bytes",
			runs: [
				{ address: 0x1fffc000, size: 16 },
				{ address: 0x1ffec000, size: 16 },
			],
		},
		// 17 lists one OTP block (16, the Pixhawk, lists a second one at 0x1FFE7800).
		f407.alts[2]!,
		f407.alts[3]!,
	],
	flash: { base: 0x08000000, sectors: [...F4_SECTORS_1M, ...F4_SECTORS_1M] },
	ram: [
		{ address: 0x20000000, size: 192 * KiB },
		{ address: 0x10000000, size: 64 * KiB },
	],
	bootloaderId: { value: 0x91, address: 0x1fff76de },
	// Chosen so that the serial reads 326433593336, the serial of capture 17.
	uid: { words: [0x00300029, 0x33365104, 0x32343330], address: 0x1fff7a10 },
	optionBytes: f4Codec(true, 12),
	timing: f4Timing(2),
};

/**
 * STM32F401RE (512 KiB) as the 96Boards Carbon lists it (05: ver=2200, serial 3574364C3034; that
 * paste collapsed runs of spaces, so the names keep the spacing of the F401xE/F411xE lsusb 08).
 * The download log of an F401xC (06) gives the first status (dfuIDLE), the transfer size and
 * the poll timeouts.
 */
export const f401: ChipProfile = {
	...f411,
	id: "f401",
	vectorCount: 101, // RM0368: 16 system + 85 interrupts
	part: "STM32F401RE",
	usb: { ...f407.usb, firstStatus: "idle" },
	captures: ["05_f401re_96bcarbon_zephyr_doc.txt", "06_f401xc_modm_docs_polltimeouts.txt"],
	sources: {
		...f411.sources,
		identity:
			"05_f401re_96bcarbon_zephyr_doc.txt (ver=2200, iProduct in its dmesg); bcdUSB, device status as 08_f4_512k_lsusb_rust_comment.txt",
		serial:
			"34_f2f3f4_serial_rule_libopencm3_760.txt (UID rule); UID chosen to read 05's serial 3574364C3034",
		alts: "05_f401re_96bcarbon_zephyr_doc.txt (names); spacing from 08_f4_512k_lsusb_rust_comment.txt",
		transferSize: "06_f401xc_modm_docs_polltimeouts.txt (transfer size 2048)",
		firstStatus: "06_f401xc_modm_docs_polltimeouts.txt (dfuIDLE, status 0)",
		pollTimeouts: "06_f401xc_modm_docs_polltimeouts.txt (104 ms Set Address, 100 ms sector erase)",
		memory: "RM0368 §3.3 Table 5; AN2606 Table 7",
		bootloaderId: "AN2606 Table 3 (0xD1) [ID value not re-verified]",
	},
	ram: [{ address: 0x20000000, size: 96 * KiB }],
	bootloaderId: { value: 0xd1, address: 0x1fff76de },
	// Chosen so that the serial reads 3574364C3034, the serial of capture 05.
	uid: { words: [0x00270038, 0x30345113, 0x354d3614], address: 0x1fff7a10 },
};

/**
 * STM32F446RE (512 KiB) as a FYSETC Spider lists and flashes it (12): the fixed serial
 * `STM32FxSTM32`, dfuERROR/errFIRMWARE on the first GETSTATUS, 100 ms reported for a mass erase.
 */
export const f446: ChipProfile = {
	...f411,
	id: "f446",
	vectorCount: 113, // RM0390: 16 system + 97 interrupts
	part: "STM32F446RE",
	usb: {
		...f407.usb,
		serial: { kind: "fixed", text: "STM32FxSTM32" },
		firstStatus: "errFIRMWARE",
	},
	captures: ["12_f446_spider_voron_notes_masserase.txt"],
	sources: {
		...f411.sources,
		identity:
			"12_f446_spider_voron_notes_masserase.txt (ver=2200); iProduct, bcdUSB as the other F4 loaders (08) [inferred]",
		serial: "12_f446_spider_voron_notes_masserase.txt",
		alts: "12_f446_spider_voron_notes_masserase.txt",
		transferSize: "12_f446_spider_voron_notes_masserase.txt (transfer size 2048)",
		firstStatus: "12_f446_spider_voron_notes_masserase.txt (dfuERROR, status 10)",
		pollTimeouts: `12_f446_spider_voron_notes_masserase.txt (mass erase); Set Address and sector erase [inferred] as ${F4_POLL_SOURCE}`,
		memory: "RM0390 §3.3 Table 4; AN2606 Table 7",
		bootloaderId: "AN2606 Table 3 (0x90) [ID value not re-verified]",
	},
	ram: [{ address: 0x20000000, size: 128 * KiB }],
	bootloaderId: { value: 0x90, address: 0x1fff77de },
	uid: { words: [0x0041003a, 0x3836510a, 0x30383432], address: 0x1fff7a10 },
};

/**
 * STM32F722/723 (512 KiB: 4×16 KiB, 1×64 KiB, 3×128 KiB) as a Betaflight note lists it (14),
 * byte for byte: "01*64Kg" without a leading zero, 48 option bytes, OTP "01*528e" with no space,
 * and the fixed serial `STM32FxSTM32` (also 15: every F723 board shows it).
 */
export const f72x: ChipProfile = {
	id: "f72x",
	vectorCount: 120, // RM0431: 16 system + 104 interrupts
	part: "STM32F722RE",
	family: "F7",
	usb: {
		...f407.usb,
		serial: { kind: "fixed", text: "STM32FxSTM32" },
		firstStatus: "errFIRMWARE",
	},
	captures: ["14_f722_betaflight_notes.txt", "15_f723_st_community_static_serial.txt"],
	sources: {
		identity:
			"14_f722_betaflight_notes.txt (ver=2200); iProduct, bcdUSB as the F4 loaders [inferred]",
		serial: "14_f722_betaflight_notes.txt; 15_f723_st_community_static_serial.txt",
		alts: "14_f722_betaflight_notes.txt",
		transferSize:
			"[inferred] as every ST F2/F4 capture with a functional descriptor (01, 03, 08, 09)",
		firstStatus:
			"[inferred] as the F446 (12_f446_spider_voron_notes_masserase.txt), whose fixed serial it shares",
		pollTimeouts: `[inferred from the F4] ${F4_POLL_SOURCE}`,
		memory: "RM0431 §3.3 Table 3; generated chip data (write unit 16, DTCM + SRAM); AN2606 Table 7",
		optionBytes: "RM0431 §3.4 (USER/RDP, nWRP, BOOT_ADD0/1, PCROP, PCROP_RDP)",
		bootloaderId: "AN2606 Table 3 (0x90 at 0x1FF0EDBE) [ID value not re-verified]",
	},
	pollTimeouts: F4_POLL_TIMEOUTS,
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg", 0x08000000, 512 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FFF0000/01*048 e", 0x1fff0000, 48),
		alt("otp", "@OTP Memory /0x1FF07800/01*528e", 0x1ff07800, 528),
		f407.alts[3]!,
	],
	flash: { base: 0x08000000, sectors: F4_SECTORS_512K },
	ram: [{ address: 0x20000000, size: 256 * KiB }], // DTCM 64 KiB + SRAM1/2 192 KiB
	systemMemory: { address: 0x1ff00000, size: 0xedc0 },
	bootloaderId: { value: 0x90, address: 0x1ff0edbe },
	uid: { words: [0x00390028, 0x3437470b, 0x33383035], address: 0x1ff07a10 },
	writeAlignment: 8,
	optionBytes: f7Codec(48),
	timing: {
		...f4Timing(0.5),
		source:
			"[inferred] the F4 table (DS8626) for the same sector sizes; DS11853's own figures not re-read",
	},
	peripherals: {
		RCC: 0x40023800,
		FLASH_R: 0x40023c00,
		GPIOA: 0x40020000,
		GPIOC: 0x40020800,
		USART1: 0x40011000,
		USB_OTG_FS: 0x50000000,
		SCB_VTOR: 0xe000ed08,
	},
};

/**
 * STM32F745/746 (1 MiB: 4×32 KiB, 1×128 KiB, 3×256 KiB). No capture of this loader exists; the
 * nearest real ones are the F72x ROM (14, 15), whose conventions it follows [inferred]: the
 * fixed serial `STM32FxSTM32`, an OTP string without a space before its type letter, and
 * wTransferSize 2048 as every ST F2/F4 capture with a functional descriptor reports (the 1024
 * once used here came from a board's own loader). Flash string from Betaflight/INAV comments;
 * OB address and size (32 bytes: no PCROP words on F74x) from RM0385 §3.4, OTP (1024 + 32 lock
 * bytes) from RM0385 §3.5.
 *
 * Timing, DS10916 (STM32F745/746) Table "Flash memory programming", typical, as recalled
 * [unverified]: program 16 µs per unit; sector erase 32/128/256 KiB x8 400/1100/2600 ms,
 * x32 250/1000/2000 ms; mass erase x8 16 s, x32 8 s.
 */
export const f746: ChipProfile = {
	id: "f746",
	vectorCount: 114, // RM: 16 system + 98 interrupts
	part: "STM32F746ZG",
	family: "F7",
	usb: {
		...f407.usb,
		transferSize: 2048,
		serial: { kind: "fixed", text: "STM32FxSTM32" },
	},
	captures: [],
	sources: {
		identity: "[inferred] as the F72x ROM (14_f722_betaflight_notes.txt: ver=2200)",
		serial:
			"[inferred] as the F72x ROM (14_f722_betaflight_notes.txt, 15_f723_st_community_static_serial.txt)",
		alts: "[inferred] flash string from Betaflight/INAV comments; OB/OTP in the F72x ROM's form (14) at RM0385 §3.4/§3.5 addresses",
		transferSize:
			"[inferred] as every ST F2/F4 capture with a functional descriptor (01, 03, 08, 09)",
		firstStatus:
			"[inferred] as the F446 (12_f446_spider_voron_notes_masserase.txt), whose fixed serial the F7 loaders share",
		pollTimeouts: `[inferred from the F4] ${F4_POLL_SOURCE}`,
		memory: "RM0385 §3.3 Table 3; AN2606 Table 7 (write alignment 8)",
		optionBytes: "RM0385 §3.4",
		bootloaderId: "AN2606 Table 3 [ID value not re-verified]",
	},
	pollTimeouts: F4_POLL_TIMEOUTS,
	alts: [
		alt("flash", "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg", 0x08000000, 1024 * KiB),
		alt("option-bytes", "@Option Bytes  /0x1FFF0000/01*032 e", 0x1fff0000, 32),
		alt("otp", "@OTP Memory /0x1FF0F000/01*1056e", 0x1ff0f000, 1056),
		f407.alts[3]!,
	],
	flash: {
		base: 0x08000000,
		sectors: [...Array(4).fill(32 * KiB), 128 * KiB, ...Array(3).fill(256 * KiB)],
	},
	ram: [{ address: 0x20000000, size: 320 * KiB }],
	systemMemory: { address: 0x1ff00000, size: 0xedc0 },
	bootloaderId: { value: 0x90, address: 0x1ff0edbe },
	uid: { words: [0x002e0041, 0x3536470e, 0x32353834], address: 0x1ff0f420 },
	writeAlignment: 8,
	optionBytes: f7Codec(),
	timing: {
		source: "DS10916 Table 'Flash memory programming' (typ) [recalled, unverified]",
		defaultParallelism: 8,
		rows: {
			8: {
				programUnitBytes: 1,
				programUs: 16,
				eraseMsBySectorKiB: { 32: 400, 128: 1100, 256: 2600 },
				massEraseMs: 16000,
			},
			32: {
				programUnitBytes: 4,
				programUs: 16,
				eraseMsBySectorKiB: { 32: 250, 128: 1000, 256: 2000 },
				massEraseMs: 8000,
			},
		},
		optionBytesMs: 20,
	},
	peripherals: {
		RCC: 0x40023800,
		FLASH_R: 0x40023c00,
		GPIOA: 0x40020000,
		GPIOI: 0x40022000,
		USART1: 0x40011000,
		USB_OTG_FS: 0x50000000,
		SCB_VTOR: 0xe000ed08,
	},
};

/**
 * STM32G474 (512 KiB, dual bank 2 KiB pages): strings from a README listing and a Betaflight
 * comment (docs/dfuse-protocol.md §1c), bcdDevice 0x0200, wTransferSize 1024 (siliconwitchery/web-stm32-updater#3
 * for G431). [inferred] iProduct: no G4 listing names it; the F4 text is used.
 *
 * Timing, DS12288 (STM32G474) Table "Flash memory characteristics", typical: 64-bit
 * programming 81.7 µs, page (2 KiB) erase 22.0 ms, mass erase 22.1 ms.
 */
export const g474: ChipProfile = {
	id: "g474",
	vectorCount: 118, // RM: 16 system + 102 interrupts
	part: "STM32G474RE",
	family: "G4",
	usb: {
		...f407.usb,
		bcdDevice: 0x0200,
		transferSize: 1024,
		firstStatus: "idle",
	},
	captures: [],
	sources: {
		identity:
			"[inferred] ver=0200 as the G431 (19_g431_rust_blink_readme.txt); iProduct, bcdUSB as the F4 loaders",
		serial: "[inferred] UID rule, as the G431 (19: a UID-like serial)",
		alts: "public G474 README listing and Betaflight comment (not kept as a capture); spacing as 19 (G431)",
		transferSize: "siliconwitchery/web-stm32-updater#3 (G431) [not kept as a capture]",
		firstStatus: "[inferred] dfuIDLE: no log of a download",
		pollTimeouts: "[inferred] the modelled duration: no log shows a G4 poll timeout",
		memory: "RM0440 §3.3.1 (dual bank, 2 KiB pages); AN2606 Table 7 (write alignment 8)",
		optionBytes: "RM0440 §3.4",
		bootloaderId: "AN2606 Table 3 [ID value not re-verified]",
	},
	alts: [
		alt("flash", "@Internal Flash   /0x08000000/256*02Kg", 0x08000000, 512 * KiB),
		{
			name: "@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
			kind: "option-bytes",
			runs: [
				{ address: 0x1fff7800, size: 48 },
				{ address: 0x1ffff800, size: 48 },
			],
		},
		alt("otp", "@OTP Memory   /0x1FFF7000/01*1024 e", 0x1fff7000, 1024),
	],
	flash: {
		base: 0x08000000,
		sectors: Array(256).fill(2 * KiB) as number[],
		programUnitMustBeErased: 8,
	},
	ram: [
		{ address: 0x20000000, size: 128 * KiB }, // SRAM1 + SRAM2 + CCM alias
		{ address: 0x10000000, size: 32 * KiB }, // CCM SRAM
	],
	systemMemory: { address: 0x1fff0000, size: 28 * KiB },
	bootloaderId: { value: 0xd5, address: 0x1fff6ffe },
	uid: { words: [0x00400021, 0x5746500c, 0x20383358], address: 0x1fff7590 },
	writeAlignment: 8,
	optionBytes: g4Codec(128),
	timing: {
		source: "DS12288 Table 'Flash memory characteristics' (typ)",
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
		GPIOC: 0x48000800,
		USART1: 0x40013800,
		USB_FS: 0x40005c00,
		SCB_VTOR: 0xe000ed08,
	},
};

/**
 * STM32H743/H750 (2 MiB, 16 × 128 KiB over two banks, one run) as a DevEBox H743 lists it (24):
 * bcdDevice 0x0200, only two alt settings (Internal Flash, Option Bytes at 0x5200201C), and the
 * serial `200364500000` that the loader builds from DBGMCU_IDCODE (0x5C001000) rather than from
 * the UID (26: the same string on other boards), so every H743 of one revision reads alike.
 * iProduct "DFU in FS Mode" (36: a maintainer's statement for H7; the G0 loaders of the same
 * generation print it, 23), and bcdUSB 2.00 as those G0 loaders [inferred].
 *
 * Timing, DS12110 (STM32H743) Table 53 "Flash memory characteristics", typical at x32: sector
 * (128 KiB) erase 1.1 s (x64: 1 s) — as quoted from that table in a public project note;
 * 256-bit flash word programming 130 µs and bank erase 6.8 s (two banks for a mass erase)
 * [recalled, unverified].
 */
export const h743: ChipProfile = {
	id: "h743",
	vectorCount: 166, // RM: 16 system + 150 interrupts
	part: "STM32H743ZI",
	family: "H7",
	usb: {
		...f407.usb,
		bcdDevice: 0x0200,
		bcdUSB: 0x0200,
		product: "DFU in FS Mode",
		transferSize: 1024,
		// DBGMCU_IDCODE (REV_ID 0x2003 = revision V, DEV_ID 0x450), then DBGMCU_CR and a reserved
		// word, both zero while no debugger is attached.
		serial: { kind: "idcode", words: [0x20036450, 0, 0] },
		firstStatus: "idle",
	},
	captures: ["24_h743_devebox_samymc_readme.txt", "26_h745_st_community_serial.txt"],
	sources: {
		identity:
			"24_h743_devebox_samymc_readme.txt (ver=0200); iProduct 36_h7_product_string_rusefi5574.txt (statement); bcdUSB [inferred] as 23_g0c1_st_community_lsusb.txt",
		serial:
			"24_h743_devebox_samymc_readme.txt (200364500000); 26_h745_st_community_serial.txt (built from 0x5C001000)",
		alts: "24_h743_devebox_samymc_readme.txt",
		transferSize: "[inferred] 1024 as the G0/G4 loaders of the same generation",
		firstStatus: "[inferred] dfuIDLE: no log of a download",
		pollTimeouts: "[inferred] the modelled duration: no log shows an H7 poll timeout",
		memory:
			"RM0433 §4.3 (2 banks × 8 × 128 KiB); AN2606 Table 7 (write alignment 8 per DFUSE notes)",
		optionBytes: "RM0433 §4.9 (registers from FLASH_OPTSR_CUR)",
		bootloaderId: "AN2606 Table 3 [ID value not re-verified]",
	},
	alts: [
		alt("flash", "@Internal Flash   /0x08000000/16*128Kg", 0x08000000, 2048 * KiB),
		alt("option-bytes", "@Option Bytes   /0x5200201C/01*128 e", 0x5200201c, 128),
	],
	flash: { base: 0x08000000, sectors: Array(16).fill(128 * KiB) as number[] },
	ram: [
		{ address: 0x20000000, size: 128 * KiB }, // DTCM
		{ address: 0x24000000, size: 512 * KiB }, // AXI SRAM
		{ address: 0x30000000, size: 288 * KiB }, // SRAM1..3
		{ address: 0x38000000, size: 64 * KiB }, // SRAM4
	],
	systemMemory: { address: 0x1ff00000, size: 128 * KiB },
	bootloaderId: { value: 0x92, address: 0x1ff1e7fe },
	uid: { words: [0x00360028, 0x3230510d, 0x30363730], address: 0x1ff1e800 },
	writeAlignment: 8,
	optionBytes: h7Codec(),
	timing: {
		source: "DS12110 Table 'Flash memory characteristics' (typ, x32) [recalled, unverified]",
		defaultParallelism: 32,
		rows: {
			32: {
				programUnitBytes: 32,
				programUs: 130,
				eraseMsBySectorKiB: { 128: 1100 },
				massEraseMs: 13600,
			},
		},
		optionBytesMs: 50,
	},
	peripherals: {
		RCC: 0x58024400,
		FLASH_R: 0x52002000,
		GPIOA: 0x58020000,
		GPIOE: 0x58021000,
		USART3: 0x40004800,
		USB_OTG_FS: 0x40080000,
		SCB_VTOR: 0xe000ed08,
	},
};

export const PROFILES: Record<string, ChipProfile> = {
	f407,
	"f407-v21": f407v21,
	f401,
	f411,
	f446,
	f429,
	f72x,
	f746,
	g474,
	h743,
	// The H750's ROM is the H743's (same bcdDevice, alt settings and IDCODE serial, 24/26).
	h750: h743,
	h7a3,
	f042,
	f072,
	f107,
	// F105 and F107 share the connectivity-line loader (03: "STM32 0x418", the one device ID).
	f105: f107,
	g0b1,
	g0c1,
	g431,
	l43x,
	l08x,
	// One loader for the L07x and L08x (AN2606 lists them together).
	l07x: l08x,
};

export const DEFAULT_PROFILE = "f407";

export function profileById(id: string): ChipProfile | undefined {
	return PROFILES[id.toLowerCase()];
}

/**
 * The iSerialNumber string: hex(UID[0] + UID[2]) followed by the top 16 bits of UID[1], upper
 * case, 12 digits (docs/dfuse-protocol.md §1c; the same rule ST's USB device examples use for their serial).
 */
export function serialFromUid(words: readonly [number, number, number]): string {
	const low = ((words[0] + words[2]) >>> 0).toString(16).toUpperCase().padStart(8, "0");
	const high = (words[1] >>> 16).toString(16).toUpperCase().padStart(4, "0");
	return `${low}${high}`;
}

/** The loader's iSerialNumber string for a chip with this UID (see SerialRule). */
export function loaderSerial(profile: ChipProfile, uid: readonly [number, number, number]): string {
	const rule = profile.usb.serial;
	if (rule.kind === "fixed") return rule.text;
	return serialFromUid(rule.kind === "idcode" ? rule.words : uid);
}

/** Index of the sector holding `address`, with its start and size, or undefined. */
export function sectorAt(
	profile: ChipProfile,
	address: number,
): { index: number; start: number; size: number } | undefined {
	let start = profile.flash.base;
	for (let index = 0; index < profile.flash.sectors.length; index++) {
		const size = profile.flash.sectors[index]!;
		if (address >= start && address < start + size) return { index, start, size };
		start += size;
	}
	return undefined;
}

export function flashSize(profile: ChipProfile): number {
	return profile.flash.sectors.reduce((a, b) => a + b, 0);
}
