import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { chipByName } from "../../source/chips/index.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { inspect } from "../../source/doctor/inspect.js";
import { irqHandlers } from "../../source/doctor/irq-handlers.js";
import { parseElf } from "../../source/image/elf.js";
import { syntheticImage } from "./inspect-synthetic-image.js";
import { syntheticElf } from "./synthetic-elf.js";

// The handler names are checked against the generated chip data's interrupt lists.
const data = await loadChipData();

function corpusElf(file: string) {
	const url = new URL(`../fixtures/corpus/images/${file}`, import.meta.url);
	return parseElf(new Uint8Array(readFileSync(url)), file);
}

const OPENMV2 = "openmv/firmware-OPENMV2-bootloader.elf"; // STM32F427VG
const OPENMV3 = "openmv/firmware-OPENMV3-bootloader.elf"; // STM32F765VI
const OPENMV4 = "openmv/firmware-OPENMV4-bootloader.elf"; // STM32H743VI
const LPC1769 = "Smoothieware/bootloader-DFU-Bootloader.elf";

describe("IRQ handler symbols", () => {
	it("reads the handlers an ELF's startup file defines, and which the code implements", () => {
		const handlers = irqHandlers(corpusElf(OPENMV2));
		// CMSIS's list for the F427, 88 interrupts; HAL_PCD_IRQHandler is a HAL function.
		expect(handlers).toHaveLength(88);
		expect(handlers.map((h) => h.symbol)).not.toContain("HAL_PCD_IRQHandler");
		expect(handlers.filter((h) => h.implemented)).toEqual([
			{
				symbol: "OTG_FS_IRQHandler",
				interrupt: "OTG_FS",
				address: 0x08000db1,
				implemented: true,
			},
		]);
		expect(handlers.find((h) => h.symbol === "DMA2D_IRQHandler")).toMatchObject({
			address: 0x080034b5,
			implemented: false,
		});
	});

	it("name the line of real ELFs, with a handler and its address", () => {
		const cases = [
			[OPENMV2, "F4", "STM32F427/437", "OTG_FS_IRQHandler at 0x08000DB1"],
			[OPENMV3, "F7", "STM32F7x5", "OTG_FS_IRQHandler at 0x08000DE5"],
			[OPENMV4, "H7", "STM32H743/753", "OTG_FS_IRQHandler at 0x08000EC5"],
		] as const;
		for (const [file, family, line, handler] of cases) {
			const guess = inspect(corpusElf(file)).guess!;
			expect(guess.family, file).toBe(family);
			const said = guess.evidence.find((e) => e.includes("interrupt handlers"));
			expect(said, file).toContain(`interrupts of the ${line}`);
			expect(said, file).toContain(handler);
		}
	});

	it("count against every STM32 when most name interrupts no STM32 has (an LPC1769's)", () => {
		const r = inspect(corpusElf(LPC1769));
		expect(r.guess?.stm32).toBe(false);
		expect(r.guess?.family).toBe("LPC17xx");
		expect(r.guess?.evidence.join("\n")).toMatch(
			/29 of its 35 interrupt handlers name interrupts no STM32 has \(\w+_IRQHandler at 0x[0-9A-F]{8}/,
		);
	});

	it("are findings against a chip without the interrupt, naming the symbol and its address", () => {
		const elf = corpusElf(OPENMV2);
		const f103 = inspect(elf, { chip: chipByName("STM32F103C8")! }).findings;
		const implemented = f103.filter((f) => f.id === "irq.missing");
		expect(implemented).toHaveLength(1);
		expect(implemented[0]).toMatchObject({
			severity: "warning",
			evidence: { symbol: "OTG_FS_IRQHandler", address: 0x08000db1, interrupt: "OTG_FS" },
		});
		expect(implemented[0]!.message).toContain("OTG_FS_IRQHandler at 0x08000DB1");
		// The F405/407 lacks the F427's extra interrupts: only defaults, so only a note.
		const f407 = inspect(elf, { chip: chipByName("STM32F407")! }).findings;
		expect(f407.filter((f) => f.id === "irq.missing")).toEqual([]);
		const defaults = f407.find((f) => f.id === "irq.missing-defaults");
		expect(defaults?.severity).toBe("info");
		expect(defaults?.message).toContain("DMA2D_IRQHandler at 0x080034B5");
		// On its own part, none.
		const own = inspect(elf, { chip: chipByName("STM32F427VG")! }).findings;
		expect(own.filter((f) => f.id.startsWith("irq."))).toEqual([]);
	});
});

describe("IRQ handler symbols in a synthetic ELF", () => {
	// The code says nothing (no peripheral addresses, a bare table of the 16 system vectors):
	// only the symbol table names the part, an STM32F303xC by its startup file's handlers.
	const f303 = data.part("STM32F303VC")!.cores[0]!.interrupts.map((i) => i.name);
	const base = syntheticImage({ initialSp: 0x2000a000, vectors: 16, codeBytes: 64 });
	const text = base.segments[0]!.data;
	const fallback = 0x08000040 + 1;
	const own: Record<string, number> = {
		TIM1_BRK_TIM15: 0x08000050 + 1,
		USART1: 0x08000060 + 1,
	};
	const symbols = [
		{ name: "Reset_Handler", value: 0x08000041 },
		{ name: "Default_Handler", value: fallback },
		...f303.map((irq) => ({
			name: `${irq}_IRQHandler`,
			value: own[irq] ?? fallback,
			weak: own[irq] === undefined,
		})),
	];
	const image = parseElf(syntheticElf(text, 0x08000000, symbols), "f303.elf");

	it("is read back from the ELF's symbol table", () => {
		const handlers = irqHandlers(image);
		expect(handlers).toHaveLength(new Set(f303).size);
		expect(handlers.filter((h) => h.implemented).map((h) => h.symbol)).toEqual([
			"TIM1_BRK_TIM15_IRQHandler",
			"USART1_IRQHandler",
		]);
	});

	it("names the family and line from the handler names alone", () => {
		const guess = inspect(image).guess!;
		expect(guess.family).toBe("F3");
		expect(guess.evidence[0]).toMatch(
			/its ELF names \d+ interrupt handlers, \d+ of them interrupts of the STM32F3.* \(TIM1_BRK_TIM15_IRQHandler at 0x08000051/,
		);
	});

	it("warns of a handler the chip has no interrupt for (TIM1_BRK_TIM15 on an F407), not of one it has", () => {
		const findings = inspect(image, { chip: chipByName("STM32F407")! }).findings;
		const missing = findings.filter((f) => f.id === "irq.missing");
		expect(missing.map((f) => f.evidence)).toEqual([
			{ symbol: "TIM1_BRK_TIM15_IRQHandler", address: 0x08000051, interrupt: "TIM1_BRK_TIM15" },
		]);
		expect(missing[0]!.message).toMatch(
			/handles the TIM1_BRK_TIM15 interrupt \(TIM1_BRK_TIM15_IRQHandler at 0x08000051\), which the STM32F405\/407 does not have/,
		);
	});
});
