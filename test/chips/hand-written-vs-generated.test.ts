/**
 * The hand-written families (source/chips/families/) hold only what the generated chip data
 * does not: the ROM loader's facts (layout strings, bootloader IDs, bcdDevice, option bytes)
 * and the few RAM regions the data lacks. They name the dies they are for; every fact they
 * share with the data (a die, a flash layout the loader reports) must agree with it.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { allParts, chipByName, chipRam, FAMILIES } from "../../source/chips/catalog.js";
import { layoutSignature, readLayout } from "../../source/chips/layout-signature.js";
import { loadChipData, type Stm32Data } from "../../source/chips/stm32-data.js";
import { dieFacts } from "../../source/chips/stm32-dies.js";
import type { Stm32Part } from "../../source/chips/stm32-part.js";
import type { FamilyFacts, PartFacts } from "../../source/chips/types.js";

let data: Stm32Data;
beforeAll(async () => {
	data = await loadChipData();
});

function partsOfDies(family: FamilyFacts, part: PartFacts): Stm32Part[] {
	return part.deviceIds.flatMap((id) =>
		data.byDeviceId(id).filter((p) => p.family === family.family),
	);
}

/** "0x08000000:4x16384,1x65536,7x131072" for a part's main flash, as layout-signature.ts writes it. */
function flashSignatures(part: Stm32Part): string[] {
	return part.memories.map((m) => {
		const text = `@Flash/0x${m.flash[0]!.start.toString(16)}/${m.flash
			.map((r) => `${r.size / r.eraseSize}*${r.eraseSize}Bg`)
			.join(",")}`;
		return layoutSignature(readLayout(text)!);
	});
}

describe("hand-written chip facts against the generated data", () => {
	it("every hand-written family is a family of the data", () => {
		for (const f of FAMILIES) expect(data.families, f.family).toContain(f.family);
	});

	it("every hand-written part names dies of its family, and its aliases select parts of them", () => {
		for (const { family, part } of allParts()) {
			const parts = partsOfDies(family, part);
			for (const id of part.deviceIds)
				expect(
					parts.some((p) => p.deviceId === id),
					`${part.name} device ID 0x${id.toString(16)}`,
				).toBe(true);
			const names = new Set(parts.map((p) => p.name));
			// An alias may reach beyond: "F030" also selects the F030CC, which sits on the F09x die.
			for (const alias of part.aliases) {
				const selected = data.select(alias)?.parts ?? [];
				expect(
					selected.some((p) => names.has(p.name)),
					`${part.name} alias ${alias}`,
				).toBe(true);
			}
		}
	});

	it("the die summary that `list` reads agrees with the full data", () => {
		for (const { family, part } of allParts())
			for (const id of part.deviceIds) {
				const die = dieFacts(family.family, id)!;
				const parts = partsOfDies(family, part).filter((p) => p.deviceId === id);
				expect(die.flashKb, part.name).toEqual(
					[...new Set(parts.map((p) => p.flashSize / 1024))].sort((a, b) => a - b),
				);
				expect(die.flash).toBe(0x08000000);
			}
	});

	it("every flash layout string a loader reports is the flash of one of its dies' parts", () => {
		for (const { family, part } of allParts()) {
			const known = new Set(partsOfDies(family, part).flatMap(flashSignatures));
			for (const text of part.layouts?.flash ?? []) {
				const parsed = readLayout(text);
				expect(parsed, text).toBeDefined();
				expect(known.has(layoutSignature(parsed!)), `${part.name}: ${text}`).toBe(true);
			}
		}
	});

	it("the RAM written by hand is RAM the data lacks", () => {
		const extra = allParts().flatMap(({ family, part }) =>
			(part.ramNotInData ?? []).map((r) => ({ family, part, r })),
		);
		expect(extra.map(({ part, r }) => `${part.name} ${r.name}`).sort()).toEqual([
			"STM32F72x/73x ITCM RAM",
			"STM32F745/746/756 ITCM RAM",
			"STM32F765/767/769 ITCM RAM",
			"STM32L4R/L4S SRAM2",
			"STM32U575/585 SRAM4",
		]);
		for (const { family, part, r } of extra)
			for (const p of partsOfDies(family, part))
				for (const g of p.memories.flatMap((m) => m.ram))
					expect(
						g.start < r.start + r.size && r.start < g.start + g.size,
						`${p.name} ${g.name} covers ${r.name} now`,
					).toBe(false);
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
