import { describe, expect, it } from "vitest";
import {
	attributeLetters,
	contiguousEnd,
	isErasable,
	isReadable,
	isWritable,
	LayoutParseError,
	layoutSize,
	pageAt,
	pagesTouching,
	parseLayout,
} from "../../source/dfu/index.js";

function table(text: string) {
	const layout = parseLayout(text)!;
	return {
		name: layout.name,
		segments: layout.segments.map(
			(s) => `0x${s.start.toString(16)} ${s.count}x${s.pageSize} ${attributeLetters(s) || "-"}`,
		),
	};
}

describe("parseLayout", () => {
	it.each([
		[
			"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
			"Internal Flash",
			["0x8000000 4x16384 rew", "0x8010000 1x65536 rew", "0x8020000 7x131072 rew"],
		],
		["@Option Bytes  /0x1FFFC000/01*016 e", "Option Bytes", ["0x1fffc000 1x16 rw"]],
		[
			"@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
			"Option Bytes",
			["0x1fff7800 1x48 rw", "0x1ffff800 1x48 rw"],
		],
		["@Internal Flash  /0x08000000/1536*128g", "Internal Flash", ["0x8000000 1536x128 rew"]],
		["@Option Bytes   /0x1FFF7800/01*40Be", "Option Bytes", ["0x1fff7800 1x40 rw"]],
		["@OTP Memory   /0x1FFF7000/01*01Ke", "OTP Memory", ["0x1fff7000 1x1024 rw"]],
		["@Internal Flash  /0x08000000/128*002Kg", "Internal Flash", ["0x8000000 128x2048 rew"]],
		["@Internal Flash   /0x08000000/16*128Kg", "Internal Flash", ["0x8000000 16x131072 rew"]],
		["@DATA Memory /0x08080000/2*3Ke", "DATA Memory", ["0x8080000 2x3072 rw"]],
		["@Internal Flash  /0x08000000/1024*256 g", "Internal Flash", ["0x8000000 1024x256 rew"]],
		["@Big /0x90000000/2*1Ma", "Big", ["0x90000000 2x1048576 r"]],
		[
			"@OTP Memory /0x1FFF7800/01*512 e,01*016 e/0x1FFE7800/01*512 e,01*016 e",
			"OTP Memory",
			["0x1fff7800 1x512 rw", "0x1fff7a00 1x16 rw", "0x1ffe7800 1x512 rw", "0x1ffe7a00 1x16 rw"],
		],
		// bcdDevice 0x2100 F4 marks the voltage-range word erasable; dfu-util forces it to R/W.
		["@Device Feature/0xFFFF0000/01*004 g", "Device Feature", ["0xffff0000 1x4 rw"]],
		[
			"@System /0x1FFF0000/01*030Kb,01*002Kc,01*001Kd,01*001Kf",
			"System",
			[
				"0x1fff0000 1x30720 e",
				"0x1fff7800 1x2048 re",
				"0x1fff8000 1x1024 w",
				"0x1fff8400 1x1024 ew",
			],
		],
	])("%s", (text, name, segments) => {
		expect(table(text)).toEqual({ name, segments });
	});

	it("strips non-printable bytes and keeps padded names trimmed", () => {
		expect(table("@Internal Flash\u0000\u0001  /0x08000000/\u000204*016Kg\u0000")).toEqual({
			name: "Internal Flash",
			segments: ["0x8000000 4x16384 rew"],
		});
	});

	it("returns undefined for a string that is not a layout", () => {
		expect(parseLayout("DFU in FS Mode")).toBeUndefined();
	});

	it.each([
		["@Flash /0x08000000/", "expected a number"],
		["@Flash /0x08000000/04*016Kz", "expected a type letter"],
		["@Flash /0x08000000/04-016Kg", "expected '*'"],
		["@Flash", "no address run"],
		["@Flash /zz/04*016Kg", "expected a number"],
	])("rejects %s", (text, reason) => {
		expect(() => parseLayout(text)).toThrow(LayoutParseError);
		expect(() => parseLayout(text)).toThrow(reason);
	});
});

describe("layout queries", () => {
	const f4 = parseLayout("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")!;
	const ob = parseLayout("@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e")!;

	it("finds the page holding an address", () => {
		expect(pageAt(f4, 0x08000000)).toMatchObject({ address: 0x08000000, size: 0x4000 });
		expect(pageAt(f4, 0x08013fff)).toMatchObject({ address: 0x08010000, size: 0x10000 });
		expect(pageAt(f4, 0x08020000)).toMatchObject({ address: 0x08020000, size: 0x20000 });
		expect(pageAt(f4, 0x080fffff)).toMatchObject({ address: 0x080e0000, size: 0x20000 });
		expect(pageAt(f4, 0x08100000)).toBeUndefined();
		expect(pageAt(f4, 0x07ffffff)).toBeUndefined();
	});

	it("answers readable/writable/erasable per address", () => {
		expect([
			isReadable(f4, 0x08000000),
			isWritable(f4, 0x08000000),
			isErasable(f4, 0x08000000),
		]).toEqual([true, true, true]);
		expect([
			isReadable(ob, 0x1fff7800),
			isWritable(ob, 0x1fff7800),
			isErasable(ob, 0x1fff7800),
		]).toEqual([true, true, false]);
		expect(isWritable(ob, 0x1fff7830)).toBe(false);
		expect(isWritable(f4, 0x08100000)).toBe(false);
	});

	it("lists the pages a range touches, across segment boundaries", () => {
		const pages = pagesTouching(f4, 0x0800c000, 0x14001).map((p) => [p.address, p.size]);
		expect(pages).toEqual([
			[0x0800c000, 0x4000],
			[0x08010000, 0x10000],
			[0x08020000, 0x20000],
		]);
		expect(pagesTouching(f4, 0x08000000, 1).map((p) => p.address)).toEqual([0x08000000]);
		expect(pagesTouching(f4, 0x08100000, 16)).toEqual([]);
	});

	it("follows contiguous segments to the end of memory, but not across an address gap", () => {
		expect(contiguousEnd(f4, 0x08004000)).toBe(0x08100000);
		expect(contiguousEnd(ob, 0x1fff7800)).toBe(0x1fff7830);
		expect(contiguousEnd(f4, 0x09000000)).toBe(0x09000000);
		expect(layoutSize(f4)).toBe(1024 * 1024);
	});
});

describe("altKind", () => {
	it("names what each ST loader alt holds, from its layout name or interface string", async () => {
		const { altKind, parseLayout } = await import("../../source/dfu/layout.js");
		const kinds = [
			"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
			"@Option Bytes  /0x1FFFC000/01*016 e",
			"@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
			"@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
			"@Device Feature/0xFFFF0000/01*004 e",
			"@SRAM /0x20000000/64*001Kg",
		].map((name) => altKind({ name, layout: parseLayout(name)! }));
		expect(kinds).toEqual([
			"flash",
			"option-bytes",
			"option-bytes",
			"otp",
			"device-feature",
			"other",
		]);
		// Without a layout the interface string decides; "OTP" must be a word of its own.
		expect(altKind("@Flash bank 2 (not OTPish)")).toBe("flash");
		expect(altKind("OTP")).toBe("otp");
	});
});
