import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import {
	type CorpusFigures,
	corpusFigures,
	type PairVerdict,
} from "../../source/bench/corpus-figures.js";
import { readCorpusManifest } from "../../source/bench/corpus-manifest.js";
import { loadChipData } from "../../source/chips/stm32-data.js";

const DIR = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));

function pairs(list: PairVerdict[]): string[] {
	return list.map(
		(p) => `${p.image.file} (${p.image.family}) on ${p.chip}: [${p.errors.join(", ")}]`,
	);
}

describe("the inspector on the real-firmware corpus (issue 9 targets)", () => {
	let f: CorpusFigures;
	beforeAll(async () => {
		// Every part's peripheral map and the families beyond the hand-written ones.
		await loadChipData();
		f = await corpusFigures(DIR, readCorpusManifest(DIR));
	}, 120_000);

	it("names the family of at least 97 % of the STM32 images without -s", () => {
		const missed = f.missedWithoutAddress.map(
			(v) => `${v.image.file} (${v.image.family}): ${v.error ?? v.named ?? "none"}`,
		);
		expect(f.namedWithoutAddress.length / f.stm32, missed.join("\n")).toBeGreaterThanOrEqual(0.97);
	});

	it("calls every non-STM32 image not-STM32", () => {
		expect(
			f.nonStm32Missed.map((v) => `${v.image.file} (${v.image.part}): ${v.error ?? v.named}`),
		).toEqual([]);
		expect(f.calledNotStm32.length).toBe(f.nonStm32);
	});

	it("lets no image through on a chip of another family", () => {
		expect(pairs(f.wrongFamilyPasses)).toEqual([]);
	});

	it("blocks no image on a chip of its own family for its family", () => {
		expect(pairs(f.sameFamilyFamilyBlocks)).toEqual([]);
	});

	it("checks the whole matrix: every image against at least 15 families", () => {
		expect(f.chips.length).toBeGreaterThanOrEqual(15);
		expect(f.pairs).toBe(f.images * f.chips.length);
	});
});
