/**
 * Option bytes of the parts that store each option as a small value next to its complement:
 * - F0 and F1 (RM0091 §4.1, PM0075 §2.5): 16 bytes, each option byte followed by its complement:
 *   RDP, USER, DATA0, DATA1, WRP0..WRP3. RDP 0xAA = level 0, 0xCC = level 2. USER bit 0 is
 *   WDG_SW (1 = software watchdog). nWRP bit k protects a group of pages (0 = protected); on the
 *   F105/F107 the last bit covers every page after the others.
 * - L0 (RM0377 §3.4.1): 32 bytes, 32-bit words each holding a 16-bit value and its complement:
 *   FLASH_OPTR low (RDP in bits 7:0), FLASH_OPTR high (USER: WDG_SW bit 4), then WRPROT1/2 in
 *   16-bit halves, one bit per 4 KiB sector, 1 = protected (the L0 sense is inverted).
 * [approximate] Default USER values are the factory ones as far as the manuals give them.
 */
import type { OptionByteCodec } from "./option-bytes.js";

const clone = (runs: Uint8Array[]) => runs.map((r) => Uint8Array.from(r));

/** F0/F1: `pagesPerBit` pages per nWRP bit; `lastBit` covers the rest of the flash. */
export function bytePairCodec(pagesPerBit: number, lastBit = 31): OptionByteCodec {
	const values = (runs: Uint8Array[]) => Array.from({ length: 8 }, (_, i) => runs[0]![i * 2]!);
	const build = (v: number[]) => {
		const out = new Uint8Array(16);
		v.forEach((value, i) => {
			out[i * 2] = value & 0xff;
			out[i * 2 + 1] = ~value & 0xff;
		});
		return [out];
	};
	const bitOf = (page: number) => Math.min(Math.floor(page / pagesPerBit), lastBit);
	return {
		defaults: () => build([0xaa, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
		normalize: (written) => build(values(written)),
		rdpByte: (runs) => runs[0]![0]!,
		withRdpByte: (runs, rdp) => {
			const v = values(runs);
			v[0] = rdp;
			return build(v);
		},
		hardwareWatchdog: (runs) => (runs[0]![2]! & 0x01) === 0,
		withHardwareWatchdog: (runs, on) => {
			const v = values(runs);
			v[1] = on ? v[1]! & ~0x01 : v[1]! | 0x01;
			return build(v);
		},
		isWriteProtected: (runs, page) => {
			const bit = bitOf(page);
			return (values(runs)[4 + (bit >> 3)]! & (1 << (bit & 7))) === 0;
		},
		withWriteProtection: (runs, page, protect) => {
			const bit = bitOf(page);
			if (bit > 31) return clone(runs);
			const v = values(runs);
			const at = 4 + (bit >> 3);
			v[at] = protect ? v[at]! & ~(1 << (bit & 7)) : v[at]! | (1 << (bit & 7));
			return build(v);
		},
	};
}

/** L0: `pagesPerSector` flash pages per WRPROT bit (32 pages of 128 bytes = 4 KiB). */
export function l0Codec(pagesPerSector = 32): OptionByteCodec {
	const values = (runs: Uint8Array[]) =>
		Array.from({ length: 8 }, (_, i) => runs[0]![i * 4]! | (runs[0]![i * 4 + 1]! << 8));
	const build = (v: number[]) => {
		const out = new Uint8Array(32);
		v.forEach((value, i) => {
			out[i * 4] = value & 0xff;
			out[i * 4 + 1] = (value >> 8) & 0xff;
			out[i * 4 + 2] = ~value & 0xff;
			out[i * 4 + 3] = (~value >> 8) & 0xff;
		});
		return [out];
	};
	const bitOf = (page: number) => Math.floor(page / pagesPerSector);
	return {
		// RDP 0xAA; USER 0x8070: nBOOT1, nRST_STDBY, nRST_STOP, WDG_SW set, BOR off.
		defaults: () => build([0x00aa, 0x8070, 0, 0, 0, 0, 0, 0]),
		normalize: (written) => build(values(written)),
		rdpByte: (runs) => runs[0]![0]!,
		withRdpByte: (runs, rdp) => {
			const v = values(runs);
			v[0] = (v[0]! & 0xff00) | (rdp & 0xff);
			return build(v);
		},
		hardwareWatchdog: (runs) => (values(runs)[1]! & 0x10) === 0,
		withHardwareWatchdog: (runs, on) => {
			const v = values(runs);
			v[1] = on ? v[1]! & ~0x10 : v[1]! | 0x10;
			return build(v);
		},
		isWriteProtected: (runs, page) => {
			const bit = bitOf(page);
			if (bit >= 96) return false;
			return (values(runs)[2 + (bit >> 4)]! & (1 << (bit & 15))) !== 0;
		},
		withWriteProtection: (runs, page, protect) => {
			const bit = bitOf(page);
			if (bit >= 96) return clone(runs);
			const v = values(runs);
			const at = 2 + (bit >> 4);
			v[at] = protect ? v[at]! | (1 << (bit & 15)) : v[at]! & ~(1 << (bit & 15));
			return build(v);
		},
	};
}
