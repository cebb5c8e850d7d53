import { AN2606_TABLE3, at, cmsisVectors, ram, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM_L5 = "RM0438 (STM32L552/562)";
const MAP_L5 = `${RM_L5} §2.3 memory map`;

/** Addresses are the non-secure aliases; secure aliases are +0x10000000 (RM0438 §2.3). */
export const L5: FamilyFacts = {
	family: "L5",
	documents: [RM_L5, "AN2606"],
	core: "Cortex-M33",
	fpu: "single",
	flash: { base: 0x08000000, source: `${MAP_L5} (secure alias 0x0C000000)` },
	peripherals: [
		at("RCC", 0x40021000, MAP_L5),
		at("GPIOA", 0x42020000, MAP_L5),
		at("GPIOB", 0x42020400, MAP_L5),
		at("GPIOC", 0x42020800, MAP_L5),
		at("FLASH", 0x40022000, MAP_L5),
		at("RCC (secure)", 0x50021000, MAP_L5),
		at("GPIOA (secure)", 0x52020000, MAP_L5),
	],
	registers: [
		at("RCC_AHB2ENR", 0x4002104c, `${RM_L5} §9.8.18 (GPIOAEN bit 0)`),
		at("FLASH_NSKEYR", 0x40022008, `${RM_L5} §6.9.3`),
		at("GPIOA_ODR", 0x42020014, `${RM_L5} §12.4.6`),
		at("GPIOA_BSRR", 0x42020018, `${RM_L5} §12.4.7`),
	],
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x0200, 0x2200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32L552/562",
			aliases: ["L552", "L562", "L552ZE"],
			flashSizesKb: [256, 512],
			ram: [ram("SRAM1+SRAM2", 0x20000000, 256, "sram", `${MAP_L5} (secure alias 0x30000000)`)],
			vectorCount: 124,
			deviceIds: [0x472],
			usbDfu: true,
			source: cmsisVectors("stm32l552xx.h"),
		},
	],
};

const RM_U5 = "RM0456 (STM32U5)";
const MAP_U5 = `${RM_U5} §2.3 memory map`;

export const U5: FamilyFacts = {
	family: "U5",
	documents: [RM_U5, "AN2606"],
	core: "Cortex-M33",
	fpu: "single",
	flash: { base: 0x08000000, source: `${MAP_U5} (secure alias 0x0C000000)` },
	peripherals: [
		at("RCC", 0x46020c00, MAP_U5),
		at("GPIOA", 0x42020000, MAP_U5),
		at("GPIOB", 0x42020400, MAP_U5),
		at("GPIOC", 0x42020800, MAP_U5),
		at("FLASH", 0x40022000, MAP_U5),
		at("PWR", 0x46020800, MAP_U5),
		at("RCC (secure)", 0x56020c00, MAP_U5),
	],
	registers: [
		at("RCC_AHB2ENR1", 0x46020c8c, `${RM_U5} §11.8.36 (GPIOAEN bit 0)`),
		at("FLASH_NSKEYR", 0x40022008, `${RM_U5} §7.9.3`),
		at("GPIOA_ODR", 0x42020014, `${RM_U5} §13.4.6`),
		at("GPIOA_BSRR", 0x42020018, `${RM_U5} §13.4.7`),
	],
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x0200, 0x2200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32U575/585",
			aliases: ["U575", "U585", "U575ZI"],
			flashSizesKb: [1024, 2048],
			ram: [
				ram("SRAM1+SRAM2+SRAM3", 0x20000000, 768, "sram", `${MAP_U5} (192+64+512 KB)`),
				ram("SRAM4", 0x28000000, 16, "sram", MAP_U5),
			],
			vectorCount: 142,
			deviceIds: [0x482],
			usbDfu: true,
			source: cmsisVectors("stm32u575xx.h"),
		},
	],
};
