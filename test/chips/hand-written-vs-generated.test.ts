/**
 * The hand-written families (source/chips/families/) still serve the paths that run without
 * the generated data (naming a device in `list`, guessing an image's family). Every fact they
 * share with the data must agree with it; where the data has nothing, the hand-written fact
 * stays and is listed here with its source.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { allParts, chipByName, chipRam } from "../../source/chips/catalog.js";
import { loadChipData, type Stm32Data } from "../../source/chips/stm32-data.js";
import type { Stm32Part } from "../../source/chips/stm32-part.js";
import type { FamilyFacts, PartFacts } from "../../source/chips/types.js";

let data: Stm32Data;
beforeAll(async () => {
	data = await loadChipData();
});

/** RAM the reference manuals list that the generated data lacks. */
const NOT_IN_DATA = [
	"STM32F72x/73x ITCM RAM", // RM0431 §2.2.2: 16 KB ITCM RAM at 0x00000000
	"STM32F745/746/756 ITCM RAM", // RM0385 §2.2.2
	"STM32F765/767/769 ITCM RAM", // RM0410 §2.2.2
	"STM32L4R/L4S SRAM2", // RM0432 §2.2.2: SRAM2 also at 0x10000000
	"STM32U575/585 SRAM4", // RM0456 §2.3.2: SRAM4 at 0x28000000
];

function generatedFor(family: FamilyFacts, part: PartFacts): Stm32Part[] {
	const found = new Map<string, Stm32Part>();
	for (const alias of part.aliases)
		for (const p of data.select(alias)?.parts ?? [])
			if (p.family === family.family) found.set(p.name, p);
	return [...found.values()];
}

describe("hand-written chip facts against the generated data", () => {
	it("every hand-written part stands for parts in the data", () => {
		for (const { family, part } of allParts())
			expect(generatedFor(family, part).length, part.name).toBeGreaterThan(0);
	});

	it("vector counts, device IDs and flash sizes are among the data's for those parts", () => {
		for (const { family, part } of allParts()) {
			const parts = generatedFor(family, part);
			const counts = parts.map((p) => p.cores[0]?.vectorCount);
			expect(counts, `${part.name} vector count`).toContain(part.vectorCount);
			const ids = parts.map((p) => p.deviceId);
			for (const id of part.deviceIds) expect(ids, `${part.name} device ID`).toContain(id);
			const sizes = parts.map((p) => p.flashSize / 1024);
			for (const kb of part.flashSizesKb) expect(sizes, `${part.name} flash KB`).toContain(kb);
		}
	});

	it("peripheral base addresses are the data's", () => {
		for (const family of new Set(allParts().map((p) => p.family))) {
			const parts = data.select(family.family)?.parts ?? [];
			for (const fact of family.peripherals) {
				if (fact.name.includes("(secure)")) continue; // the data lists the non-secure alias
				// The data numbers single instances: F0's ADC is its ADC1.
				const names = [fact.name, `${fact.name}1`];
				const addresses = new Set(
					parts.flatMap((p) =>
						(p.cores[0]?.peripherals ?? [])
							.filter((x) => names.includes(x.name))
							.map((x) => x.address),
					),
				);
				expect([...addresses], `${family.family} ${fact.name}`).toContain(fact.address);
			}
		}
	});

	it("hand-written RAM lies in the data's RAM, apart from the listed gaps", () => {
		for (const { family, part } of allParts()) {
			const parts = generatedFor(family, part);
			for (const r of part.ram) {
				const inData = parts.some((p) => {
					let end = r.start;
					for (const g of p.memory.ram)
						if (g.start <= end && g.start + g.size > end) end = g.start + g.size;
					return end >= r.start + r.size;
				});
				const gap = NOT_IN_DATA.includes(`${part.name} ${r.name}`);
				expect(inData || gap, `${part.name} ${r.name}`).toBe(true);
				if (gap) expect(inData, `${part.name} ${r.name} is in the data now`).toBe(false);
			}
		}
	});

	it("a chip's RAM is the data's plus the hand-written regions the data lacks", () => {
		const f746 = chipRam(chipByName("STM32F746ZG")!);
		expect(f746.map((r) => [r.name, r.start])).toEqual([
			["ITCM RAM", 0x00000000],
			["DTCM", 0x20000000],
			["SRAM", 0x20010000],
		]);
		expect(f746[0]?.source).toMatch(/RM0385/);
		expect(f746[1]?.source).toMatch(/stm32-data-generated/);
	});
});
