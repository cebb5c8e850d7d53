import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0316 (STM32F303/F302/F358/F398)";
const MAP = `${RM} §3.2.2 memory map`;

export const F3: FamilyFacts = {
	family: "F3",
	documents: [RM, "AN2606"],
	core: "Cortex-M4",
	fpu: "single",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40021000, MAP),
		at("GPIOA", 0x48000000, MAP),
		at("GPIOB", 0x48000400, MAP),
		at("GPIOC", 0x48000800, MAP),
		at("FLASH", 0x40022000, MAP),
		at("SYSCFG", 0x40010000, MAP),
		at("ADC1", 0x50000000, MAP),
	],
	registers: [
		at("RCC_AHBENR", 0x40021014, `${RM} §9.4.6 (IOPAEN bit 17)`),
		at("RCC_APB2ENR", 0x40021018, `${RM} §9.4.7`),
		at("FLASH_KEYR", 0x40022004, `${RM} §4.5.2`),
		at("GPIOA_ODR", 0x48000014, `${RM} §11.4.6`),
		at("GPIOA_BSRR", 0x48000018, `${RM} §11.4.7`),
	],
	optionBytes: { address: 0x1ffff800, size: 16, source: `${RM} §4.3 option bytes` },
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x2200], source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}` },
	parts: [
		{
			name: "STM32F302/303xB/C",
			aliases: ["F303", "F302", "F303xC", "F303xB", "F303VC", "F303CC"],
			flashSizesKb: [128, 256],
			ram: [
				ram("SRAM", 0x20000000, 40, "sram", "DS9118 (STM32F303xB/C) memory map"),
				ram("CCM SRAM", 0x10000000, 8, "ccm", "DS9118 (STM32F303xB/C) memory map"),
			],
			vectorCount: 98,
			deviceIds: [0x422],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/128*0002Kg"] },
			source: `${cmsisVectors("stm32f303xc.h")}; ${DFUSE_LISTINGS} (F303xC)`,
		},
		{
			name: "STM32F302/303xD/E",
			aliases: ["F303xD", "F303xE", "F303RE", "F303ZE"],
			flashSizesKb: [384, 512],
			ram: [
				ram("SRAM", 0x20000000, 64, "sram", "DS10362 (STM32F303xD/E) memory map"),
				ram("CCM SRAM", 0x10000000, 16, "ccm", "DS10362 (STM32F303xD/E) memory map"),
			],
			vectorCount: 101,
			deviceIds: [0x446],
			usbDfu: true,
			source: cmsisVectors("stm32f303xe.h"),
		},
	],
};
