import { describe, expect, it } from "vitest";
import { InputError } from "../../source/errors.js";
import { parseDfuse, writeDfuse } from "../../source/image/dfuse-file.js";
import { ImageOverlapError, MalformedImageError } from "../../source/image/errors.js";
import type { Image } from "../../source/image/image.js";
import { fixture, thrown } from "./fixtures.js";

function u32(bytes: Uint8Array, offset: number): number {
	return new DataView(bytes.buffer, bytes.byteOffset).getUint32(offset, true);
}

function image(segments: Image["segments"]): Image {
	return { format: "bin", source: "test", segments };
}

describe("DfuSe .dfu reading", () => {
	it("reads a dfuse-pack file with two elements in different sectors", () => {
		const parsed = parseDfuse(fixture("two-sectors.dfu"), "two-sectors.dfu");
		expect(parsed.format).toBe("dfuse");
		expect(parsed.segments.map((s) => [s.address, s.data.length, s.alt, s.name])).toEqual([
			[0x08000000, 184, 0, "ST..."],
			[0x08020000, 16, 0, "ST..."],
		]);
		expect(parsed.segments[0]!.data).toEqual(fixture("blinky.bin"));
		expect(parsed.segments[1]!.data).toEqual(fixture("config.bin"));
		expect(parsed.suffix).toEqual({
			vendorId: 0x0483,
			productId: 0xdf11,
			bcdDevice: 0,
			bcdDFU: 0x011a,
		});
		// dfuse-pack writes DFUImageSize as the whole file: accepted without a warning.
		expect(parsed.warnings).toBeUndefined();
	});

	it("only warns when DFUImageSize matches neither convention", () => {
		const file = fixture("blinky.dfu");
		const written = writeDfuse(parseDfuse(file, "x"), {});
		const edited = written.slice();
		edited[6] = 0x99;
		const resealed = writeWithCrc(edited);
		const parsed = parseDfuse(resealed, "odd-size.dfu");
		expect(parsed.warnings?.[0]).toMatch(/DFUImageSize says/);
		expect(parsed.segments[0]!.data).toEqual(fixture("blinky.bin"));
	});

	it("rejects a bad CRC naming the offset of the CRC", () => {
		const file = fixture("blinky.dfu").slice();
		file[100] ^= 0xff;
		const error = thrown(() => parseDfuse(file, "bad.dfu"));
		expect(error).toBeInstanceOf(MalformedImageError);
		expect((error as MalformedImageError).offset).toBe(file.length - 4);
		expect((error as Error).message).toMatch(/^bad\.dfu: offset .*CRC mismatch/);
	});

	it("rejects every truncation with a typed error naming the file", () => {
		const file = fixture("two-sectors.dfu");
		for (let length = 0; length < file.length; length++) {
			const error = thrown(() => parseDfuse(file.subarray(0, length), "cut.dfu"));
			expect(error).toBeInstanceOf(MalformedImageError);
			expect((error as MalformedImageError).file).toBe("cut.dfu");
			expect((error as MalformedImageError).details.offset).not.toBeNull();
		}
	});

	it("rejects absurd element counts and sizes before allocating", () => {
		const file = writeDfuse(image([{ address: 0x08000000, data: new Uint8Array(64) }]));
		const manyElements = file.slice();
		manyElements.set([0xff, 0xff, 0xff, 0x7f], 11 + 270);
		const e1 = thrown(() =>
			parseDfuse(writeWithCrc(manyElements), "many.dfu"),
		) as MalformedImageError;
		expect(e1).toBeInstanceOf(MalformedImageError);
		expect(e1.message).toMatch(/claims 2147483647 elements/);
		expect(e1.offset).toBe(11 + 270);

		const hugeElement = file.slice();
		hugeElement.set([0xff, 0xff, 0xff, 0xff], 11 + 274 + 4);
		const e2 = thrown(() =>
			parseDfuse(writeWithCrc(hugeElement), "huge.dfu"),
		) as MalformedImageError;
		expect(e2.message).toMatch(/claims 4294967295 bytes/);
		expect(e2.offset).toBe(11 + 274 + 4);
	});

	it("rejects overlapping elements naming both ranges", () => {
		const file = writeDfuse(
			image([
				{ address: 0x08000000, data: new Uint8Array(32) },
				{ address: 0x08000100, data: new Uint8Array(32) },
			]),
		);
		// Move the second element's address into the first.
		const edited = file.slice();
		edited.set([0x10, 0x00, 0x00, 0x08], 11 + 274 + 8 + 32);
		const error = thrown(() => parseDfuse(writeWithCrc(edited), "overlap.dfu"));
		expect(error).toBeInstanceOf(ImageOverlapError);
		expect((error as Error).message).toMatch(
			/0x08000010\.\.0x0800002F.*overlaps 0x08000000\.\.0x0800001F/,
		);
	});

	it("names a wrong version, a missing Target signature and a plain DFU suffix", () => {
		const good = writeDfuse(image([{ address: 0x08000000, data: new Uint8Array(4) }]));
		const v2 = good.slice();
		v2[5] = 2;
		expect((thrown(() => parseDfuse(writeWithCrc(v2), "v2.dfu")) as Error).message).toMatch(
			/version 2/,
		);
		const noTarget = good.slice();
		noTarget[11] = 0x58;
		expect(
			(thrown(() => parseDfuse(writeWithCrc(noTarget), "t.dfu")) as MalformedImageError).offset,
		).toBe(11);
		const plain = good.slice();
		plain.set([0x00, 0x01], good.length - 10);
		expect((thrown(() => parseDfuse(writeWithCrc(plain), "p.dfu")) as Error).message).toMatch(
			/bcdDFU 0x011A.*0x0100/,
		);
	});
});

