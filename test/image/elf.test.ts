import { describe, expect, it } from "vitest";
import { parseElf } from "../../source/image/elf.js";
import { MalformedImageError } from "../../source/image/errors.js";
import { fixture, thrown } from "./fixtures.js";

const elf = fixture("blinky.elf");

function edited(edit: (bytes: Uint8Array, view: DataView) => void): Uint8Array {
	const copy = elf.slice();
	edit(copy, new DataView(copy.buffer));
	return copy;
}

function failure(bytes: Uint8Array): MalformedImageError {
	const error = thrown(() => parseElf(bytes, "fw.elf"));
	expect(error).toBeInstanceOf(MalformedImageError);
	expect((error as MalformedImageError).file).toBe("fw.elf");
	return error as MalformedImageError;
}

describe("ELF reading", () => {
	it("loads PT_LOAD segments at their load address, .data right after .text", () => {
		const image = parseElf(elf, "blinky.elf");
		expect(image.format).toBe("elf");
		expect(image.entry).toBe(0x08000043);
		expect(image.segments).toHaveLength(1);
		expect(image.segments[0]!.address).toBe(0x08000000);
		expect(image.segments[0]!.data).toEqual(fixture("blinky.bin"));
		expect(image.segments[0]!.name).toBe(".isr_vector, .text, .data");
		// The linker put the ELF headers into the first PT_LOAD (below flash): not loaded.
		expect(image.warnings?.[0]).toMatch(
			/program header 0: 116 of its 296 bytes belong to no section/,
		);
	});

	it("keeps section and symbol names for messages", () => {
		const image = parseElf(elf, "blinky.elf");
		expect(image.sections?.map((s) => s.name)).toEqual([".isr_vector", ".text", ".data", ".bss"]);
		const names = image.symbols?.map((s) => s.name);
		expect(names).toContain("Reset_Handler");
		expect(names).toContain("main");
		expect(image.symbols?.find((s) => s.name === "vectors")?.address).toBe(0x08000000);
	});

	it("says what a non-ARM or 64-bit ELF is", () => {
		expect(failure(edited((b) => (b[18] = 62))).message).toMatch(
			/32-bit ELF for x86-64, not for ARM/,
		);
		expect(failure(edited((b) => (b[4] = 2))).message).toMatch(/64-bit little-endian ELF for ARM/);
		expect(failure(edited((b) => (b[5] = 2))).message).toMatch(/32-bit big-endian ELF/);
		expect(failure(edited((_, v) => v.setUint16(16, 1, true))).message).toMatch(
			/relocatable object/,
		);
	});

	it("rejects truncated files at every length with an offset", () => {
		for (let length = 0; length < elf.length; length += 7) {
			const error = thrown(() => parseElf(elf.subarray(0, length), "cut.elf"));
			expect(error).toBeInstanceOf(MalformedImageError);
			expect((error as MalformedImageError).details.offset).not.toBeNull();
		}
	});

	it("rejects segments past the end of the file and absurd header counts", () => {
		const past = failure(edited((_, v) => v.setUint32(52 + 16, 0x7fffffff, true)));
		expect(past.message).toMatch(/program header 0: p_filesz 2147483647 is larger than p_memsz/);
		const pastEof = failure(
			edited((_, v) => {
				v.setUint32(52 + 4, 0x10000, true);
			}),
		);
		expect(pastEof.message).toMatch(/run past the end of the file/);
		expect(pastEof.offset).toBe(52 + 4);
		const manyHeaders = failure(edited((_, v) => v.setUint16(44, 60000, true)));
		expect(manyHeaders.message).toMatch(/truncated: 60000 program headers/);
		const manySections = failure(edited((_, v) => v.setUint16(48, 60000, true)));
		expect(manySections.message).toMatch(/60000 section headers/);
		const badStrings = failure(edited((_, v) => v.setUint16(50, 999, true)));
		expect(badStrings.offset).toBe(50);
	});

	it("loads a stripped file with no section headers", () => {
		const stripped = edited((_, v) => {
			v.setUint32(32, 0, true);
			v.setUint16(48, 0, true);
			v.setUint16(50, 0, true);
		});
		const image = parseElf(stripped, "stripped.elf");
		// Without sections the whole PT_LOAD is all there is, headers included.
		expect(image.segments[0]!.address).toBe(0x07ffff8c);
		expect(image.segments[0]!.data.subarray(0x74)).toEqual(fixture("blinky.bin"));
		expect(image.symbols).toBeUndefined();
	});
});
