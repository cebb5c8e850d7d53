import { beforeAll, describe, expect, it } from "vitest";
import { chipData, loadChipData, type Stm32Data } from "../../source/chips/stm32-data.js";
import { peripheralAt } from "../../source/chips/stm32-part.js";
import { UnknownChipError } from "../../source/chips/unknown-chip-error.js";

const KB = 1024;
let data: Stm32Data;
beforeAll(async () => {
	data = await loadChipData();
});

function part(name: string) {
	const p = data.part(name);
	if (!p) throw new Error(`${name} missing from the chip data`);
	return p;
}

describe("generated STM32 data", () => {
	it("records where it comes from", () => {
		expect(data.source).toEqual({
			repository: "https://github.com/embassy-rs/stm32-data-generated",
			commit: "f115ed4f83dcb29c9c1f2ba0d1b534e31c74c406",
			licence: "MIT OR Apache-2.0",
		});
		expect(chipData()).toBe(data);
	});

	it("has every part of the microcontroller families, application processors left out", () => {
		expect(data.parts.length).toBeGreaterThan(1500);
		expect(data.families).toEqual(
			expect.arrayContaining(["C0", "F0", "F1", "F4", "F7", "G4", "H5", "H7", "L0", "L4+", "U5"]),
		);
		expect(data.families).not.toContain("MP1");
	});

	it("F407VG: SRAM1 112 KB + SRAM2 16 KB from 0x20000000 and 64 KB CCM (RM0090 §2.3.1)", () => {
		const f407 = part("STM32F407VG");
		expect(f407.memory.ram).toEqual([
			{ name: "CCMRAM", start: 0x10000000, size: 64 * KB },
			{ name: "SRAM", start: 0x20000000, size: 112 * KB },
			{ name: "SRAM2", start: 0x2001c000, size: 16 * KB },
		]);
		// RM0090 §3.3 Table 5: sectors 0-3 of 16 KB, 4 of 64 KB, 5-11 of 128 KB.
		expect(f407.memory.flash.map((r) => [r.start, r.size / r.eraseSize, r.eraseSize])).toEqual([
			[0x08000000, 4, 16 * KB],
			[0x08010000, 1, 64 * KB],
			[0x08020000, 7, 128 * KB],
		]);
		expect(f407.flashSize).toBe(1024 * KB);
		// RM0090 §38.6.1: DEV_ID 0x413.
		expect(f407.deviceId).toBe(0x413);
		expect(f407.die).toBe("DIE413");
	});

	it("F407: 82 IRQs (RM0090 Table 61, positions 0-81) make 98 vectors; Cortex-M4 with FPU", () => {
		const [core] = part("STM32F407VG").cores;
		expect(core).toMatchObject({
			id: "cm4",
			core: "Cortex-M4",
			fpu: "single",
			cache: false,
			thumb2: true,
			vectorCount: 98,
		});
		expect(core?.interrupts.find((i) => i.number === 81)?.name).toBe("FPU");
		expect(core?.peripherals.find((p) => p.name === "RCC")?.address).toBe(0x40023800);
		expect(core?.peripherals.find((p) => p.name === "GPIOA")?.address).toBe(0x40020000);
	});

	it("F407: how far each register block reaches (RM0090 register maps)", () => {
		const size = (name: string) =>
			part("STM32F407VG").cores[0]?.peripherals.find((p) => p.name === name)?.size;
		expect(size("GPIOA")).toBe(0x28); // §8.4.11: GPIOx_AFRH at 0x24
		expect(size("USART1")).toBe(0x1c); // §30.6.8: USART_GTPR at 0x18
		expect(size("FLASH")).toBe(0x18); // §3.9.7: FLASH_OPTCR at 0x14
		expect(size("DMA2")).toBe(0xd0); // §10.5.11: eight streams of 0x18 from 0x10
	});

	it("flash write units: H743 a 256-bit flash word (RM0433 §4.3.9), G474 a double word (RM0440 §5.3.7)", () => {
		expect(part("STM32H743ZI").writeSize).toBe(32);
		expect(part("STM32G474RE").writeSize).toBe(8);
		expect(part("STM32L476RG").writeSize).toBe(8);
	});

	it("H743ZI: two banks of 8 x 128 KB sectors; DTCM, AXI SRAM (RM0433 §2.3.2)", () => {
		const h743 = part("STM32H743ZI");
		expect(h743.memory.flash.map((r) => [r.start, r.size, r.eraseSize])).toEqual([
			[0x08000000, 1024 * KB, 128 * KB],
			[0x08100000, 1024 * KB, 128 * KB],
		]);
		expect(h743.memory.ram).toEqual(
			expect.arrayContaining([
				{ name: "DTCM", start: 0x20000000, size: 128 * KB },
				{ name: "AXISRAM", start: 0x24000000, size: 512 * KB },
			]),
		);
		expect(h743.cores[0]).toMatchObject({ core: "Cortex-M7", fpu: "double", cache: true });
	});

	it("knows the cores: M0 without Thumb-2, F746 single-precision, WL55 M4 without FPU plus M0+", () => {
		expect(part("STM32F072RB").cores[0]).toMatchObject({ core: "Cortex-M0", thumb2: false });
		expect(part("STM32G071RB").cores[0]).toMatchObject({ core: "Cortex-M0+", fpu: "none" });
		expect(part("STM32F746ZG").cores[0]).toMatchObject({ fpu: "single", cache: true });
		expect(part("STM32F767ZI").cores[0]).toMatchObject({ fpu: "double" });
		expect(part("STM32WL55JC").cores.map((c) => [c.core, c.fpu])).toEqual([
			["Cortex-M4", "none"],
			["Cortex-M0+", "none"],
		]);
		expect(part("STM32H745ZI").cores.map((c) => c.core)).toEqual(["Cortex-M7", "Cortex-M4"]);
		expect(part("STM32H563ZI").cores[0]).toMatchObject({ core: "Cortex-M33", fpu: "single" });
	});

	it("L053: flash erases to 0 and has 2 KB data EEPROM at 0x08080000 (RM0367 §3.3)", () => {
		const l053 = part("STM32L053R8");
		expect(l053.memory.flash[0]?.erasedValue).toBe(0);
		expect(l053.memory.eeprom).toEqual([{ name: "EEPROM", start: 0x08080000, size: 2 * KB }]);
	});

	it("leaves external memory windows out of RAM (H5 FMC/OCTOSPI/SDRAM banks)", () => {
		const names = part("STM32H563ZI").memory.ram.map((r) => r.name);
		expect(names).toContain("SRAM1");
		expect(names.some((n) => /FMC|SDRAM|OCTOSPI/.test(n))).toBe(false);
	});

	it("a part lacks what its package or variant lacks (F405 has no CRYP, F415 has)", () => {
		const names = (n: string) => part(n).cores[0]?.peripherals.map((p) => p.name) ?? [];
		expect(names("STM32F405RG")).not.toContain("CRYP");
		expect(names("STM32F415RG")).toContain("CRYP");
	});
});

