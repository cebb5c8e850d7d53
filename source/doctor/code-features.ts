import type { Image } from "../image/image.js";
import type { VectorTable } from "./inspect-vectors.js";

/**
 * What the image's code needs from the core, found by following it from its exception handlers
 * (so literal pools and data tables, which would decode as random instructions, are not read):
 * Thumb-2 instructions an ARMv6-M core (Cortex-M0/M0+) lacks, and floating-point instructions.
 * Encodings: ARMv7-M ARM §A5.1-§A5.3 and §A6 (FP), ARMv6-M ARM §A5.1-§A5.2 (which 32-bit
 * instructions ARMv6-M keeps: BL, MSR, MRS, DMB, DSB, ISB).
 */
export interface CodeFeatures {
	/** Instructions decoded along the code paths from the handlers. */
	instructions: number;
	/** ARMv7-M-only instructions (32-bit Thumb-2 beyond ARMv6-M's, IT, CBZ/CBNZ). */
	thumb2: FeatureUse;
	/** Floating-point (VFP) instructions, coprocessors 10 and 11. */
	fpu: FeatureUse;
	/** Double-precision FP arithmetic, which an FPv4-SP or FPv5-SP unit cannot execute. */
	fpuDouble: FeatureUse;
}

export interface FeatureUse {
	count: number;
	/** The first few, with the address and the instruction's halfwords. */
	first: { address: number; encoding: string }[];
}

/** How many instructions to follow at most: enough for startup, clocks and main's first calls. */
const MAX_INSTRUCTIONS = 40_000;
const FIRST = 4;

function use(): FeatureUse {
	return { count: 0, first: [] };
}

function note(feature: FeatureUse, address: number, hw1: number, hw2?: number): void {
	feature.count++;
	if (feature.first.length < FIRST) {
		const h = (n: number) => n.toString(16).padStart(4, "0");
		feature.first.push({ address, encoding: hw2 === undefined ? h(hw1) : `${h(hw1)} ${h(hw2)}` });
	}
}

function signExtend(value: number, bits: number): number {
	const shift = 32 - bits;
	return (value << shift) >> shift;
}

/** ARMv6-M keeps these 32-bit encodings: BL, MSR, MRS and the barriers. */
function isV6m32(hw1: number, hw2: number): boolean {
	if ((hw1 & 0xf800) === 0xf000 && (hw2 & 0xd000) === 0xd000) return true; // BL
	if ((hw1 & 0xfff0) === 0xf380 && (hw2 & 0xff00) === 0x8800) return true; // MSR
	if (hw1 === 0xf3ef && (hw2 & 0xf000) === 0x8000) return true; // MRS
	if (hw1 === 0xf3bf && (hw2 & 0xff00) === 0x8f00) return true; // DMB/DSB/ISB
	return false;
}

interface Region {
	address: number;
	data: Uint8Array;
}

