import { describe, expect, it } from "vitest";
import {
	bootloaderIdAddress,
	chipByName,
	chipNames,
	chipRam,
	FAMILIES,
} from "../../source/chips/catalog.js";
import { deviceInfoAddresses } from "../../source/chips/device-info.js";

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

	it("gives every fact a source", () => {
		for (const f of FAMILIES) {
			expect(f.flash.source, f.family).not.toBe("");
			for (const fact of [...f.peripherals, ...f.registers])
				expect(fact.source, `${f.family} ${fact.name}`).toMatch(/\S/);
			for (const p of f.parts) {
				expect(p.source, p.name).toMatch(/\S/);
				for (const r of p.ram) expect(r.source, `${p.name} ${r.name}`).toMatch(/\S/);
			}
			for (const name of ["RCC", "GPIOA", "GPIOB", "GPIOC", "FLASH"]) {
				expect(
					f.peripherals.some((p) => p.name === name),
					`${f.family} ${name}`,
				).toBe(true);
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

	it("knows where every family keeps its flash-size word and unique ID", () => {
		for (const f of FAMILIES)
			expect(deviceInfoAddresses(f.family)?.flashSize.address, f.family).toBeGreaterThan(0);
		expect(deviceInfoAddresses("F4")?.flashSize.address).toBe(0x1fff7a22);
		expect(deviceInfoAddresses("H7")?.uniqueId.address).toBe(0x1ff1e800);
	});

	it("knows where the bootloader ID byte is (F40x/41x differ from the later F4 parts)", () => {
		expect(bootloaderIdAddress(chipByName("F407")!)).toBe(0x1fff77de);
		expect(bootloaderIdAddress(chipByName("F411")!)).toBe(0x1fff76de);
		expect(bootloaderIdAddress(chipByName("H743")!)).toBe(0x1ff1e7fe);
	});

	it("knows F4 CCM and H7 AXI SRAM as RAM", () => {
		const f407 = chipRam(chipByName("F407")!);
		expect(f407.find((r) => r.kind === "ccm")?.start).toBe(0x10000000);
		const h7 = chipRam(chipByName("H7")!);
		expect(h7.map((r) => r.start)).toContain(0x24000000);
	});
});
