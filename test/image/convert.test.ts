import { describe, expect, it } from "vitest";
import { UsageError } from "../../source/errors.js";
import { convert, parseInputSpec } from "../../source/image/convert.js";
import { parseDfuse, writeDfuse } from "../../source/image/dfuse-file.js";
import {
	ImageOutputError,
	ImageOverlapError,
	LoadAddressRequiredError,
} from "../../source/image/errors.js";
import { parseIhex } from "../../source/image/ihex.js";
import { fixture, thrown } from "./fixtures.js";

const blinky = { bytes: fixture("blinky.bin"), name: "blinky.bin", address: 0x08000000 };
const config = { bytes: fixture("config.bin"), name: "config.bin", address: 0x08020000 };

describe("convert", () => {
	it("packs two raw binaries into one .dfu, the same data dfuse-pack puts in its file", () => {
		const result = convert([blinky, config], { output: "out.dfu" });
		const back = parseDfuse(result.bytes, "out.dfu");
		const reference = parseDfuse(fixture("two-sectors.dfu"), "two-sectors.dfu");
		expect(back.segments.map((s) => [s.address, s.data])).toEqual(
			reference.segments.map((s) => [s.address, s.data]),
		);
		expect(result.notes.join("\n")).toMatch(/0x0483:0xDF11/);
	});

	it("writes the IDs given with --vid --pid --bcd", () => {
		const result = convert([blinky], { output: "out.dfu", vid: 0x1209, pid: 0x70b1, bcd: 0x0100 });
		expect(parseDfuse(result.bytes, "out.dfu").suffix).toEqual({
			vendorId: 0x1209,
			productId: 0x70b1,
			bcdDevice: 0x0100,
			bcdDFU: 0x011a,
		});
	});

	it("turns an ELF into HEX keeping the entry point", () => {
		const result = convert([{ bytes: fixture("blinky.elf"), name: "blinky.elf" }], {
			output: "out.hex",
		});
		const back = parseIhex(result.bytes, "out.hex");
		expect(back.entry).toBe(0x08000043);
		expect(back.segments[0]!.data).toEqual(fixture("blinky.bin"));
	});

	it("notes an @ADDR given to a file that carries its own addresses", () => {
		const result = convert(
			[{ bytes: fixture("blinky.hex"), name: "blinky.hex", address: 0x08004000 }],
			{ output: "out.bin" },
		);
		expect(result.notes.join("\n")).toMatch(/blinky\.hex: .*given address 0x08004000 is not used/);
		expect(result.bytes).toEqual(fixture("blinky.bin"));
	});

	it("fills gaps with 0xFF for .bin and says where to flash it", () => {
		const result = convert([blinky, config], { output: "out.bin" });
		expect(result.bytes.length).toBe(0x20000 + 16);
		expect(result.bytes.subarray(0, 184)).toEqual(fixture("blinky.bin"));
		expect(result.bytes[184]).toBe(0xff);
		expect(result.bytes.subarray(0x20000)).toEqual(fixture("config.bin"));
		expect(result.notes.join("\n")).toMatch(
			/filled 130888 bytes between 0x080000B8 and 0x0801FFFF with 0xFF/,
		);
		expect(result.notes.join("\n")).toMatch(/flash it at 0x08000000/);
	});

	it("refuses a .bin with an absurd gap, overlapping inputs and a binary without address", () => {
		const ram = { bytes: Uint8Array.of(1), name: "ram.bin", address: 0x20000000 };
		expect(thrown(() => convert([blinky, ram], { output: "out.bin" }))).toBeInstanceOf(
			ImageOutputError,
		);
		const overlap = thrown(() =>
			convert([blinky, { ...config, address: 0x08000010 }], { output: "out.hex" }),
		);
		expect(overlap).toBeInstanceOf(ImageOverlapError);
		expect((overlap as Error).message).toMatch(/\(config\.bin\) overlaps .*\(blinky\.bin\)/);
		expect(
			thrown(() => convert([{ ...blinky, address: undefined }], { output: "out.dfu" })),
		).toBeInstanceOf(LoadAddressRequiredError);
	});

	it("refuses unknown output names, bad IDs and several alt settings in one .hex", () => {
		expect(thrown(() => convert([blinky], { output: "out.img" }))).toBeInstanceOf(UsageError);
		expect(thrown(() => convert([blinky], { output: "out.dfu", vid: 0x10000 }))).toBeInstanceOf(
			UsageError,
		);
		const twoAlts = writeDfuse({
			format: "dfuse",
			source: "two.dfu",
			segments: [
				{ address: 0x08000000, data: Uint8Array.of(1, 2), alt: 0 },
				{ address: 0x1fffc000, data: Uint8Array.of(3), alt: 1 },
			],
		});
		const error = thrown(() =>
			convert([{ bytes: twoAlts, name: "two.dfu" }], { output: "two.hex" }),
		);
		expect(error).toBeInstanceOf(ImageOutputError);
		expect((error as Error).message).toMatch(/2 alt settings/);
		expect(
			convert([{ bytes: twoAlts, name: "two.dfu" }], { output: "copy.dfu" }).image.segments,
		).toHaveLength(2);
	});
});

describe("input specs", () => {
	it("splits FILE@ADDR and leaves other '@' in paths alone", () => {
		expect(parseInputSpec("fw.bin@0x08004000")).toEqual({ path: "fw.bin", address: 0x08004000 });
		expect(parseInputSpec("fw.bin@134217728")).toEqual({ path: "fw.bin", address: 0x08000000 });
		expect(parseInputSpec("builds/v1@home/fw.hex")).toEqual({ path: "builds/v1@home/fw.hex" });
		expect(parseInputSpec("fw.hex")).toEqual({ path: "fw.hex" });
		expect(thrown(() => parseInputSpec("fw.bin@0x1G"))).toBeInstanceOf(UsageError);
		expect(thrown(() => parseInputSpec("fw.bin@0x100000000"))).toBeInstanceOf(UsageError);
	});
});
