import { beforeAll, describe, expect, it } from "vitest";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { inspect } from "../../source/doctor/inspect.js";
import { baseOffsetAddresses, movwMovtConstants } from "../../source/doctor/thumb-constants.js";
import { syntheticImage } from "./inspect-synthetic-image.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

/** Encodes MOVW/MOVT Rd, #imm16 (ARMv7-M T3 / T1) as two little-endian halfwords each. */
function mov(top: boolean, rd: number, imm: number): number[] {
	const hw1 = (top ? 0xf2c0 : 0xf240) | (((imm >> 11) & 1) << 10) | ((imm >> 12) & 0xf);
	const hw2 = (((imm >> 8) & 7) << 12) | (rd << 8) | (imm & 0xff);
	return [hw1 & 0xff, hw1 >> 8, hw2 & 0xff, hw2 >> 8];
}

function load(rd: number, value: number, between: number[] = []): number[] {
	return [...mov(false, rd, value & 0xffff), ...between, ...mov(true, rd, value >>> 16)];
}

describe("MOVW/MOVT constants", () => {
	it("decodes pairs, also with an instruction between them", () => {
		const nop = [0x00, 0xbf];
		const code = new Uint8Array([
			...load(3, 0x40023830),
			...nop,
			...load(2, 0x58024ce0, nop),
			...nop,
		]);
		expect(movwMovtConstants(code)).toEqual([0x40023830, 0x58024ce0]);
	});

	it("ignores a MOVT for another register", () => {
		const code = new Uint8Array([...mov(false, 1, 0x3830), ...mov(true, 2, 0x4002)]);
		expect(movwMovtConstants(code)).toEqual([]);
	});

	it("lets the family guess see addresses built without a literal pool", () => {
		// A vector count no part has, so only the code can tell the family.
		const image = syntheticImage({ initialSp: 0x20020000, vectors: 60, codeBytes: 64 });
		expect(inspect(image).guess?.evidence.join("\n") ?? "").not.toContain("RCC_AHB4ENR");
		const code = [...load(0, 0x580244e0), ...load(1, 0x58020400), ...load(2, 0x58020414)];
		image.segments[0]!.data.set(code, 60 * 4 + 8);
		const guess = inspect(image).guess;
		expect(guess?.family).toBe("H7");
		expect(guess?.evidence.join("\n")).toContain("RCC_AHB4ENR at 0x580244E0");
	});
});

describe("base + offset register accesses", () => {
	/** ldr r3, [pc, #n]; ldr r2, [r3, #off]; orrs r2, r1; str r2, [r3, #off]; then the pool. */
	function cmsisImage(base: number, offset: number): Uint8Array {
		const code = [
			0x4b02, // ldr r3, [pc, #8]  → pool at +12 (pc = 4, aligned, + 8)
			0x681a | ((offset / 4) << 6), // ldr r2, [r3, #offset]
			0x430a, // orrs r2, r1
			0x601a | ((offset / 4) << 6), // str r2, [r3, #offset]
			0x4770, // bx lr
			0xbf00, // nop (pad to the pool)
		];
		const bytes = new Uint8Array(code.length * 2 + 4);
		const view = new DataView(bytes.buffer);
		code.forEach((h, i) => {
			view.setUint16(i * 2, h, true);
		});
		view.setUint32(code.length * 2, base, true);
		return bytes;
	}

	it("turns RCC base + #0x1C into the register address", () => {
		expect(baseOffsetAddresses(cmsisImage(0x40023800, 0x1c), 0x08000100)).toEqual([
			0x4002381c, 0x4002381c,
		]);
	});

	it("tells L1 from F4 by the RCC register offset when both share the RCC base", () => {
		// Only the 16 system vectors: a table that no family's interrupt count speaks for, so that
		// the register offset decides.
		const guessFor = (offset: number) => {
			const image = syntheticImage({ initialSp: 0x20008000, vectors: 16, codeBytes: 0 });
			const code = cmsisImage(0x40023800, offset);
			const data = new Uint8Array(image.segments[0]!.data.length + code.length);
			data.set(image.segments[0]!.data);
			data.set(code, image.segments[0]!.data.length);
			return inspect({ ...image, segments: [{ address: 0x08000000, data }] }).guess;
		};
		expect(guessFor(0x1c)?.family).toBe("L1"); // RCC_AHBENR
		expect(guessFor(0x30)?.evidence.join("\n")).toContain("RCC_AHB1ENR at 0x40023830");
	});
});
