/**
 * Chip profiles as data: what one STM32 system bootloader shows over USB and what its flash does.
 *
 * Layout strings are written exactly as real loaders report them (sources in docs/dfuse-protocol.md §1c, the
 * reference captures in test/fixtures/captures); `runs` repeats the same facts as
 * numbers for the memory model, and a test checks that both agree.
 */
import { f4Codec, f7Codec, g4Codec, h7Codec, type OptionByteCodec } from "./option-bytes.js";

export type Family = "F4" | "F7" | "G4" | "H7";

/** What an alt setting gives access to. Alt 0 also reaches RAM and system memory (AN2662 p.77). */
export type AltKind = "flash" | "option-bytes" | "otp" | "device-feature";

export interface AddressRun {
	address: number;
	size: number;
}

export interface AltSetting {
	/** The iInterface string, byte for byte as the loader reports it. */
	name: string;
	kind: AltKind;
	runs: AddressRun[];
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
		manufacturer: string;
		product: string;
		/** GET_STATUS(device) answer: bit 0 self powered. */
		deviceStatus: number;
		/** Functional descriptor wTransferSize. */
		transferSize: number;
	};
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
	};
	ram: AddressRun[];
	systemMemory: AddressRun;
	/** AN2606 Table 3: "last byte address − 1 of the system memory". */
	bootloaderId: { value: number; address: number };
	/** 96-bit unique ID (three little-endian words) and where the chip maps it. */
	uid: { words: [number, number, number]; address: number };
	/** AN2606 Table 7: write address alignment in bytes. */
	writeAlignment: number;
	optionBytes: OptionByteCodec;
	timing: FlashTiming;
	/**
	 * Poll timeouts the real loader reports instead of the true duration. F405/407 report 100 ms
	 * for a mass erase that really takes 16-32 s (dfu-util dfuse.c L259-263), so a host that
	 * trusts it polls early and sees dfuDNBUSY again.
	 */
	reportedPollTimeoutMs?: { massErase?: number };
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
		manufacturer: ST,
		product: "STM32  BOOTLOADER",
		deviceStatus: 0x0001,
		transferSize: 2048,
	},
	alts: [
		{
			name: "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
			kind: "flash",
			runs: [{ address: 0x08000000, size: 1024 * KiB }],
		},
		{
			name: "@Option Bytes  /0x1FFFC000/01*016 e",
			kind: "option-bytes",
			runs: [{ address: 0x1fffc000, size: 16 }],
		},
		{
			name: "@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
			kind: "otp",
			runs: [{ address: 0x1fff7800, size: 528 }],
		},
		{
			name: "@Device Feature/0xFFFF0000/01*004 e",
			kind: "device-feature",
			runs: [{ address: 0xffff0000, size: 4 }],
		},
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
	reportedPollTimeoutMs: { massErase: 100 },
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
	alts: [
		f407.alts[0]!,
		{ ...f407.alts[1]!, name: "@Option Bytes  /0x1FFFC000/01*016 g" },
		{ ...f407.alts[2]!, name: "@OTP Memory /0x1FFF7800/01*512 g,01*016 g" },
		{ ...f407.alts[3]!, name: "@Device Feature/0xFFFF0000/01*004 g" },
	],
};

