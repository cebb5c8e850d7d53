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
