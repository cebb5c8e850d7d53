/**
 * Option bytes as the loader exposes them on the option-byte alt setting, and what they mean for
 * the loader: read-protection level, write protection per sector, hardware watchdog.
 *
 * One codec per family, because the families store them completely differently:
 * - F4 (RM0090 §3.7, Table 15): 16 bytes per bank run; 64-bit words whose low 16 bits matter:
 *   +0 USER (7:0) and RDP (15:8), +8 nWRP (one bit per sector, 0 = protected). F42x/43x have a
 *   second run at 0x1FFEC000 whose +8 word holds nWRP for sectors 12..23.
 * - F7 (RM0385 §3.4): 32 bytes: +0 USER/RDP, +8 nWRP (8 sectors), +0x10 BOOT_ADD0, +0x18 BOOT_ADD1.
 * - G4 (RM0440 §3.4): 48 bytes per bank run, six 64-bit words (value then its complement):
 *   OPTR, PCROP start, PCROP end, WRPxA, WRPxB, SECx. WRP is a page range (start..end).
 * - H7 (RM0433 §4.9): 128 bytes mapped onto the FLASH registers from FLASH_OPTSR_CUR
 *   (0x5200201C): OPTSR_CUR/PRG, OPTCCR, PRAR, SCAR, WPSN_CUR1/PRG1, BOOT_CUR/PRG, ...
 *
 * [inferred] On F4/F7 each 16-bit field is followed by its complement in the same 64-bit word and
 * the upper 32 bits read as 0xFF (docs/dfuse-protocol.md §1e marks this as unverified). A write takes the value
 * halfwords and ignores what the host put in complement/reserved bytes; they are regenerated.
 */
export type RdpLevel = 0 | 1 | 2;

export interface OptionByteCodec {
	/** Factory defaults, one byte array per address run of the option-byte alt setting. */
	defaults(): Uint8Array[];
	/** The bytes a read returns after the host wrote `written` (complements regenerated, ...). */
	normalize(written: Uint8Array[], previous: Uint8Array[]): Uint8Array[];
	rdpByte(runs: Uint8Array[]): number;
	withRdpByte(runs: Uint8Array[], rdp: number): Uint8Array[];
	hardwareWatchdog(runs: Uint8Array[]): boolean;
	withHardwareWatchdog(runs: Uint8Array[], on: boolean): Uint8Array[];
	/** `page` is the sector (F4/F7/H7) or page (G4) index over the whole flash. */
	isWriteProtected(runs: Uint8Array[], page: number): boolean;
	withWriteProtection(runs: Uint8Array[], page: number, protect: boolean): Uint8Array[];
}

export function rdpLevelOf(rdp: number): RdpLevel {
	if (rdp === 0xaa) return 0;
	if (rdp === 0xcc) return 2;
	return 1;
}

const clone = (runs: Uint8Array[]) => runs.map((r) => Uint8Array.from(r));

function u16(bytes: Uint8Array, at: number): number {
	return bytes[at]! | (bytes[at + 1]! << 8);
}
function u32(bytes: Uint8Array, at: number): number {
	return (
		(bytes[at]! | (bytes[at + 1]! << 8) | (bytes[at + 2]! << 16) | (bytes[at + 3]! << 24)) >>> 0
	);
}
function put32(bytes: Uint8Array, at: number, value: number): void {
	bytes[at] = value & 0xff;
	bytes[at + 1] = (value >>> 8) & 0xff;
	bytes[at + 2] = (value >>> 16) & 0xff;
	bytes[at + 3] = (value >>> 24) & 0xff;
}

/** A 64-bit word holding a 16-bit value, its complement, then four reserved 0xFF bytes. */
function putHalfwordWord(bytes: Uint8Array, at: number, value: number): void {
	put32(bytes, at, (value & 0xffff) | ((~value & 0xffff) << 16));
	put32(bytes, at + 4, 0xffffffff);
}
/** A 64-bit word holding a 32-bit value and its complement (G4 style). */
function putWordWord(bytes: Uint8Array, at: number, value: number): void {
	put32(bytes, at, value >>> 0);
	put32(bytes, at + 4, ~value >>> 0);
}

