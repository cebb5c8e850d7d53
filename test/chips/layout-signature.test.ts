import { describe, expect, it } from "vitest";
import {
	layoutBytes,
	layoutSignature,
	parseLayoutString,
} from "../../source/chips/layout-signature.js";

describe("layout strings as the chip database reads them", () => {
	it("reads zero-padded counts, K multipliers and the type letter", () => {
		const l = parseLayoutString("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")!;
		expect(l.name).toBe("Internal Flash");
		expect(l.runs[0]!.pages).toEqual([
			{ count: 4, size: 16384, type: "g" },
			{ count: 1, size: 65536, type: "g" },
			{ count: 7, size: 131072, type: "g" },
		]);
		expect(layoutBytes(l)).toBe(1024 * 1024);
	});

	it("takes a missing multiplier, a space or B as bytes", () => {
		expect(parseLayoutString("@Internal Flash  /0x08000000/1536*128g")!.runs[0]!.pages[0]).toEqual({
			count: 1536,
			size: 128,
			type: "g",
		});
		expect(parseLayoutString("@Option Bytes  /0x1FFFC000/01*016 e")!.runs[0]!.pages[0]!.size).toBe(
			16,
		);
		expect(parseLayoutString("@Option Bytes   /0x1FFF7800/01*40Be")!.runs[0]!.pages[0]!.size).toBe(
			40,
		);
	});

	it("keeps every address run and compares shapes regardless of padding", () => {
		const g474 = parseLayoutString("@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")!;
		expect(g474.runs.map((r) => r.start)).toEqual([0x1fff7800, 0x1ffff800]);
		expect(layoutSignature(parseLayoutString("@X/0x08000000/04*016Kg")!)).toBe(
			layoutSignature(parseLayoutString("@Y /0x08000000/4*16Ka")!),
		);
	});

	it("refuses strings that are not layouts", () => {
		expect(parseLayoutString("DFU in FS Mode")).toBeUndefined();
		expect(parseLayoutString("@Flash/zz/04*016Kg")).toBeUndefined();
		expect(parseLayoutString("@Flash/0x08000000/04x016Kg")).toBeUndefined();
	});
});
