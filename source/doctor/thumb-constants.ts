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

/** How many instructions a register keeps a constant we track (no data-flow analysis). */
const TRACK_FOR = 16;

/** ThumbExpandImm (ARMv7-M ARM §A5.3.2): the 32-bit value of a modified immediate. */
function thumbExpandImm(imm12: number): number {
	const imm8 = imm12 & 0xff;
	if ((imm12 & 0xc00) === 0) {
		switch ((imm12 >> 8) & 3) {
			case 0:
				return imm8;
			case 1:
				return ((imm8 << 16) | imm8) >>> 0;
			case 2:
				return ((imm8 << 24) | (imm8 << 8)) >>> 0;
			default:
				return ((imm8 << 24) | (imm8 << 16) | (imm8 << 8) | imm8) >>> 0;
		}
	}
	const unrotated = 0x80 | (imm12 & 0x7f);
	const rot = (imm12 >> 7) & 0x1f;
	return ((unrotated >>> rot) | (unrotated << (32 - rot))) >>> 0;
}

function isTracked(address: number): boolean {
	return (address >= 0x40000000 && address < 0x60000000) || address >= 0xe0000000;
}

/**
 * Register addresses that code reaches as base + offset, the way GCC compiles CMSIS accesses:
 * a peripheral base put in a register (LDR Rt, [PC, #imm] from a literal pool, MOV.W with a
 * modified immediate, ADD/SUB #imm on such a register) and then used by LDR/STR Rx, [Rt, #imm].
 * E.g. RCC 0x40023800 + #0x30 = RCC_AHB1ENR, or 0xE000E000 + #0xD88 = CPACR. Decoding follows
 * the ARMv7-M ARM §A5 encodings; a register stops counting as known after a branch, when it is
 * loaded again, or after a few instructions.
 */
export function baseOffsetAddresses(data: Uint8Array, segmentAddress: number): number[] {
	const out: number[] = [];
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	const half = (off: number) => view.getUint16(off, true);
	// Per register: the constant it holds and the instruction count until which it counts.
	const values = new Float64Array(16);
	const until = new Int32Array(16).fill(-1);
	const forget = (reg: number) => {
		until[reg] = -1;
	};
	const clear = () => until.fill(-1);
	const get = (reg: number, n: number) => (n <= until[reg]! ? values[reg] : undefined);
	const set = (reg: number, value: number, n: number) => {
		if (isTracked(value)) {
			values[reg] = value;
			until[reg] = n + TRACK_FOR;
		} else forget(reg);
	};
	const use = (reg: number, offset: number, n: number) => {
		const base = get(reg, n);
		if (base !== undefined) out.push((base + offset) >>> 0);
	};
	let n = 0;
	for (let off = 0; off + 2 <= data.length; n++) {
		const h = half(off);
		const wide = h >> 11 >= 0x1d;
		if (wide && off + 4 > data.length) break;
		const h2 = wide ? half(off + 2) : 0;
		if (!wide) {
			if ((h & 0xf800) === 0x4800) {
				// LDR Rt, [PC, #imm8*4]
				const at = (((segmentAddress + off + 4) & ~3) >>> 0) + (h & 0xff) * 4 - segmentAddress;
				const rt = (h >> 8) & 7;
				if (at >= 0 && at + 4 <= data.length) set(rt, view.getUint32(at, true), n);
				else forget(rt);
			} else if ((h & 0xe000) === 0x6000 || (h & 0xf000) === 0x8000) {
				// LDR/STR(B/H) Rt, [Rn, #imm5 * size]
				const size = (h & 0xf000) === 0x6000 ? 4 : (h & 0xf000) === 0x7000 ? 1 : 2;
				use((h >> 3) & 7, ((h >> 6) & 0x1f) * size, n);
				if (h & 0x0800) forget(h & 7);
			} else if ((h & 0xf000) === 0xd000 || (h & 0xf800) === 0xe000 || (h & 0xff00) === 0x4700) {
				clear(); // branch
			} else if ((h & 0xf800) === 0x2000 || (h & 0xf800) === 0x3000 || (h & 0xf800) === 0x3800) {
				forget((h >> 8) & 7); // MOVS/ADDS/SUBS Rdn, #imm8
			}
			off += 2;
			continue;
		}
		const rn = h & 0xf;
		if ((h & 0xfbef) === 0xf04f && (h2 & 0x8000) === 0) {
			// MOV.W Rd, #modified immediate
			const imm12 = (((h >> 10) & 1) << 11) | (((h2 >> 12) & 7) << 8) | (h2 & 0xff);
			set((h2 >> 8) & 0xf, thumbExpandImm(imm12), n);
		} else if ((h & 0xfbe0) === 0xf100 || (h & 0xfbe0) === 0xf1a0) {
			// ADD.W / SUB.W Rd, Rn, #modified immediate
			const imm12 = (((h >> 10) & 1) << 11) | (((h2 >> 12) & 7) << 8) | (h2 & 0xff);
			const base = get(rn, n);
			const rd = (h2 >> 8) & 0xf;
			if (base !== undefined) {
				const imm = thumbExpandImm(imm12);
				set(rd, ((h & 0xfbe0) === 0xf100 ? base + imm : base - imm) >>> 0, n);
			} else forget(rd);
		} else if ((h & 0xff70) === 0xf850 && rn === 0xf) {
			// LDR.W Rt, [PC, #±imm12]
			const imm = h2 & 0xfff;
			const pc = ((segmentAddress + off + 4) & ~3) >>> 0;
			const at = (h & 0x80 ? pc + imm : pc - imm) - segmentAddress;
			const rt = (h2 >> 12) & 0xf;
			if (at >= 0 && at + 4 <= data.length) set(rt, view.getUint32(at, true), n);
			else forget(rt);
		} else if ((h & 0xfe00) === 0xf800 && h & 0x0080 && rn !== 0xf) {
			// LDR/STR(B/H).W Rt, [Rn, #imm12]
			use(rn, h2 & 0xfff, n);
			if (h & 0x0010) forget((h2 >> 12) & 0xf);
		} else if ((h & 0xf800) === 0xf000 && h2 & 0x8000) {
			clear(); // BL / B.W
		}
		off += 4;
	}
	return out;
}
