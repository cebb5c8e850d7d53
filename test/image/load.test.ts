import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseBin } from "../../source/image/bin.js";
import {
	ImageReadError,
	LoadAddressRequiredError,
	MalformedImageError,
	NotRawBinaryError,
	UnsupportedImageError,
} from "../../source/image/errors.js";
import { loadImage, loadImageBytes } from "../../source/image/load.js";
import { sniffFormat } from "../../source/image/sniff.js";
import { bytesOf, fixture, fixturePath, thrown } from "./fixtures.js";

const FLASH = 0x08000000;

function uf2Block(): Uint8Array {
	const block = new Uint8Array(512);
	const view = new DataView(block.buffer);
	view.setUint32(0, 0x0a324655, true);
	view.setUint32(4, 0x9e5d5157, true);
	view.setUint32(508, 0x0ab16f30, true);
	return block;
}

describe("sniffing by content", () => {
	it("tells every fixture's format from its bytes", () => {
		expect(sniffFormat(fixture("blinky.elf"))).toBe("elf");
		expect(sniffFormat(fixture("blinky.hex"))).toBe("ihex");
		expect(sniffFormat(fixture("blinky.dfu"))).toBe("dfuse");
		expect(sniffFormat(fixture("blinky.bin"))).toBe("bin");
		expect(sniffFormat(fixture("blinky-suffix.bin"))).toBe("dfu-suffixed-bin");
		expect(sniffFormat(fixture("blinky.srec"))).toBe("srec");
		expect(sniffFormat(uf2Block())).toBe("uf2");
		expect(sniffFormat(bytesOf("<!DOCTYPE html>\n<html>not firmware</html>\n"))).toBe("text");
		expect(sniffFormat(new Uint8Array(0))).toBe("empty");
		expect(sniffFormat(new Uint8Array(64).fill(0xab))).toBe("bin");
	});
});

