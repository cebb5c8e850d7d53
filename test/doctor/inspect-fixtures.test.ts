import { beforeAll, describe, expect, it } from "vitest";
import { chipByName, FAMILIES } from "../../source/chips/catalog.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { hasBlockingFindings, inspect } from "../../source/doctor/inspect.js";
import { fixture } from "./inspect-fixture-files.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

/** fixture → [family, part the guess should name (when the image pins it down)] */
const STM32_FIXTURES: [string, string, string?][] = [
	["stm32f0", "F0", "STM32F07x"],
	["stm32f1", "F1", "STM32F101/102/103 medium density"],
	["stm32f2", "F2", "STM32F205/207"],
	["stm32f3", "F3", "STM32F302/303xB/C"],
	["stm32f401", "F4", "STM32F401"],
	["stm32f407", "F4", "STM32F405/407"],
	["stm32f411", "F4", "STM32F411"],
	["stm32f412", "F4", "STM32F412"],
	["stm32f413", "F4", "STM32F413/423"],
	["stm32f429", "F4", "STM32F427/429"],
	["stm32f446", "F4", "STM32F446"],
	["stm32f469", "F4", "STM32F469/479"],
	["stm32f7", "F7", "STM32F745/746/756"],
	["stm32g0", "G0", "STM32G07x/08x"],
	["stm32g4", "G4", "STM32G471/473/474/483/484"],
	["stm32h7", "H7", "STM32H742/743/753/750"],
	["stm32l0", "L0", "STM32L07x/08x"],
	["stm32l1", "L1", "STM32L15x cat.5/6"],
	["stm32l4", "L4", "STM32L47x/48x"],
	["stm32l4plus", "L4+", "STM32L4R/L4S"],
	["stm32l5", "L5", "STM32L552/562"],
	["stm32u5", "U5", "STM32U575/585"],
	["stm32wb", "WB", "STM32WB55/35"],
	["stm32wl", "WL", "STM32WLE5/E4"],
	["stm32c0", "C0", "STM32C011/C031"],
	// The same programs in C, compiled by GCC -Os: bases in literal pools, registers by offset.
	["stm32f407-c", "F4", "STM32F405/407"],
	["stm32f1-c", "F1", "STM32F101/102/103 medium density"],
	["stm32l1-c", "L1", "STM32L15x cat.5/6"],
];

describe("family guess on built firmware", () => {
	for (const [name, family, part] of STM32_FIXTURES) {
		for (const ext of ["elf", "bin", "hex"]) {
			it(`${name}.${ext} was built for ${part ?? family}`, () => {
				const result = inspect(fixture(`${name}.${ext}`));
				expect(result.guess?.family, JSON.stringify(result.guess?.ranking)).toBe(family);
				expect(result.guess?.stm32).toBe(true);
				if (part) expect(result.guess?.part).toBe(part);
				expect(result.guess?.confidence).toBeGreaterThan(0);
			});
		}
	}

	it("passes every STM32 fixture on its own chip without errors", () => {
		for (const [name, family, part] of STM32_FIXTURES) {
			const chip = chipByName(part ?? family)!;
			const result = inspect(fixture(`${name}.elf`), { chip });
			const errors = result.findings.filter((f) => f.severity !== "info");
			expect(errors, name).toEqual([]);
			expect(hasBlockingFindings(result)).toBe(false);
		}
	});

	it("sees register offsets and the FPU enable in GCC's base + offset code", () => {
		const f407 = inspect(fixture("stm32f407-c.elf")).guess!;
		expect(f407.evidence.join("\n")).toContain("RCC_AHB1ENR at 0x40023830");
		expect(f407.enablesFpu).toBe(true);
		const l1 = inspect(fixture("stm32l1-c.elf")).guess!;
		expect(l1.evidence.join("\n")).toContain("RCC_AHBENR at 0x4002381C");
		expect(l1.evidence.join("\n")).toContain("GPIOA_ODR at 0x40020014");
	});

	it("reads the vector table of the F407 image", () => {
		const result = inspect(fixture("stm32f407.bin"));
		expect(result.vectorTable).toMatchObject({
			address: 0x08000000,
			initialSp: 0x20020000,
			length: 98,
		});
		expect(result.vectorTable!.reset & 1).toBe(1);
		expect(result.guess?.evidence.join("\n")).toContain("RCC_AHB1ENR at 0x40023830");
	});
});