describe("DfuSe .dfu writing", () => {
	it("round-trips segments grouped by alt setting, with names and IDs", () => {
		const original = image([
			{
				address: 0x08000000,
				data: Uint8Array.from({ length: 300 }, (_, i) => i & 0xff),
				alt: 0,
				name: "Internal Flash",
			},
			{ address: 0x08020000, data: Uint8Array.of(1, 2, 3), alt: 0, name: "Internal Flash" },
			{ address: 0x1fffc000, data: Uint8Array.of(0xaa, 0x55), alt: 1, name: "Option Bytes" },
		]);
		const bytes = writeDfuse(original, { vendorId: 0x1209, productId: 0x0001, bcdDevice: 0x0200 });
		const back = parseDfuse(bytes, "rt.dfu");
		expect(back.segments).toEqual(original.segments);
		expect(back.suffix).toEqual({
			vendorId: 0x1209,
			productId: 0x0001,
			bcdDevice: 0x0200,
			bcdDFU: 0x011a,
		});
		expect(back.warnings).toBeUndefined();
		expect(bytes[10]).toBe(2);
	});

	it("writes DFUImageSize as prefix + targets, without the suffix", () => {
		const bytes = writeDfuse(image([{ address: 0x08000000, data: new Uint8Array(10) }]));
		expect(u32(bytes, 6)).toBe(bytes.length - 16);
		expect(bytes.length).toBe(11 + 274 + 8 + 10 + 16);
	});

	it("defaults to the ST ROM bootloader's IDs, any bcdDevice", () => {
		const back = parseDfuse(writeDfuse(image([{ address: 0, data: new Uint8Array(1) }])), "d.dfu");
		expect(back.suffix).toEqual({
			vendorId: 0x0483,
			productId: 0xdf11,
			bcdDevice: 0xffff,
			bcdDFU: 0x011a,
		});
	});

	it("refuses what a DfuSe file cannot hold", () => {
		expect(thrown(() => writeDfuse(image([])))).toBeInstanceOf(InputError);
		expect(
			thrown(() => writeDfuse(image([{ address: 0, data: new Uint8Array(1), alt: 300 }]))),
		).toBeInstanceOf(InputError);
		expect(
			thrown(() =>
				writeDfuse(image([{ address: 0, data: new Uint8Array(1) }]), { vendorId: 0x10000 }),
			),
		).toBeInstanceOf(InputError);
	});
});

/** Recompute the CRC after editing a field, as a tool that rewrites the file would. */
function writeWithCrc(bytes: Uint8Array): Uint8Array {
	const out = bytes.slice();
	// dfuCrc is tested on its own; recompute via the writer's suffix helper.
	const body = out.subarray(0, out.length - 16);
	const suffix = out.subarray(out.length - 16);
	const fields = {
		bcdDevice: suffix[0]! | (suffix[1]! << 8),
		productId: suffix[2]! | (suffix[3]! << 8),
		vendorId: suffix[4]! | (suffix[5]! << 8),
		bcdDFU: suffix[6]! | (suffix[7]! << 8),
	};
	return appendDfuSuffix(body, fields);
}

import { appendDfuSuffix } from "../../source/image/dfu-suffix.js";
