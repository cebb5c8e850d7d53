import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { convert } from "../../source/image/convert.js";
import { writeDfuse } from "../../source/image/dfuse-file.js";
import type { Image } from "../../source/image/image.js";
import { fixture } from "./fixtures.js";

/**
 * Files we write, checked by dfu-util's own tools (Debian package dfu-util: dfu-suffix,
 * dfuse-pack). Skipped only where those tools are not installed.
 */
function installed(tool: string): boolean {
	return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

const image: Image = {
	format: "bin",
	source: "t",
	segments: [
		{ address: 0x08000000, data: fixture("blinky.bin"), alt: 0, name: "Internal Flash" },
		{ address: 0x08020000, data: fixture("config.bin"), alt: 0, name: "Internal Flash" },
		{
			address: 0x1fffc000,
			data: Uint8Array.of(0xaa, 0xcd, 0x55, 0x32),
			alt: 1,
			name: "Option Bytes",
		},
	],
};

function writeTemp(name: string, bytes: Uint8Array): string {
	const dir = mkdtempSync(join(tmpdir(), "bringup-dfu-"));
	const path = join(dir, name);
	writeFileSync(path, bytes);
	return path;
}

describe.skipIf(!installed("dfu-suffix"))("dfu-suffix accepts what we write", () => {
	it("checks the suffix and CRC of a written .dfu", () => {
		const path = writeTemp(
			"out.dfu",
			writeDfuse(image, { vendorId: 0x0483, productId: 0xdf11, bcdDevice: 0x2200 }),
		);
		const out = execFileSync("dfu-suffix", ["-c", path], { encoding: "utf8" });
		expect(out).toMatch(/contains a DFU suffix/);
		expect(out).toMatch(/Product ID:\s+0xDF11/);
		expect(out).toMatch(/Vendor ID:\s+0x0483/);
		expect(out).toMatch(/BCD DFU:\s+0x011A/);
	});

	it("checks a .dfu made by convert from HEX", () => {
		const result = convert([{ bytes: fixture("blinky.hex"), name: "blinky.hex" }], {
			output: "blinky.dfu",
		});
		const path = writeTemp("blinky.dfu", result.bytes);
		expect(spawnSync("dfu-suffix", ["-c", path]).status).toBe(0);
	});
});

describe.skipIf(!installed("dfuse-pack"))("dfuse-pack reads what we write", () => {
	it("dumps the same targets and elements", () => {
		const path = writeTemp("out.dfu", writeDfuse(image));
		const out = execFileSync("dfuse-pack", ["-d", path], { encoding: "utf8" });
		expect(out).toMatch(/targets: 2/);
		expect(out).toMatch(/alt setting: 0, name: "b'Internal Flash'", size: 216, elements: 2/);
		expect(out).toMatch(/alt setting: 1, name: "b'Option Bytes'", size: 12, elements: 1/);
		expect(new Uint8Array(readFileSync(`${path}.target0.image0.bin`))).toEqual(
			fixture("blinky.bin"),
		);
		expect(new Uint8Array(readFileSync(`${path}.target0.image1.bin`))).toEqual(
			fixture("config.bin"),
		);
		expect(out).toMatch(/usb: 0483:df11, device: 0xffff, dfu: 0x011a, b'UFD', 16/);
	});
});