/** STM32F411xE (512 KiB): strings from a board README listing (docs/dfuse-protocol.md §1c). */
export const f411: ChipProfile = {
	...f407,
	id: "f411",
	vectorCount: 102, // RM: 16 system + 86 interrupts
	part: "STM32F411CE",
	alts: [
		{
			name: "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg",
			kind: "flash",
			runs: [{ address: 0x08000000, size: 512 * KiB }],
		},
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
	uid: { words: [0x0032001d, 0x4d4b5009, 0x20373650], address: 0x1fff7a10 },
	optionBytes: f4Codec(false, 8),
	timing: f4Timing(0.5),
};

/** STM32F427/429 (2 MiB, dual bank): two address runs on OB and OTP (ArduPilot listing). */
export const f429: ChipProfile = {
	...f407,
	id: "f429",
	vectorCount: 107, // RM: 16 system + 91 interrupts
	part: "STM32F429ZI",
	alts: [
		{
			name: "@Internal Flash /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg",
			kind: "flash",
			runs: [{ address: 0x08000000, size: 2048 * KiB }],
		},
		{
			name: "@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e",
			kind: "option-bytes",
			runs: [
				{ address: 0x1fffc000, size: 16 },
				{ address: 0x1ffec000, size: 16 },
			],
		},
		{
			name: "@OTP Memory /0x1FFF7800/01*512 e,01*016 e/0x1FFE7800/01*512 e,01*016 e",
			kind: "otp",
			runs: [
				{ address: 0x1fff7800, size: 528 },
				{ address: 0x1ffe7800, size: 528 },
			],
		},
		f407.alts[3]!,
	],
	flash: { base: 0x08000000, sectors: [...F4_SECTORS_1M, ...F4_SECTORS_1M] },
	ram: [
		{ address: 0x20000000, size: 192 * KiB },
		{ address: 0x10000000, size: 64 * KiB },
	],
	bootloaderId: { value: 0x91, address: 0x1fff76de },
	uid: { words: [0x00440024, 0x3437510b, 0x33363230], address: 0x1fff7a10 },
	optionBytes: f4Codec(true, 12),
	timing: f4Timing(2),
};

/**
 * STM32F745/746 (1 MiB: 4×32 KiB, 1×128 KiB, 3×256 KiB). Flash string from Betaflight/INAV
 * comments (docs/dfuse-protocol.md §1c). [inferred] OB/OTP/Device Feature strings and bcdDevice: no ROM
 * listing seen; OB address and size from RM0385 §3.4, OTP from RM0385 §3.5.
 * wTransferSize 1024 as reported by an F7 ROM (monome/crow#128).
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
	usb: { ...f407.usb, transferSize: 1024 },
	alts: [
		{
			name: "@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg",
			kind: "flash",
			runs: [{ address: 0x08000000, size: 1024 * KiB }],
		},
		{
			name: "@Option Bytes  /0x1FFF0000/01*032 e",
			kind: "option-bytes",
			runs: [{ address: 0x1fff0000, size: 32 }],
		},
		{
			name: "@OTP Memory /0x1FF0F000/01*1024 e,01*032 e",
			kind: "otp",
			runs: [{ address: 0x1ff0f000, size: 1056 }],
		},
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
	usb: { ...f407.usb, bcdDevice: 0x0200, transferSize: 1024 },
	alts: [
		{
			name: "@Internal Flash   /0x08000000/256*02Kg",
			kind: "flash",
			runs: [{ address: 0x08000000, size: 512 * KiB }],
		},
		{
			name: "@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
			kind: "option-bytes",
			runs: [
				{ address: 0x1fff7800, size: 48 },
				{ address: 0x1ffff800, size: 48 },
			],
		},
		{
			name: "@OTP Memory   /0x1FFF7000/01*1024 e",
			kind: "otp",
			runs: [{ address: 0x1fff7000, size: 1024 }],
		},
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
 * STM32H743 (2 MiB, 16 × 128 KiB over two banks, one run): strings from omotion's boot-mode
 * tests and Daisy docs (docs/dfuse-protocol.md §1c), iProduct "DFU in FS Mode" (CubeProgrammer log).
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
	usb: { ...f407.usb, product: "DFU in FS Mode", transferSize: 1024 },
	alts: [
		{
			name: "@Internal Flash   /0x08000000/16*128Kg",
			kind: "flash",
			runs: [{ address: 0x08000000, size: 2048 * KiB }],
		},
		{
			name: "@Option Bytes   /0x5200201C/01*128 e",
			kind: "option-bytes",
			runs: [{ address: 0x5200201c, size: 128 }],
		},
		{
			name: "@OTP Memory /0x08FFF000/01*1024 e",
			kind: "otp",
			runs: [{ address: 0x08fff000, size: 1024 }],
		},
		f407.alts[3]!,
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
	f411,
	f429,
	f746,
	g474,
	h743,
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