/** F4 and F7: halfword fields at every 8 bytes. `fields[run][word]` are the defaults. */
function halfwordCodec(options: {
	defaults: number[][];
	/** nWRP location of sector i: run and word index and bit, or undefined if none. */
	wrpBit: (sector: number) => { run: number; word: number; bit: number } | undefined;
}): OptionByteCodec {
	const build = (fields: number[][]) =>
		fields.map((words) => {
			const bytes = new Uint8Array(words.length * 8);
			words.forEach((value, i) => {
				putHalfwordWord(bytes, i * 8, value);
			});
			return bytes;
		});
	const fieldsOf = (runs: Uint8Array[]) =>
		runs.map((bytes) => Array.from({ length: bytes.length / 8 }, (_, i) => u16(bytes, i * 8)));
	const codec: OptionByteCodec = {
		defaults: () => build(options.defaults),
		normalize: (written) => build(fieldsOf(written)),
		rdpByte: (runs) => runs[0]![1]!,
		withRdpByte: (runs, rdp) => {
			const fields = fieldsOf(runs);
			fields[0]![0] = (fields[0]![0]! & 0x00ff) | ((rdp & 0xff) << 8);
			return build(fields);
		},
		// USER bit 5 is WDG_SW on F4 and IWDG_SW on F7: 0 = watchdog started by hardware.
		hardwareWatchdog: (runs) => (runs[0]![0]! & 0x20) === 0,
		withHardwareWatchdog: (runs, on) => {
			const fields = fieldsOf(runs);
			fields[0]![0] = on ? fields[0]![0]! & ~0x20 : fields[0]![0]! | 0x20;
			return build(fields);
		},
		isWriteProtected: (runs, sector) => {
			const at = options.wrpBit(sector);
			if (!at) return false;
			return (u16(runs[at.run]!, at.word * 8) & (1 << at.bit)) === 0;
		},
		withWriteProtection: (runs, sector, protect) => {
			const at = options.wrpBit(sector);
			if (!at) return clone(runs);
			const fields = fieldsOf(runs);
			const row = fields[at.run]!;
			row[at.word] = protect ? row[at.word]! & ~(1 << at.bit) : row[at.word]! | (1 << at.bit);
			return build(fields);
		},
	};
	return codec;
}

/** F405/407/411 (one run) and F42x/43x (two runs). USER 0xEF: all bits set except bit 4. */
export function f4Codec(dualBank: boolean, sectorsPerBank: number): OptionByteCodec {
	const bank1 = [0xaaef, 0x0fff];
	const bank2 = [0xffff, 0x0fff];
	return halfwordCodec({
		defaults: dualBank ? [bank1, bank2] : [bank1],
		wrpBit: (sector) => {
			if (sector < Math.min(12, sectorsPerBank)) return { run: 0, word: 1, bit: sector };
			if (dualBank && sector >= 12 && sector < 24) return { run: 1, word: 1, bit: sector - 12 };
			return undefined;
		},
	});
}

/**
 * F74x/75x (32 bytes): 8 sectors; BOOT_ADD0 0x0080 (ITCM flash 0x00200000), BOOT_ADD1 0x0040
 * (system memory). F72x/73x (48 bytes, RM0431 §3.4) add PCROP and PCROP_RDP words, 0 = none.
 */
export function f7Codec(bytes: 32 | 48 = 32): OptionByteCodec {
	const words = [0xaaff, 0xc0ff, 0x0080, 0x0040];
	return halfwordCodec({
		defaults: [bytes === 48 ? [...words, 0x0000, 0x0000] : words],
		wrpBit: (sector) => (sector < 8 ? { run: 0, word: 1, bit: sector } : undefined),
	});
}

/** G47x/48x in dual-bank mode (DBANK=1): 128 pages of 2 KiB per bank, WRP page ranges per bank. */
export function g4Codec(pagesPerBank: number): OptionByteCodec {
	return doubleWordCodec({ banks: 2, words: 6, pagesPerBank, pageMask: 0x7f });
}

