import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0091 (STM32F0x1/x2/x8)";
const MAP = `${RM} §2.2.2 memory map`;

export const F0: FamilyFacts = {
	family: "F0",
	documents: [RM, "RM0360 (STM32F030/F070)", "AN2606"],
	core: "Cortex-M0",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40021000, MAP),
		at("GPIOA", 0x48000000, MAP),
		at("GPIOB", 0x48000400, MAP),
		at("GPIOC", 0x48000800, MAP),
		at("FLASH", 0x40022000, MAP),
		at("SYSCFG", 0x40010000, MAP),
		at("ADC", 0x40012400, MAP),
	],
	registers: [
		at("RCC_AHBENR", 0x40021014, `${RM} §6.4.6 (IOPAEN bit 17)`),
		at("RCC_APB2ENR", 0x40021018, `${RM} §6.4.7`),
		at("RCC_APB1ENR", 0x4002101c, `${RM} §6.4.8`),
		at("FLASH_ACR", 0x40022000, `${RM} §3.5.1`),
		at("FLASH_KEYR", 0x40022004, `${RM} §3.5.2`),
		at("GPIOA_ODR", 0x48000014, `${RM} §8.4.6`),
		at("GPIOA_BSRR", 0x48000018, `${RM} §8.4.7`),
	],
	optionBytes: {
		address: 0x1ffff800,
		size: 16,
		source: `${RM} §4 option bytes; ${DFUSE_LISTINGS}`,
	},
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x2200], source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}` },
	parts: [
		{
			name: "STM32F03x/F05x",
			aliases: ["F030", "F031", "F038", "F051", "F058"],
			flashSizesKb: [16, 32, 64],
			ram: [ram("SRAM", 0x20000000, 8, "sram", `${RM} §2.3`)],
			vectorCount: 47,
			deviceIds: [0x444, 0x440],
			usbDfu: false,
			source: `${cmsisVectors("stm32f051x8.h")}; ${AN2606_TABLE3} (USART/I2C only)`,
		},
		{
			name: "STM32F04x",
			aliases: ["F042", "F048"],
			flashSizesKb: [16, 32],
			ram: [ram("SRAM", 0x20000000, 6, "sram", "DS10555 (STM32F042) memory map")],
			vectorCount: 48,
			deviceIds: [0x445],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/032*0001Kg"],
				optionBytes: ["@Option Bytes  /0x1FFFF800/01*016 e"],
			},
			source: `${cmsisVectors("stm32f042x6.h")}; ${DFUSE_LISTINGS} (F042x6 inferred)`,
		},
		{
			name: "STM32F07x",
			aliases: ["F070", "F072", "F078"],
			flashSizesKb: [64, 128],
			ram: [ram("SRAM", 0x20000000, 16, "sram", "DS9826 (STM32F072) memory map")],
			vectorCount: 48,
			deviceIds: [0x448],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/064*0002Kg"],
				optionBytes: ["@Option Bytes  /0x1FFFF800/01*016 e"],
			},
			source: `${cmsisVectors("stm32f072xb.h")}; ${DFUSE_LISTINGS} (F072xB)`,
		},
		{
			name: "STM32F09x",
			aliases: ["F091", "F098"],
			flashSizesKb: [256],
			ram: [ram("SRAM", 0x20000000, 32, "sram", "DS10467 (STM32F091) memory map")],
			vectorCount: 47,
			deviceIds: [0x442],
			usbDfu: false,
			source: cmsisVectors("stm32f091xc.h"),
		},
	],
};