describe("STM32 names", () => {
	it("finds a part by its name, an order code or a package name, in any case", () => {
		for (const name of ["STM32F407VG", "stm32f407vg", "F407VG", "STM32F407VGT6", "STM32F407VGTx"])
			expect(data.part(name)?.name, name).toBe("STM32F407VG");
		expect(data.part("STM32L151C6-A")?.name).toBe("STM32L151C6-A");
		expect(data.part("H743XI")?.name).toBe("STM32H743XI");
	});

	it("a line name selects every part of it, a family name the family", () => {
		const f407 = data.resolve("f407");
		expect(f407).toMatchObject({ kind: "line", name: "STM32F407", family: "F4" });
		expect(f407.parts.map((p) => p.name)).toContain("STM32F407VG");
		expect(f407.parts.every((p) => p.name.startsWith("STM32F407"))).toBe(true);
		expect(data.resolve("STM32F4")).toMatchObject({ kind: "family", family: "F4" });
		expect(data.resolve("l4+").parts.every((p) => p.family === "L4+")).toBe(true);
		expect(data.resolve("F401xC").parts.map((p) => p.name)).toEqual([
			"STM32F401CC",
			"STM32F401RC",
			"STM32F401VC",
		]);
	});

	it("knows the parts users missed before", () => {
		for (const [name, family] of [
			["STM32H723", "H7"],
			["STM32L053", "L0"],
			["STM32L432", "L4"],
			["STM32H563", "H5"],
			["STM32F334", "F3"],
			["STM32F410", "F4"],
			["STM32H7A3", "H7"],
		] as const)
			expect(data.resolve(name).family, name).toBe(family);
	});

	it("every part is found by its own name", () => {
		for (const p of data.parts) expect(data.part(p.name)?.name).toBe(p.name);
	});

	it("an unknown name is an UnknownChipError naming the closest known names", () => {
		expect(data.select("STM32F499")).toBeUndefined();
		let error: unknown;
		try {
			data.resolve("STM32F499");
		} catch (e) {
			error = e;
		}
		expect(error).toBeInstanceOf(UnknownChipError);
		const unknown = error as UnknownChipError;
		expect(unknown.exitCode).toBe(2);
		expect(unknown.closest).toContain("STM32F469");
		expect(unknown.hint).toContain("STM32F469");
		expect(() => data.resolve("nRF52840")).toThrow(UnknownChipError);
	});
});

describe("peripheralAt", () => {
	it("names the peripheral an address belongs to, and none where the core has nothing", async () => {
		const data = await loadChipData();
		const f407 = data.part("STM32F407VG")!.cores[0]!;
		expect(peripheralAt(f407, 0x40020014)?.name).toBe("GPIOA"); // GPIOA_ODR
		expect(peripheralAt(f407, 0x40023830)?.name).toBe("RCC"); // RCC_AHB1ENR
		expect(peripheralAt(f407, 0x40020300)?.name).toBe("GPIOA"); // past its registers, in its 1 KB slot
		expect(peripheralAt(f407, 0x40020300, 0)).toBeUndefined();
		expect(peripheralAt(f407, 0x58024400)).toBeUndefined(); // H7's RCC: nothing on an F407
		const h743 = data.part("STM32H743ZI")!.cores[0]!;
		expect(peripheralAt(h743, 0x580244e0)?.name).toBe("RCC");
	});
});
