import { describe, expect, it } from "vitest";
import {
	chipCore,
	chipFpu,
	chipMaxFlash,
	chipPeripheralAddress,
	chipRam,
	chipVectorCount,
	chipWriteSize,
} from "../../source/chips/catalog.js";
import { resolveGuess } from "../../source/chips/chip-for-guess.js";
import { resolveChip } from "../../source/chips/resolve-chip.js";
import { UnknownChipError } from "../../source/chips/unknown-chip-error.js";

const KB = 1024;

describe("resolveChip (--chip NAME)", () => {
	it("knows the parts the hand-written catalog lacked, with their own facts", async () => {
		const cases = [
			["STM32H723", "H7", "STM32H723"],
			["STM32L053", "L0", "STM32L053"],
			["stm32l432kc", "L4", "STM32L432KC"],
			["STM32H563", "H5", "STM32H563"],
			["F334", "F3", "STM32F334"],
			["STM32F410", "F4", "STM32F410"],
			["STM32H7A3", "H7", "STM32H7A3"],
		] as const;
		for (const [name, family, chipName] of cases) {
			const chip = await resolveChip(name);
			expect(chip.family.family, name).toBe(family);
			expect(chip.name, name).toBe(chipName);
			expect(chip.parts?.length, name).toBeGreaterThan(0);
		}
	});

	it("keeps the hand-written part and adds the generated parts its name stands for", async () => {
		const f407 = await resolveChip("f407");
		expect(f407.name).toBe("STM32F405/407");
		expect(f407.part?.name).toBe("STM32F405/407");
		expect(f407.parts?.every((p) => p.name.startsWith("STM32F407"))).toBe(true);
		const vg = await resolveChip("STM32F407VGT6");
		expect(vg.parts?.map((p) => p.name)).toEqual(["STM32F407VG"]);
		expect((await resolveChip("F4")).parts?.length).toBeGreaterThan(100);
	});

	it("answers the inspector's questions from the generated facts", async () => {
		const f407 = await resolveChip("STM32F407VG");
		// RM0090 §2.3.1: 112 KB SRAM1 + 16 KB SRAM2 from 0x20000000, 64 KB CCM at 0x10000000.
		expect(chipRam(f407).map((r) => [r.start, r.size, r.kind])).toEqual([
			[0x10000000, 64 * KB, "ccm"],
			[0x20000000, 112 * KB, "sram"],
			[0x2001c000, 16 * KB, "sram"],
		]);
		expect(chipVectorCount(f407)).toBe(98);
		expect(chipMaxFlash(f407)).toBe(1024 * KB);
		expect(chipFpu(f407)).toBe("single");
		expect(chipPeripheralAddress(f407, "RCC")).toBe(0x40023800);
		expect(chipWriteSize(await resolveChip("H743"))).toBe(32);
		expect(chipWriteSize(await resolveChip("G474"))).toBe(8);
		const h563 = await resolveChip("STM32H563ZI");
		expect(chipPeripheralAddress(h563, "RCC")).toBe(0x44020c00);
		expect(chipCore(h563)).toBe("Cortex-M33");
		expect(chipMaxFlash(h563)).toBe(2048 * KB);
		expect(chipFpu(await resolveChip("WL55"))).toBe("none");
	});

	it("an unknown name is an UnknownChipError naming the closest known names", async () => {
		const error = await resolveChip("STM32F499").catch((e: unknown) => e);
		expect(error).toBeInstanceOf(UnknownChipError);
		expect((error as UnknownChipError).closest).toContain("STM32F469");
		await expect(resolveChip("nRF52840")).rejects.toThrow(/unknown chip "nRF52840"/);
	});

	it("turns an identification by the generated index into chip facts", async () => {
		const chip = await resolveGuess({
			name: "STM32H723/733",
			family: "H7",
			confidence: "medium",
			evidence: [],
		});
		expect(chip?.parts?.every((p) => p.line === "STM32H723/733")).toBe(true);
		const h5 = await resolveGuess({
			name: "STM32H5",
			family: "H5",
			confidence: "medium",
			evidence: [],
		});
		expect(h5?.family.family).toBe("H5");
	});
});
