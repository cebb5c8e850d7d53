import { describe, expect, it } from "vitest";
import { ImageOverlapError, MalformedImageError } from "../../source/image/errors.js";
import { parseIhex, writeIhex } from "../../source/image/ihex.js";
import type { Image } from "../../source/image/image.js";
import { bytesOf, fixture, thrown } from "./fixtures.js";

function parse(source: string, name = "t.hex"): Image {
	return parseIhex(bytesOf(source), name);
}

function failure(source: string): MalformedImageError {
	const error = thrown(() => parse(source));
	expect(error).toBeInstanceOf(MalformedImageError);
	return error as MalformedImageError;
}

describe("Intel HEX reading", () => {
	it("reads objcopy output: data at the load address (.data after .text), start address", () => {
		const hex = parseIhex(fixture("blinky.hex"), "blinky.hex");
		expect(hex.segments).toHaveLength(1);
		expect(hex.segments[0]!.address).toBe(0x08000000);
		expect(hex.segments[0]!.data).toEqual(fixture("blinky.bin"));
		expect(hex.entry).toBe(0x08000043);
	});

	it("handles extended segment addresses, wrapping inside the segment, and CS:IP starts", () => {
		const image = parse(":020000021000EC\n:04FFFE0001020304F5\n:0400000300001234B3\n:00000001FF\n");
		expect(image.segments.map((s) => [s.address, [...s.data]])).toEqual([
			[0x10000, [3, 4]],
			[0x1fffe, [1, 2]],
		]);
		expect(image.entry).toBe(0x1234);
	});

	it("accepts CRLF, lower case and blank lines; warns about lines after EOF", () => {
		const image = parse(
			":020000040102f7\r\n\r\n:0400000001020304f2\r\n:00000001FF\r\n:00000001FF\r\n",
		);
		expect(image.segments[0]!.address).toBe(0x01020000);
		expect(image.segments[0]!.data).toEqual(Uint8Array.of(1, 2, 3, 4));
		expect(image.warnings?.[0]).toMatch(/after the end-of-file record/);
	});

	it("names line and column of a bad checksum", () => {
		const e = failure(":020000040800F2\n:0400000001020304F1\n:00000001FF\n");
		expect(e.line).toBe(2);
		expect(e.position.column).toBe(18);
		expect(e.message).toMatch(
			/^t\.hex: line 2, column 18: bad checksum: the record says 0xF1, its bytes give 0xF2/,
		);
	});

	it("names a bad character, an odd length, a short record and a wrong byte count", () => {
		const bad = failure(":020000040800F2\n:04000000010G0304F2\n:00000001FF\n");
		expect([bad.line, bad.position.column, bad.offset]).toEqual([2, 13, 28]);
		expect(bad.message).toMatch(/bad character "G"/);
		expect(failure(":0400000001020304F\n:00000001FF\n").message).toMatch(
			/odd number of hex digits/,
		);
		expect(failure(":0000\n").message).toMatch(/too short/);
		expect(failure(":0500000001020304F1\n:00000001FF\n").message).toMatch(
			/says it holds 5 data bytes/,
		);
	});

	it("refuses a missing EOF record, unknown record types and wrong-length address records", () => {
		const missing = failure(":0400000001020304F2\n");
		expect(missing.message).toMatch(/end-of-file record/);
		expect(missing.line).toBe(2);
		expect(failure(":00000006FA\n:00000001FF\n").message).toMatch(/unknown record type 0x06/);
		expect(failure(":0100000400FB\n:00000001FF\n").message).toMatch(/must hold 2 data bytes/);
		expect(failure("x\n").message).toMatch(/line 1, column 1: expected ":"/);
	});

	it("refuses two HEX files joined with cat, naming the line after the first end-of-file record", () => {
		const joined = failure(
			":0400000001020304F2\n:00000001FF\n:020000040801F1\n:0400000005060708E2\n:00000001FF\n",
		);
		expect(joined.line).toBe(3);
		expect(joined.message).toMatch(
			/line 3, column 1: a record after the end-of-file record of line 2: this looks like two HEX files joined together/,
		);
	});

	it("refuses overlapping data naming both lines", () => {
		const error = thrown(() => parse(":0400000001020304F2\n:0400020001020304F0\n:00000001FF\n"));
		expect(error).toBeInstanceOf(ImageOverlapError);
		expect((error as Error).message).toMatch(
			/0x00000002\.\.0x00000005 \(line 2\) overlaps 0x00000000\.\.0x00000003 \(line 1\)/,
		);
	});

	it("refuses a file with no data", () => {
		expect(failure(":00000001FF\n").message).toMatch(/no data records/);
	});
});

describe("Intel HEX writing", () => {
	it("round-trips sparse images across 64 KiB boundaries with a start address", () => {
		const image: Image = {
			format: "bin",
			source: "t",
			entry: 0x08000199,
			segments: [
				{ address: 0x0800fff0, data: Uint8Array.from({ length: 100 }, (_, i) => i) },
				{ address: 0x20000000, data: Uint8Array.of(9, 8, 7) },
			],
		};
		const text = writeIhex(image);
		const lines = text.trim().split("\n");
		expect(lines[0]).toBe(":020000040800F2");
		expect(lines.at(-2)).toBe(":040000050800019955");
		expect(lines.at(-1)).toBe(":00000001FF");
		expect(lines.filter((l) => l.startsWith(":02000004"))).toHaveLength(3);
		// 32-byte records, none crossing 0x08010000.
		expect(lines[1]).toBe(`:10FFF000${"000102030405060708090A0B0C0D0E0F"}${"89"}`);
		const back = parseIhex(bytesOf(text), "rt.hex");
		expect(back.segments).toEqual(image.segments);
		expect(back.entry).toBe(image.entry);
	});

	it("reads back what objcopy wrote, then writes what reads back the same", () => {
		const first = parseIhex(fixture("blinky.hex"), "blinky.hex");
		const again = parseIhex(bytesOf(writeIhex(first)), "again.hex");
		expect(again.segments).toEqual(first.segments);
	});
});
