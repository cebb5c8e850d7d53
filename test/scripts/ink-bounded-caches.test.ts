import { readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
// @ts-expect-error: a build script, plain JavaScript
import { boundInkCache, LIMIT } from "../../scripts/ink-bounded-caches.mjs";

const inkBuild = dirname(createRequire(import.meta.url).resolve("ink"));
const written: string[] = [];

/** Ink's own module, as the bundle carries it, loaded beside the original so its imports resolve. */
async function load(name: string, bounded: boolean) {
	const text = await readFile(join(inkBuild, name), "utf8");
	const file = join(
		inkBuild,
		`.${bounded ? "bounded" : "original"}-${process.pid}-${name.replace(".js", ".mjs")}`,
	);
	await writeFile(file, bounded ? boundInkCache(name, text) : text);
	written.push(file);
	return (await import(pathToFileURL(file).href)).default;
}

afterAll(async () => {
	for (const file of written) await rm(file, { force: true });
});

describe("Ink's text caches in the bundle", () => {
	it("measureText forgets after LIMIT distinct texts (Ink's own keeps every one)", async () => {
		for (const bounded of [false, true]) {
			const measureText = await load("measure-text.js", bounded);
			const first = measureText("progress 0 %");
			for (let i = 0; i < LIMIT + 10; i++) measureText(`progress ${i + 1} of many`);
			// A cached measurement comes back as the same object; a forgotten one is measured again.
			expect(measureText("progress 0 %") === first).toBe(!bounded);
			expect(measureText("progress 0 %")).toEqual(first);
		}
	});

	it("wrapText, bounded, wraps every text as Ink's own does, past the bound", async () => {
		const original = await load("wrap-text.js", false);
		const bounded = await load("wrap-text.js", true);
		const texts = Array.from(
			{ length: LIMIT * 2 + 3 },
			(_, i) => `block ${i} of ${i * 7} written at ${i % 13}`,
		);
		for (const width of [8, 13])
			for (const text of [...texts, ...texts.slice(0, 50)])
				expect(bounded(text, width, "wrap")).toBe(original(text, width, "wrap"));
	});

	it("refuses an Ink whose cache code has changed shape, rather than bundle it unbounded", () => {
		expect(() => boundInkCache("measure-text.js", "const cache = new Map();")).toThrow(/changed/);
	});
});
