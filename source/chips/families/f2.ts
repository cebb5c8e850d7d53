import { AN2606_IDS, AN2606_TABLE3, at, cmsisVectors, ram, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0033 (STM32F205/207/215/217)";
const MAP = `${RM} §2.3 memory map`;

export const F2: FamilyFacts = {
	family: "F2",
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
		at("SYSCFG", 0x40013800, MAP),
	],
	registers: [
		at("RCC_AHB1ENR", 0x40023830, `${RM} §5.3.10`),
		at("RCC_APB1ENR", 0x40023840, `${RM} §5.3.13`),
		at("RCC_APB2ENR", 0x40023844, `${RM} §5.3.14`),
		at("FLASH_ACR", 0x40023c00, `${RM} §2.9.1`),
		at("FLASH_KEYR", 0x40023c04, `${RM} §2.9.2`),
		at("GPIOA_ODR", 0x40020014, `${RM} §6.4.6`),
		at("GPIOA_BSRR", 0x40020018, `${RM} §6.4.7`),
	],
	optionBytes: { address: 0x1fffc000, size: 16, source: `${RM} §2.8 option bytes` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1fff77de,
		source: AN2606_TABLE3,
	},
	parts: [
		{
			name: "STM32F205/207",
			aliases: ["F205", "F207", "F215", "F217"],
			flashSizesKb: [128, 256, 512, 768, 1024],
			ram: [ram("SRAM1+SRAM2", 0x20000000, 128, "sram", MAP)],
			vectorCount: 97,
			deviceIds: [0x411],
			usbDfu: true,
			bootloaderIds: [0x33],
			source: `${AN2606_IDS}; ${cmsisVectors("stm32f207xx.h")}; no ROM layout listing seen (sector map ${RM} §2.3.3 matches F407's)`,
		},
	],
};