describe("images for other ARM parts", () => {
	for (const [name, family] of [
		["nrf52", "nRF52"],
		["samd21", "SAMD21"],
		["lpc1768", "LPC17xx"],
		["rp2040", "RP2040"],
	] as const) {
		for (const ext of ["elf", "bin"]) {
			it(`${name}.${ext} is called ${family}, not an STM32`, () => {
				const result = inspect(fixture(`${name}.${ext}`), { chip: chipByName("F407") });
				expect(result.guess).toMatchObject({ family, stm32: false });
				const finding = result.findings.find((f) => f.id === "family.not-stm32");
				expect(finding?.severity).toBe("error");
				expect(finding?.message).toContain(family);
				expect(result.findings.some((f) => f.id === "family.mismatch")).toBe(false);
			});
		}
	}

	it("finds the RP2040 vector table after boot2", () => {
		const result = inspect(fixture("rp2040.elf"));
		expect(result.vectorTable).toMatchObject({
			address: 0x10000100,
			afterBoot2: true,
			initialSp: 0x20042000,
		});
	});
});

/** STM32L4 and STM32L4+ (RM0351 / RM0432) share their peripheral map. */
const SIBLINGS = new Set(["L4 L4+", "L4+ L4"]);

describe("mismatches against the connected chip", () => {
	it("calls every family fixture wrong for every other family, naming both", () => {
		const weak: string[] = [];
		for (const [name, family] of STM32_FIXTURES) {
			for (const other of FAMILIES.filter((f) => f.family !== family)) {
				const chip = chipByName(other.family)!;
				const result = inspect(fixture(`${name}.bin`), { chip });
				if (SIBLINGS.has(`${family} ${other.family}`)) {
					// One reference manual, one peripheral map: the part, not the family, differs.
					expect(result.findings.map((f) => f.id)).toContain("family.part-mismatch");
					continue;
				}
				const mismatch = result.findings.find((f) => f.id === "family.mismatch");
				expect(mismatch?.message, `${name} on ${other.family}`).toContain(
					`Built for STM32${family}`,
				);
				expect(mismatch?.message).toContain(`the connected chip is an STM32${other.family}`);
				if (mismatch?.severity !== "error") weak.push(`${name} on ${other.family}`);
			}
		}
		expect(weak).toEqual([]);
	});

	it("names both RCC addresses when an F1 image meets an F407", () => {
		const result = inspect(fixture("stm32f1.bin"), { chip: chipByName("STM32F407")! });
		const mismatch = result.findings.find((f) => f.id === "family.mismatch");
		expect(mismatch?.severity).toBe("error");
		expect(mismatch?.message).toContain("STM32F1");
		expect(mismatch?.message).toContain("RCC at 0x40021000");
		expect(mismatch?.message).toContain("GPIOC at 0x40011000");
		expect(mismatch?.message).toContain("STM32F405/407, whose RCC is at 0x40023800");
		expect(hasBlockingFindings(result)).toBe(true);
	});

	it("warns when an F429 image meets an F407, and rejects its stack above the F407's 128 KB", () => {
		const result = inspect(fixture("stm32f429.elf"), { chip: chipByName("F407")! });
		const part = result.findings.find((f) => f.id === "family.part-mismatch");
		expect(part?.severity).toBe("warning");
		expect(part?.message).toContain("STM32F427/429");
		const sp = result.findings.find((f) => f.id === "vector-table.sp-outside-ram");
		expect(sp?.evidence).toMatchObject({ initialSp: 0x20030000 });
		expect(result.findings.some((f) => f.id === "family.mismatch")).toBe(false);
	});

	it("flags an FPU-enabling F4 image on an L0 and its stack outside L0 RAM", () => {
		const result = inspect(fixture("stm32f407.bin"), { chip: chipByName("L073")! });
		const ids = result.findings.map((f) => f.id);
		expect(ids).toContain("family.mismatch");
		expect(ids).toContain("fpu.missing");
		expect(ids).toContain("vector-table.sp-outside-ram");
	});

	it("reports an image linked for 0x08008000 written at 0x08000000", () => {
		const result = inspect(fixture("stm32f407-at-0x08008000.bin"), { chip: chipByName("F407")! });
		const link = result.findings.find((f) => f.id === "link-address.mismatch");
		expect(link?.severity).toBe("error");
		expect(link?.evidence).toMatchObject({ linkAddress: 0x08008000, writeAddress: 0x08000000 });
		expect(link?.message).toContain("0x08008000");
		// Written 0x8000 below where it was linked: the direction word is about the write address.
		expect(link?.message).toContain("0x00008000 lower than it was linked for");
		expect(result.findings.map((f) => f.id)).toContain("vector-table.reset-outside-image");
	});

	it("accepts the same image when written where it was linked", () => {
		const result = inspect(fixture("stm32f407-at-0x08008000.bin"), {
			chip: chipByName("F407")!,
			address: 0x08008000,
		});
		expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
	});

	it("reports the reverse: an image for 0x08000000 written at 0x08004000", () => {
		const result = inspect(fixture("stm32f407.bin"), {
			chip: chipByName("F407")!,
			address: 0x08004000,
		});
		const link = result.findings.find((f) => f.id === "link-address.mismatch");
		expect(link?.evidence).toMatchObject({ linkAddress: 0x08000000, writeAddress: 0x08004000 });
		expect(link?.message).toContain("0x00004000 higher than it was linked for");
	});
});
