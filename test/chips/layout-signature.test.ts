import { describe, expect, it } from "vitest";
import {
	layoutSignature,
	layoutStart,
	readLayout,
	sameLayoutText,
} from "../../source/chips/layout-signature.js";
import { layoutSize } from "../../source/dfu/layout.js";

// Parsing itself is tested in test/dfu/layout.test.ts; these are the questions identify asks.
function signature(text: string): string {
	return layoutSignature(readLayout(text)!);
}

describe("layout signatures", () => {
	it("describes zero-padded counts and K pages as bytes, with the padded start address", () => {
		expect(signature("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")).toBe(
			"0x08000000:4x16384,1x65536,7x131072",
		);
	});

	it("reads a missing multiplier, a space or B as bytes", () => {
		expect(signature("@Internal Flash  /0x08000000/1536*128g")).toBe("0x08000000:1536x128");
		expect(signature("@Option Bytes  /0x1FFFC000/01*016 e")).toBe("0x1FFFC000:1x16");
		expect(signature("@Option Bytes   /0x1FFF7800/01*40Be")).toBe("0x1FFF7800:1x40");
	});

	it("keeps every address run of a multi-run string", () => {
		expect(signature("@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")).toBe(
			"0x1FFF7800:1x48|0x1FFFF800:1x48",
		);
	});

	it("ignores the name, padding and type letters", () => {
		expect(signature("@X/0x08000000/04*016Kg")).toBe(signature("@Y /0x08000000/4*16Ka"));
		expect(signature("@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")).toBe(
			signature("@OB/0x1FFF7800/1*48g/0x1FFFF800/1*48B e"),
		);
	});

	it("gives the same signature to different spellings of the same memory", () => {
		const f4 = signature("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
		// a run split in two where the first ends
		expect(signature("@F/0x08000000/04*016Kg/0x08010000/01*064Kg,07*128Kg")).toBe(f4);
		// neighbouring pages of one size written as two segments
		expect(signature("@F/0x08000000/03*016Kg,01*016Kg,01*064Kg,07*128Kg")).toBe(f4);
		// runs listed in another order
		expect(signature("@OB/0x1FFFF800/01*048 e/0x1FFF7800/01*048 e")).toBe(
			signature("@OB/0x1FFF7800/01*048 e/0x1FFFF800/01*048 e"),
		);
	});

	it("tells different memories apart", () => {
		const f4 = signature("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
		expect(signature("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg")).not.toBe(f4);
		expect(signature("@Internal Flash  /0x08000000/08*016Kg,01*064Kg,06*128Kg")).not.toBe(f4);
		expect(signature("@OB/0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")).not.toBe(
			signature("@OB/0x1FFF7800/01*048 e,01*048 e"),
		);
	});
});

describe("layout size and start", () => {
	it("sums every segment of every run", () => {
		expect(layoutSize(readLayout("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")!)).toBe(
			1024 * 1024,
		);
		expect(layoutSize(readLayout("@Internal Flash  /0x08000000/1536*128g")!)).toBe(1536 * 128);
		expect(layoutSize(readLayout("@OB/0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")!)).toBe(96);
	});

	it("starts where the device's first run starts", () => {
		expect(
			layoutStart(readLayout("@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")!),
		).toBe(0x1fff7800);
		expect(layoutStart(readLayout("@Internal Flash  /0x08000000/1536*128g")!)).toBe(0x08000000);
	});
});

describe("reading device strings", () => {
	it("has no layout for strings that are not layouts or are malformed", () => {
		expect(readLayout("DFU in FS Mode")).toBeUndefined();
		expect(readLayout("@Flash/zz/04*016Kg")).toBeUndefined();
		expect(readLayout("@Flash/0x08000000/04x016Kg")).toBeUndefined();
	});

	it("compares listing text ignoring only non-printable bytes and surrounding spaces", () => {
		expect(
			sameLayoutText(
				"@Internal Flash  /0x08000000/128*002Kg\u0000",
				" @Internal Flash  /0x08000000/128*002Kg",
			),
		).toBe(true);
		expect(
			sameLayoutText(
				"@Internal Flash  /0x08000000/128*002Kg",
				"@Internal Flash /0x08000000/128*002Kg",
			),
		).toBe(false);
	});
});
