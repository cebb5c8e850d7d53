import { describe, expect, it } from "vitest";
import { chipOf, familyByName } from "../../source/chips/catalog.js";
import { resolveChip } from "../../source/chips/resolve-chip.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { DEFAULT_WRITE_UNIT, flashWriteUnit } from "../../source/chips/write-unit.js";

describe("flash write unit", () => {
	it("is the generated data's write size when the chip carries its parts", async () => {
		expect(flashWriteUnit(await resolveChip("STM32H743ZI"))).toBe(32);
		expect(flashWriteUnit(await resolveChip("G474"))).toBe(8);
		expect(flashWriteUnit(await resolveChip("STM32H7S3L8"))).toBe(16);
		expect(flashWriteUnit(await resolveChip("STM32H563ZI"))).toBe(16);
		expect(flashWriteUnit(await resolveChip("F407"))).toBe(4);
	});

	it("is the widest of a family's parts for a bare family, and 4 without a chip", async () => {
		await loadChipData();
		expect(flashWriteUnit(chipOf(familyByName("H7")!))).toBe(32);
		expect(flashWriteUnit(chipOf(familyByName("F7")!))).toBe(16);
		expect(flashWriteUnit(undefined)).toBe(DEFAULT_WRITE_UNIT);
	});
});
