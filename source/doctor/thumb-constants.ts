/**
 * 32-bit constants that Thumb-2 code builds with a MOVW/MOVT pair instead of loading from a
 * literal pool (clang/LLVM and Rust do this often; GCC with -mslow-flash-data or -mpure-code).
 * Encodings: ARMv7-M ARM §A7.7.76 MOV (immediate) T3 and §A7.7.79 MOVT T1.
 */
const MOVW = 0xf240;
const MOVT = 0xf2c0;
const MASK = 0xfbf0;
/** How far after a MOVW its MOVT may come (bytes): compilers keep the pair close. */
const WINDOW = 16;

function imm16(hw1: number, hw2: number): number {
	const imm4 = hw1 & 0xf;
	const i = (hw1 >> 10) & 1;
	const imm3 = (hw2 >> 12) & 7;
	const imm8 = hw2 & 0xff;
	return (imm4 << 12) | (i << 11) | (imm3 << 8) | imm8;
}

export function movwMovtConstants(data: Uint8Array): number[] {
	const out: number[] = [];
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const half = (off: number) => view.getUint16(off, true);
	for (let off = 0; off + 4 <= data.length; off += 2) {
		const hw1 = half(off);
		if ((hw1 & MASK) !== MOVW) continue;
		const hw2 = half(off + 2);
		if (hw2 & 0x8000) continue;
		const rd = (hw2 >> 8) & 0xf;
		const low = imm16(hw1, hw2);
		for (let next = off + 4; next + 4 <= data.length && next <= off + 4 + WINDOW; next += 2) {
			const t1 = half(next);
			const t2 = half(next + 2);
			if ((t1 & MASK) === MOVT && (t2 & 0x8000) === 0 && ((t2 >> 8) & 0xf) === rd) {
				out.push(((imm16(t1, t2) << 16) | low) >>> 0);
				break;
			}
		}
	}
	return out;
}

/** Instructions after a literal load that may still use its register as a base. */
const BASE_WINDOW = 12;

function isPeripheralSpace(address: number): boolean {
	return address >= 0x40000000 && address < 0x60000000;
}

/**
 * Register addresses that CMSIS-style code reaches as base + offset: a peripheral base loaded
 * from a literal pool (LDR Rt, [PC, #imm]) and then used by LDR/STR Rx, [Rt, #imm] a few
 * instructions later, e.g. RCC base 0x40023800 + #0x30 = RCC_AHB1ENR. Encodings: ARMv7-M ARM
 * §A7.7.44 LDR (literal) T1, §A7.7.43/§A7.7.161 LDR/STR (immediate) T1 and T3.
 */
export function baseOffsetAddresses(data: Uint8Array, segmentAddress: number): number[] {
	const out: number[] = [];
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const half = (off: number) => view.getUint16(off, true);
	for (let off = 0; off + 2 <= data.length; off += 2) {
		const hw = half(off);
		if ((hw & 0xf800) !== 0x4800) continue;
		const rt = (hw >> 8) & 7;
		const literalAt = (((segmentAddress + off + 4) & ~3) >>> 0) + (hw & 0xff) * 4 - segmentAddress;
		if (literalAt < 0 || literalAt + 4 > data.length) continue;
		const base = view.getUint32(literalAt, true);
		if (!isPeripheralSpace(base)) continue;
		for (let next = off + 2, n = 0; next + 2 <= data.length && n < BASE_WINDOW; n++) {
			const h = half(next);
			if ((h & 0xf800) === 0x4800 && ((h >> 8) & 7) === rt) break; // Rt reloaded
			if ((h & 0xf000) === 0xd000 || (h & 0xf800) === 0xe000 || h === 0x4770) break; // branch, bx lr
			if ((h & 0xf000) === 0x6000 && ((h >> 3) & 7) === rt) {
				out.push((base + ((h >> 6) & 0x1f) * 4) >>> 0);
			}
			if ((h & 0xfff0) === 0xf8d0 || (h & 0xfff0) === 0xf8c0) {
				if (next + 4 > data.length) break;
				if ((h & 0xf) === rt) out.push((base + (half(next + 2) & 0xfff)) >>> 0);
				next += 4;
				continue;
			}
			next += (h & 0xe000) === 0xe000 && (h & 0x1800) !== 0 ? 4 : 2;
		}
	}
	return out;
}
