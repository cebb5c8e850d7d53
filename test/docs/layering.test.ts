import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The import rules of docs/architecture.md, checked on every file under source/: each top-level
 * folder (or file) may import only the ones listed for it. Entry points (commands, bench) sit on
 * top; the store, the clock, the error base and the formatters at the bottom.
 */
const ALLOWED: Record<string, readonly string[]> = {
	commands: [
		"ui",
		"app",
		"usbip",
		"sim",
		"doctor",
		"dfu",
		"usb",
		"image",
		"chips",
		"store",
		"config",
		"base",
	],
	bench: ["ui", "app", "sim", "doctor", "dfu", "usb", "image", "chips", "store", "base"],
	ui: ["app", "doctor", "dfu", "usb", "image", "chips", "store", "base"],
	app: ["sim", "doctor", "dfu", "usb", "image", "chips", "store", "base"],
	usbip: ["sim", "base"],
	doctor: ["dfu", "usb", "image", "chips", "store", "base"],
	usb: ["dfu", "chips", "store", "base"],
	chips: ["dfu", "store", "base"],
	dfu: ["image", "store", "base"],
	image: ["base"],
	sim: ["chips", "base"],
	store: ["base"],
	config: ["base"],
	base: [],
};

const SOURCE = resolve(import.meta.dirname, "..", "..", "source");

function* sourceFiles(dir: string): Generator<string> {
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) yield* sourceFiles(path);
		else if (/\.tsx?$/.test(entry.name)) yield path;
	}
}

/** source/clock.ts, source/errors.ts, source/format.ts and the like form the base layer. */
function layerOf(file: string): string {
	const [top, ...rest] = relative(SOURCE, file).split("/");
	return rest.length === 0 ? "base" : (top as string);
}

function imports(file: string): string[] {
	const text = readFileSync(file, "utf8");
	return [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) =>
		resolve(dirname(file), m[1] as string),
	);
}

describe("layering", () => {
	const files = [...sourceFiles(SOURCE)];

	it("knows every folder under source/", () => {
		const unknown = [...new Set(files.map(layerOf))].filter((layer) => !(layer in ALLOWED));
		expect(unknown).toEqual([]);
	});

	it("no import points against the documented direction", () => {
		const wrong: string[] = [];
		for (const file of files) {
			const from = layerOf(file);
			for (const target of imports(file)) {
				const to = layerOf(target);
				if (to !== from && !ALLOWED[from]?.includes(to))
					wrong.push(
						`${relative(SOURCE, file)} (${from}) imports ${relative(SOURCE, target)} (${to})`,
					);
			}
		}
		expect(wrong).toEqual([]);
	});
});
