import { describe, expect, it } from "vitest";
import {
	bootloaderIdAddress,
	chipByName,
	chipCore,
	chipFlashBase,
	chipFpu,
	chipMaxFlash,
	chipNames,
	chipPeripheralAddress,
	chipRam,
	chipVectorCount,
	FAMILIES,
} from "../../source/chips/catalog.js";
import { chipParts } from "../../source/chips/generated-facts.js";
import { loadChipData } from "../../source/chips/stm32-data.js";

describe("chip catalog", () => {
	it("covers every family the tool supports", () => {
		expect(FAMILIES.map((f) => f.family).sort()).toEqual(
			[
				"C0",
				"F0",
				"F1",
				"F2",
				"F3",
				"F4",
				"F7",
				"G0",
				"G4",
				"H7",
				"L0",
				"L1",
				"L4",
				"L4+",
				"L5",
				"U5",
				"WB",
				"WL",
			].sort(),
		);
	});

	it("gives every hand-written fact a source", () => {
		for (const f of FAMILIES) {
			expect(f.bootloader.source, f.family).toMatch(/\S/);
			if (f.optionBytes) expect(f.optionBytes.source, f.family).toMatch(/\S/);
			for (const p of f.parts) {
				expect(p.source, p.name).toMatch(/\S/);
				for (const r of p.ramNotInData ?? [])
					expect(r.source, `${p.name} ${r.name}`).toMatch(/RM\d{4}.* §\d/);
			}
		}
	});

	it("resolves --chip names in the forms people type", () => {
		expect(chipByName("STM32F407")?.name).toBe("STM32F405/407");
		expect(chipByName("f407")?.name).toBe("STM32F405/407");
		expect(chipByName("STM32F407VGT6")?.name).toBe("STM32F405/407");
		expect(chipByName("F4")).toMatchObject({ name: "STM32F4", part: undefined });
		expect(chipByName("l4+")?.family.family).toBe("L4+");
		expect(chipByName("F103C8")?.part?.name).toBe("STM32F101/102/103 medium density");
		expect(chipByName("H743")?.family.family).toBe("H7");
		expect(chipByName("nRF52840")).toBeUndefined();
		for (const name of chipNames()) expect(chipByName(name), name).toBeDefined();
		expect(chipByName("STM32F405/407 or STM32F412")).toMatchObject({
			name: "STM32F4",
			part: undefined,
		});
		expect(chipByName("STM32F405/407 or STM32F205/207")).toBeUndefined();
	});

	it("knows where the bootloader ID byte is (F40x/41x differ from the later F4 parts)", () => {
		expect(bootloaderIdAddress(chipByName("F407")!)).toBe(0x1fff77de);
		expect(bootloaderIdAddress(chipByName("F411")!)).toBe(0x1fff76de);
		expect(bootloaderIdAddress(chipByName("H743")!)).toBe(0x1ff1e7fe);
	});

	it("takes a chip's memory map, core and peripherals from the generated data", async () => {
		await loadChipData();
		const f407 = chipByName("STM32F405/407")!;
		// Without a name the data selects, the part's dies stand for it: F405, F407, F415, F417.
		expect(new Set(chipParts(f407).map((p) => p.line))).toEqual(
			new Set(["STM32F405/415", "STM32F407/417"]),
		);
		expect(chipCore(f407)).toBe("Cortex-M4");
		expect(chipFpu(f407)).toBe("single");
		expect(chipVectorCount(f407)).toBe(98);
		expect(chipFlashBase(f407)).toBe(0x08000000);
		expect(chipMaxFlash(f407)).toBe(1024 * 1024);
		expect(chipPeripheralAddress(f407, "RCC")).toBe(0x40023800);
		expect(chipPeripheralAddress(chipByName("WB55")!, "RCC")).toBe(0x58000000);
		const f767 = chipByName("F767")!;
		expect(chipCore(f767)).toBe("Cortex-M7");
		expect(chipFpu(f767)).toBe("double");
		expect(chipFpu(chipByName("F746")!)).toBe("single");
		expect(chipFpu(chipByName("F103")!)).toBe("none");
	});

	it("knows F4 CCM and H7 AXI SRAM as RAM", async () => {
		await loadChipData();
		const f407 = chipRam(chipByName("F407")!);
		expect(f407.find((r) => r.kind === "ccm")?.start).toBe(0x10000000);
		const h7 = chipRam(chipByName("H7")!);
		expect(h7.map((r) => r.start)).toContain(0x24000000);
	});
});
