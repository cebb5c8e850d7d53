import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { exactSize, formatBytes, hex, hex4, kib, vidPid } from "../source/format.js";

const SOURCE = resolve(import.meta.dirname, "..", "source");

function* files(dir: string): Generator<string> {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) yield* files(path);
		else if (/\.tsx?$/.test(entry.name)) yield path;
	}
}

describe("format", () => {
	it("prints addresses, USB ids and sizes one way", () => {
		expect(hex(0x8000000)).toBe("0x08000000");
		expect(hex(0x55, 2)).toBe("0x55");
		expect(hex4(0x483)).toBe("0483");
		expect(vidPid(0x0483, 0xdf11)).toBe("0483:df11");
		expect(vidPid({ vendorId: 0x1209, productId: 1 })).toBe("1209:0001");
		expect([formatBytes(512), formatBytes(1536), formatBytes(300 * 1024)]).toEqual([
			"512 B",
			"1.5 KiB",
			"300 KiB",
		]);
		expect([kib(512), kib(1536), kib(2 * 1024 * 1024)]).toEqual(["512 B", "1.5 KiB", "2048 KiB"]);
		expect([exactSize(48), exactSize(16 * 1024), exactSize(2 * 1024 * 1024)]).toEqual([
			"48 B",
			"16 KiB",
			"2 MiB",
		]);
	});

	it("is the only place a VID:PID is put together (the simulator keeps its own, as hardware)", () => {
		const copies = [...files(SOURCE)]
			.map((f) => relative(SOURCE, f))
			.filter((f) => f !== "format.ts" && !f.startsWith("sim/"))
			.filter((f) =>
				/vendorId\??\.toString\(16\)\.padStart\(4/.test(readFileSync(join(SOURCE, f), "utf8")),
			);
		expect(copies).toEqual([]);
	});
});
