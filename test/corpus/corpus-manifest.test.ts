import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { familyGroup, readCorpusManifest } from "../../source/bench/corpus-manifest.js";

const DIR = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const manifest = readCorpusManifest(DIR);
const images = manifest.images;

function filesUnder(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [relative(DIR, path)];
	});
}

describe("real-firmware corpus manifest", () => {
	it("lists every image file once, and every listed file exists with its recorded size and hash", () => {
		const listed = images.map((i) => i.file);
		expect(new Set(listed).size).toBe(listed.length);
		expect(filesUnder(join(DIR, "images")).sort()).toEqual([...listed].sort());
		for (const image of images) {
			const bytes = readFileSync(join(DIR, image.file));
			expect(bytes.length, image.file).toBe(image.bytes);
			expect(createHash("sha256").update(bytes).digest("hex"), image.file).toBe(image.sha256);
		}
	});

	it("records where each image comes from: repository, full commit, path, licence, evidence", () => {
		for (const image of images) {
			expect(image.repository, image.file).toMatch(/^[\w.-]+\/[\w.-]+$/);
			expect(image.commit, image.file).toMatch(/^[0-9a-f]{40}$/);
			expect(image.path.split("/").at(-1)!.toLowerCase(), image.file).toMatch(
				new RegExp(`\\.${image.format}$`),
			);
			expect(image.licence.length, image.file).toBeGreaterThan(2);
			expect(image.evidence.length, image.file).toBeGreaterThan(10);
		}
	});

	it("gives every STM32 raw binary the address its project links it at", () => {
		for (const image of images.filter((i) => i.stm32 && i.format === "bin")) {
			expect(image.address, image.file).toMatch(/^0x[0-9A-Fa-f]{8}$/);
		}
	});

	it("meets the issue's minimums: 80 images, 20 projects, 14 STM32 lines, 8 other parts, 4 formats, under 15 MB", () => {
		const stm32 = images.filter((i) => i.stm32);
		expect(images.length).toBeGreaterThanOrEqual(80);
		expect(new Set(images.map((i) => i.repository)).size).toBeGreaterThanOrEqual(20);
		expect(new Set(stm32.map((i) => familyGroup(i.family))).size).toBeGreaterThanOrEqual(14);
		expect(new Set(stm32.map((i) => i.line)).size).toBeGreaterThanOrEqual(14);
		expect(new Set(images.filter((i) => !i.stm32).map((i) => i.part)).size).toBeGreaterThanOrEqual(
			8,
		);
		expect(new Set(images.map((i) => i.format))).toEqual(new Set(["bin", "hex", "elf", "dfu"]));
		expect(images.reduce((sum, i) => sum + i.bytes, 0)).toBeLessThan(15 * 1000 * 1000);
	});

	it("names STM32 parts as STM32 and other parts as not", () => {
		for (const image of images) {
			expect(image.part.startsWith("STM32"), image.file).toBe(image.stm32);
		}
	});
});