describe("loadImage", () => {
	it("loads every real-shaped fixture to the same bytes at 0x08000000", async () => {
		const expected = fixture("blinky.bin");
		for (const name of ["blinky.elf", "blinky.hex", "blinky.dfu"]) {
			const image = await loadImage(fixturePath(name));
			expect(image.segments.map((s) => s.address)).toEqual([FLASH]);
			expect(image.segments[0]!.data).toEqual(expected);
		}
		const bin = await loadImage(fixturePath("blinky.bin"), { address: FLASH, raw: true });
		expect(bin.format).toBe("bin");
		expect(bin.segments[0]!.data).toEqual(expected);
	});

	it("strips a valid DFU suffix from a raw binary, saying so", () => {
		const image = loadImageBytes(fixture("blinky-suffix.bin"), "blinky-suffix.bin", {
			address: FLASH,
			raw: true,
		});
		expect(image.segments[0]!.data).toEqual(fixture("blinky.bin"));
		expect(image.suffix).toEqual({
			vendorId: 0x0483,
			productId: 0xdf11,
			bcdDevice: 0xffff,
			bcdDFU: 0x0100,
		});
		expect(image.warnings?.join()).toMatch(/DFU suffix \(bcdDFU 0x0100\).*stripped/);
	});

	it("keeps a trailing 'UFD' whose CRC does not match: it is data, as for dfu-util", () => {
		const bytes = fixture("blinky-suffix.bin").slice();
		bytes[bytes.length - 1] ^= 1;
		const image = parseBin(bytes, "x.bin", FLASH);
		expect(image.segments[0]!.data.length).toBe(bytes.length);
		expect(image.warnings).toBeUndefined();
	});

	it("recognises a .bin that is really a .dfu, HEX or ELF, and says so", () => {
		for (const [fixtureName, format] of [
			["blinky.dfu", "dfuse"],
			["blinky.hex", "ihex"],
			["blinky.elf", "elf"],
		] as const) {
			const image = loadImageBytes(fixture(fixtureName), "firmware.bin", { address: FLASH });
			expect(image.format).toBe(format);
			expect(image.segments[0]!.data).toEqual(fixture("blinky.bin"));
			expect(image.warnings?.join("\n")).toMatch(/named like a raw binary but is/);
			expect(image.warnings?.join("\n")).toMatch(/given address 0x08000000 is not used/);
		}
	});

	it("refuses a .dfu (or HEX, ELF) where raw bytes go to an address: its header would land in flash", () => {
		const error = thrown(() =>
			loadImageBytes(fixture("blinky.dfu"), "fw.bin", { address: FLASH, raw: true }),
		);
		expect(error).toBeInstanceOf(NotRawBinaryError);
		expect((error as NotRawBinaryError).message).toMatch(
			/is a DfuSe \(\.dfu\) file, not a raw binary.*header would land in flash/,
		);
		expect((error as NotRawBinaryError).hint).toMatch(/without -s/);
		expect(
			thrown(() => loadImageBytes(fixture("blinky.hex"), "fw.hex", { address: FLASH, raw: true })),
		).toBeInstanceOf(NotRawBinaryError);
		expect(
			thrown(() => loadImageBytes(fixture("blinky.elf"), "fw.elf", { address: FLASH, raw: true })),
		).toBeInstanceOf(NotRawBinaryError);
	});

	it("refuses UF2, S-records and text with what they are", () => {
		const uf2 = thrown(() => loadImageBytes(uf2Block(), "fw.uf2")) as UnsupportedImageError;
		expect(uf2).toBeInstanceOf(UnsupportedImageError);
		expect(uf2.detected).toBe("uf2");
		expect(uf2.message).toMatch(/UF2 file/);
		const srec = thrown(() =>
			loadImageBytes(fixture("blinky.srec"), "fw.bin", { address: FLASH }),
		) as UnsupportedImageError;
		expect(srec.detected).toBe("srec");
		expect(srec.hint).toMatch(/objcopy -I srec -O ihex/);
		const html = thrown(() =>
			loadImageBytes(bytesOf("<html>\n<body>404</body>\n"), "fw.bin", {
				address: FLASH,
				raw: true,
			}),
		);
		expect((html as UnsupportedImageError).detected).toBe("text");
	});

	it("asks for an address for a raw binary, and refuses a .hex that holds binary data", () => {
		const bare = thrown(() => loadImageBytes(fixture("blinky.bin"), "fw.bin"));
		expect(bare).toBeInstanceOf(LoadAddressRequiredError);
		// Each form of the address is offered where it works: -s to flash/inspect, FILE@ADDR to convert.
		expect((bare as LoadAddressRequiredError).hint).toMatch(
			/-s 0x08000000 \(flash, inspect, doctor\).*FILE@0x08000000 \(convert\)/,
		);
		const hex = thrown(() =>
			loadImageBytes(fixture("blinky.bin"), "fw.hex"),
		) as UnsupportedImageError;
		expect(hex).toBeInstanceOf(UnsupportedImageError);
		expect(hex.message).toMatch(/named like an Intel HEX file but its content is not/);
		expect(
			thrown(() => loadImageBytes(new Uint8Array(0), "empty.bin", { address: 0 })),
		).toBeInstanceOf(MalformedImageError);
	});

	it("treats a plain DFU 1.1 file (raw data + suffix) as a raw binary that needs an address", () => {
		const error = thrown(() =>
			loadImageBytes(fixture("blinky-suffix.bin"), "blinky.dfu"),
		) as LoadAddressRequiredError;
		expect(error).toBeInstanceOf(LoadAddressRequiredError);
		expect(error.hint).toMatch(/plain DFU file/);
		const image = loadImageBytes(fixture("blinky-suffix.bin"), "blinky.dfu", { address: FLASH });
		expect(image.segments[0]!.data).toEqual(fixture("blinky.bin"));
	});

	it("gives a hex file with a broken line its line number even when it is called .bin", () => {
		const broken = bytesOf(":020000040800F2\n:10000000ZZ\n:00000001FF\n");
		const error = thrown(() =>
			loadImageBytes(broken, "fw.bin", { address: FLASH }),
		) as MalformedImageError;
		expect(error.line).toBe(2);
	});

	it("names a file that cannot be read", async () => {
		const dir = mkdtempSync(join(tmpdir(), "bringup-image-"));
		await expect(loadImage(join(dir, "missing.bin"), { address: FLASH })).rejects.toThrow(
			/missing\.bin: no such file/,
		);
		await expect(loadImage(dir, { address: FLASH })).rejects.toBeInstanceOf(ImageReadError);
		writeFileSync(join(dir, "ok.bin"), Uint8Array.of(1, 2, 3, 4));
		const image = await loadImage(join(dir, "ok.bin"), { address: FLASH });
		expect(image.segments[0]!.data).toEqual(Uint8Array.of(1, 2, 3, 4));
	});

	it("rejects a binary that runs past the 32-bit address space", () => {
		expect(thrown(() => parseBin(new Uint8Array(16), "top.bin", 0xfffffff8))).toBeInstanceOf(
			MalformedImageError,
		);
	});
});