export function codeFeatures(image: Image, table?: VectorTable, delta = 0): CodeFeatures {
	const out: CodeFeatures = { instructions: 0, thumb2: use(), fpu: use(), fpuDouble: use() };
	if (!table?.plausible) return out;
	const regions: Region[] = image.segments.map((s) => ({
		address: (s.address + delta) >>> 0,
		data: s.data,
	}));
	const half = (address: number): number | undefined => {
		for (const r of regions) {
			const off = address - r.address;
			if (off >= 0 && off + 2 <= r.data.length) return r.data[off]! | (r.data[off + 1]! << 8);
		}
		return undefined;
	};
	const seen = new Set<number>();
	const work: number[] = [];
	for (const w of table.entries.slice(1)) if (w & 1) work.push((w & ~1) >>> 0);
	while (work.length && out.instructions < MAX_INSTRUCTIONS) {
		let pc = work.pop()!;
		for (;;) {
			if (seen.has(pc) || out.instructions >= MAX_INSTRUCTIONS) break;
			const hw1 = half(pc);
			if (hw1 === undefined) break;
			seen.add(pc);
			out.instructions++;
			if (hw1 >>> 11 >= 0x1d) {
				const hw2 = half(pc + 2);
				if (hw2 === undefined) break;
				const next = pc + 4;
				if (!isV6m32(hw1, hw2)) note(out.thumb2, pc, hw1, hw2);
				if ((hw1 & 0xec00) === 0xec00 && (hw2 & 0x0e00) === 0x0a00) {
					note(out.fpu, pc, hw1, hw2);
					// VFP data processing (not transfers) with sz = 1: double precision.
					if ((hw1 & 0xef00) === 0xee00 && (hw2 & 0x0f10) === 0x0b00)
						note(out.fpuDouble, pc, hw1, hw2);
				}
				if ((hw1 & 0xf800) === 0xf000 && (hw2 & 0x8000) === 0x8000) {
					const s = (hw1 >> 10) & 1;
					const j1 = (hw2 >> 13) & 1;
					const j2 = (hw2 >> 11) & 1;
					if ((hw2 & 0x5000) === 0x5000 || (hw2 & 0x5000) === 0x1000) {
						// BL (T1) or B.W (T4): imm32 = S:I1:I2:imm10:imm11:0
						const i1 = ~(j1 ^ s) & 1;
						const i2 = ~(j2 ^ s) & 1;
						const imm =
							(s << 24) | (i1 << 23) | (i2 << 22) | ((hw1 & 0x3ff) << 12) | ((hw2 & 0x7ff) << 1);
						const target = (next + signExtend(imm, 25)) >>> 0;
						work.push(target);
						if ((hw2 & 0x5000) === 0x1000) break; // B.W: no fall-through
					} else if ((hw2 & 0x5000) === 0x0000 && ((hw1 >> 7) & 7) !== 7) {
						// B<c>.W (T3): imm32 = S:J2:J1:imm6:imm11:0
						const imm =
							(s << 20) | (j2 << 19) | (j1 << 18) | ((hw1 & 0x3f) << 12) | ((hw2 & 0x7ff) << 1);
						work.push((next + signExtend(imm, 21)) >>> 0);
					}
				}
				// POP.W / LDM with PC, LDR.W PC, TBB/TBH: the path ends here.
				if ((hw1 & 0xffd0) === 0xe890 && hw2 & 0x8000) break;
				if ((hw1 & 0xfff0) === 0xf850 && (hw2 & 0xf000) === 0xf000) break;
				if ((hw1 & 0xfff0) === 0xe8d0 && (hw2 & 0xffe0) === 0xf000) break;
				pc = next;
				continue;
			}
			const next = pc + 2;
			if ((hw1 & 0xf500) === 0xb100) {
				note(out.thumb2, pc, hw1); // CBZ/CBNZ
				work.push(next + 2 + ((((hw1 >> 9) & 1) << 6) | (((hw1 >> 3) & 0x1f) << 1)));
			} else if ((hw1 & 0xff00) === 0xbf00 && (hw1 & 0xf) !== 0) {
				note(out.thumb2, pc, hw1); // IT
			} else if ((hw1 & 0xf000) === 0xd000 && ((hw1 >> 8) & 0xf) < 0xe) {
				work.push((next + 2 + signExtend((hw1 & 0xff) << 1, 9)) >>> 0); // B<c>
			} else if ((hw1 & 0xf800) === 0xe000) {
				work.push((next + 2 + signExtend((hw1 & 0x7ff) << 1, 12)) >>> 0); // B
				break;
			} else if (
				(hw1 & 0xff87) === 0x4700 ||
				(hw1 & 0xff00) === 0xbd00 ||
				(hw1 & 0xff00) === 0xde00
			) {
				break; // BX, POP {..., PC}, UDF
			} else if ((hw1 & 0xff87) === 0x4687) {
				break; // MOV PC, Rm
			}
			pc = next;
		}
	}
	return out;
}
