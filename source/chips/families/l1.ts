import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0038 (STM32L100/151/152/162)";
const MAP = `${RM} §2.3 memory map`;

export const L1: FamilyFacts = {
	family: "L1",
	documents: [RM, "AN2606"],
	core: "Cortex-M3",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40023800, MAP),
		at("GPIOA", 0x40020000, MAP),
		at("GPIOB", 0x40020400, MAP),
		at("GPIOC", 0x40020800, MAP),
		at("FLASH", 0x40023c00, MAP),
		at("PWR", 0x40007000, MAP),
		at("SYSCFG", 0x40010000, MAP),
	],
	registers: [
		at("RCC_AHBENR", 0x4002381c, `${RM} §6.3.8 (GPIOAEN bit 0)`),
		at("RCC_APB2ENR", 0x40023820, `${RM} §6.3.9`),
		at("RCC_APB1ENR", 0x40023824, `${RM} §6.3.10`),
		at("FLASH_PEKEYR", 0x40023c0c, `${RM} §3.9.4`),
		at("GPIOA_ODR", 0x40020014, `${RM} §7.4.6`),
		at("GPIOA_BSRR", 0x40020018, `${RM} §7.4.7`),
	],
	optionBytes: { address: 0x1ff80000, size: 32, source: `${RM} §3.6.1` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1ff01ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32L15x cat.1/2",
			aliases: ["L151x8", "L151xB", "L152xB", "L100"],
			flashSizesKb: [32, 64, 128],
			ram: [ram("SRAM", 0x20000000, 16, "sram", MAP)],
			vectorCount: 61,
			deviceIds: [0x416, 0x429],
			usbDfu: false,
			source: cmsisVectors("stm32l151xb.h"),
		},
		{
			name: "STM32L15x cat.3",
			aliases: ["L151xC", "L152xC", "L152RC"],
			flashSizesKb: [256],
			ram: [ram("SRAM", 0x20000000, 32, "sram", MAP)],
			vectorCount: 73,
			deviceIds: [0x427],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/1024*256 g"] },
			source: `${cmsisVectors("stm32l152xc.h")}; ${DFUSE_LISTINGS} (256 B pages, DATA 2×4 KB)`,
		},
		{
			name: "STM32L15x cat.5/6",
			aliases: ["L151xE", "L152xE", "L152RE", "L151", "L152"],
			flashSizesKb: [384, 512],
			ram: [ram("SRAM", 0x20000000, 80, "sram", MAP)],
			vectorCount: 73,
			deviceIds: [0x437, 0x436],
			usbDfu: true,
			source: cmsisVectors("stm32l152xe.h"),
		},
	],
};
