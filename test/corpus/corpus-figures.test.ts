import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { corpusFigures, matrixChips } from "../../source/bench/corpus-figures.js";
import { familyGroup, readCorpusManifest } from "../../source/bench/corpus-manifest.js";

const DIR = fileURLToPath(new URL("../fixtures/corpus/", import.meta.url));
const manifest = readCorpusManifest(DIR);

describe("corpus figures", () => {
	it("takes one chip of each family for the cross matrix, each of the family it stands for", () => {
		const chips = matrixChips();
		const families = chips.map((c) => familyGroup(c.family));
		expect(new Set(families).size).toBe(chips.length);
		for (const f of ["F0", "F1", "F2", "F3", "F4", "F7", "G0", "G4", "H7", "L0", "L1", "L4"]) {
			expect(families).toContain(f);
		}
	});

	it("judges every image against every chip and sorts each pair into one verdict", async () => {
		const riscv = manifest.images.find((i) => i.format === "elf" && i.part === "CH32V307VC")!;
		const l4plus = manifest.images.find((i) => i.family === "L4+")!;
		const chips = matrixChips().filter((c) => ["F4", "L4"].includes(c.family));
		const f = await corpusFigures(DIR, { ...manifest, images: [riscv, l4plus] }, chips);

		expect(f.pairs).toBe(4);
		expect(f.stm32).toBe(1);
		expect(f.namedWithoutAddress.length + f.missedWithoutAddress.length).toBe(1);
		// An ELF for another architecture is refused by name: not-STM32, and blocked on every chip.
		expect(f.calledNotStm32.map((v) => v.image)).toEqual([riscv]);
		expect(f.wrongFamilyPasses.filter((p) => p.image === riscv)).toEqual([]);
		// An L4+ part on the L4 chip is the same family, never a wrong-family pair.
		expect(f.wrongFamilyPasses.filter((p) => p.image === l4plus && p.chipFamily === "L4")).toEqual(
			[],
		);
		const sameFamily = [...f.sameFamilyFamilyBlocks, ...f.sameFamilyOtherBlocks];
		expect(sameFamily.every((p) => p.image === l4plus && p.chipFamily === "L4")).toBe(true);
	});
});
