import { AN2606_TABLE3, at, cmsisVectors, ram, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0444 (STM32G0x1)";
const MAP = `${RM} §2.2 memory map`;

export const G0: FamilyFacts = {
	family: "G0",
	documents: [RM, "RM0454 (STM32G0x0)", "AN2606"],
	core: "Cortex-M0+",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40021000, MAP),
		at("GPIOA", 0x50000000, `${MAP} (IOPORT)`),
		at("GPIOB", 0x50000400, `${MAP} (IOPORT)`),
		at("GPIOC", 0x50000800, `${MAP} (IOPORT)`),
		at("FLASH", 0x40022000, MAP),
		at("SYSCFG", 0x40010000, MAP),
		at("PWR", 0x40007000, MAP),
	],
	registers: [
		at("RCC_IOPENR", 0x40021034, `${RM} §5.4.12 (GPIOAEN bit 0)`),
		at("RCC_AHBENR", 0x40021038, `${RM} §5.4.13`),
		at("RCC_APBENR1", 0x4002103c, `${RM} §5.4.14`),
		at("RCC_APBENR2", 0x40021040, `${RM} §5.4.15`),
		at("FLASH_KEYR", 0x40022008, `${RM} §3.7.3`),
		at("GPIOA_ODR", 0x50000014, `${RM} §6.4.6`),
		at("GPIOA_BSRR", 0x50000018, `${RM} §6.4.7`),
	],
	optionBytes: { address: 0x1fff7800, size: 128, source: `${RM} §3.4.1 option bytes` },
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x2200, 0x0200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32G03x/04x",
			aliases: ["G030", "G031", "G041"],
			flashSizesKb: [16, 32, 64],
			ram: [ram("SRAM", 0x20000000, 8, "sram", "DS12992 (STM32G031) memory map")],
			vectorCount: 46,
			deviceIds: [0x466],
			usbDfu: false,
			source: cmsisVectors("stm32g031xx.h"),
		},
		{
			name: "STM32G07x/08x",
			aliases: ["G070", "G071", "G081"],
			flashSizesKb: [64, 128],
			ram: [ram("SRAM", 0x20000000, 36, "sram", "DS12232 (STM32G071) memory map")],
			vectorCount: 47,
			deviceIds: [0x460],
			usbDfu: false,
			source: cmsisVectors("stm32g071xx.h"),
		},
		{
			name: "STM32G0B1/G0C1",
			aliases: ["G0B0", "G0B1", "G0C1"],
			flashSizesKb: [256, 512],
			ram: [ram("SRAM", 0x20000000, 144, "sram", "DS13560 (STM32G0B1) memory map")],
			vectorCount: 47,
			deviceIds: [0x467],
			usbDfu: true,
			source: `${cmsisVectors("stm32g0b1xx.h")}; ${AN2606_TABLE3} (DFU only on G0B0/G0B1/G0C1; no ROM layout listing found)`,
		},
	],
};