/**
 * Single-bank parts whose option bytes are 64-bit words (value, then its complement) starting
 * with OPTR, PCROP1 start/end, WRP1A, WRP1B: G431 and L43x (40 bytes: RM0440 §3.4, RM0394 §3.4),
 * G0B1 (RM0444 §3.4: the same first five words; 128 bytes reach SECR at +0x70).
 */
export function singleBankWordCodec(
	bytes: 40 | 128,
	pagesPerBank: number,
	pageMask: 0x7f | 0xff,
): OptionByteCodec {
	return doubleWordCodec({ banks: 1, words: bytes / 8, pagesPerBank, pageMask });
}

function doubleWordCodec(options: {
	banks: 1 | 2;
	words: number;
	pagesPerBank: number;
	/** Width of a WRP area's start/end page fields. */
	pageMask: number;
}): OptionByteCodec {
	const { pagesPerBank, pageMask } = options;
	// OPTR reset value FFEF F8AA (RDP 0xAA, IWDG_SW bit 16 = 1, DBANK bit 22 = 1);
	// WRPxyR FF00 FFFF = start > end 0x00: no protected page. Words past SEC read as erased.
	const fill = (words: number[]) =>
		[...words, ...Array(Math.max(0, options.words - words.length)).fill(0xffffffff)].slice(
			0,
			options.words,
		) as number[];
	const bank1 = fill([0xffeff8aa, 0xffffffff, 0xffff0000, 0xff00ffff, 0xff00ffff, 0xffffff00]);
	const bank2 = fill([0xffffffff, 0xffffffff, 0xffff0000, 0xff00ffff, 0xff00ffff, 0xffffff00]);
	const build = (fields: number[][]) =>
		fields.map((words) => {
			const bytes = new Uint8Array(words.length * 8);
			words.forEach((value, i) => {
				putWordWord(bytes, i * 8, value);
			});
			return bytes;
		});
	const fieldsOf = (runs: Uint8Array[]) =>
		runs.map((bytes) => Array.from({ length: bytes.length / 8 }, (_, i) => u32(bytes, i * 8)));
	const areas = (runs: Uint8Array[], bank: number) =>
		[3, 4].map((word) => {
			const value = u32(runs[bank]!, word * 8);
			return { start: value & pageMask, end: (value >>> 16) & pageMask };
		});
	return {
		defaults: () => build(options.banks === 2 ? [bank1, bank2] : [bank1]),
		normalize: (written) => build(fieldsOf(written)),
		rdpByte: (runs) => runs[0]![0]!,
		withRdpByte: (runs, rdp) => {
			const fields = fieldsOf(runs);
			fields[0]![0] = ((fields[0]![0]! & ~0xff) | (rdp & 0xff)) >>> 0;
			return build(fields);
		},
		hardwareWatchdog: (runs) => (u32(runs[0]!, 0) & (1 << 16)) === 0,
		withHardwareWatchdog: (runs, on) => {
			const fields = fieldsOf(runs);
			fields[0]![0] = (on ? fields[0]![0]! & ~(1 << 16) : fields[0]![0]! | (1 << 16)) >>> 0;
			return build(fields);
		},
		isWriteProtected: (runs, page) => {
			const bank = page < pagesPerBank ? 0 : 1;
			const inBank = page % pagesPerBank;
			return areas(runs, bank).some(
				(a) => a.start <= a.end && inBank >= a.start && inBank <= a.end,
			);
		},
		withWriteProtection: (runs, page, protect) => {
			const bank = page < pagesPerBank ? 0 : 1;
			const inBank = page % pagesPerBank;
			const fields = fieldsOf(runs);
			// Area A holds the model's single protected page; B is left alone.
			// Bits above the page field (bit 7 on G4) are reserved and read 1.
			const reserved = 0xff00ff00 | (~pageMask & 0xff);
			fields[bank]![3] = protect ? (reserved | (inBank << 16) | inBank) >>> 0 : 0xff00ffff;
			return build(fields);
		},
	};
}

/**
 * H74x/75x: 128 bytes from FLASH_OPTSR_CUR; nWPS bits for the 8 sectors of bank 1 at +0x1C.
 * H7A3/B3 (RM0455): the alt spans 297 bytes from the same register, and each nWPS bit of bank 1
 * covers 4 sectors of 8 KiB (bank 2's bits are not modelled).
 */
export function h7Codec(bytes = 128, sectorsPerWrpBit = 1): OptionByteCodec {
	const wrpSectors = sectorsPerWrpBit > 1 ? 32 * sectorsPerWrpBit : 8;
	const OPTSR_CUR = 0x00;
	const OPTSR_PRG = 0x04;
	const WPSN_CUR1 = 0x1c;
	const WPSN_PRG1 = 0x20;
	const BOOT_CUR = 0x24;
	const BOOT_PRG = 0x28;
	// OPTSR: RDP 15:8 = 0xAA, IWDG1_SW bit 4 = 1, NRST_STOP/STBY_D1 = 1 [approximate reset value].
	const defaults = () => {
		const out = new Uint8Array(bytes);
		const wpsn = sectorsPerWrpBit > 1 ? 0xffffffff : 0x000000ff;
		for (const at of [OPTSR_CUR, OPTSR_PRG]) put32(out, at, 0x1fc6aaf0);
		for (const at of [WPSN_CUR1, WPSN_PRG1]) put32(out, at, wpsn);
		for (const at of [BOOT_CUR, BOOT_PRG]) put32(out, at, 0x1ff00800);
		for (const at of [0x0c, 0x10]) put32(out, at, 0x000000ff); // PRAR: start > end, none
		for (const at of [0x14, 0x18]) put32(out, at, 0x000000ff); // SCAR: none
		return [out];
	};
	const setPair = (bytes: Uint8Array, cur: number, prg: number, value: number) => {
		put32(bytes, cur, value);
		put32(bytes, prg, value);
	};
	return {
		defaults,
		// A write programs what the host put in the PRG registers; if those are unchanged but the
		// CUR copy was edited, that edit is taken. After the reset both copies agree.
		normalize: (written, previous) => {
			const out = Uint8Array.from(previous[0]!);
			const w = written[0]!;
			const p = previous[0]!;
			for (const [cur, prg] of [
				[OPTSR_CUR, OPTSR_PRG],
				[WPSN_CUR1, WPSN_PRG1],
				[BOOT_CUR, BOOT_PRG],
			] as const) {
				const value = u32(w, prg) !== u32(p, prg) ? u32(w, prg) : u32(w, cur);
				setPair(out, cur, prg, value);
			}
			return [out];
		},
		rdpByte: (runs) => runs[0]![OPTSR_CUR + 1]!,
		withRdpByte: (runs, rdp) => {
			const out = Uint8Array.from(runs[0]!);
			const value = ((u32(out, OPTSR_CUR) & ~0xff00) | ((rdp & 0xff) << 8)) >>> 0;
			setPair(out, OPTSR_CUR, OPTSR_PRG, value);
			return [out];
		},
		hardwareWatchdog: (runs) => (u32(runs[0]!, OPTSR_CUR) & 0x10) === 0,
		withHardwareWatchdog: (runs, on) => {
			const out = Uint8Array.from(runs[0]!);
			const old = u32(out, OPTSR_CUR);
			setPair(out, OPTSR_CUR, OPTSR_PRG, (on ? old & ~0x10 : old | 0x10) >>> 0);
			return [out];
		},
		isWriteProtected: (runs, sector) =>
			sector < wrpSectors &&
			(u32(runs[0]!, WPSN_CUR1) & (1 << Math.floor(sector / sectorsPerWrpBit))) === 0,
		withWriteProtection: (runs, sector, protect) => {
			const out = Uint8Array.from(runs[0]!);
			if (sector >= wrpSectors) return [out];
			const bit = 1 << Math.floor(sector / sectorsPerWrpBit);
			const old = u32(out, WPSN_CUR1);
			setPair(out, WPSN_CUR1, WPSN_PRG1, (protect ? old & ~bit : old | bit) >>> 0);
			return [out];
		},
	};
}
