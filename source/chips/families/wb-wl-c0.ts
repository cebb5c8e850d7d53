import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM_WB = "RM0434 (STM32WB55/35)";
const MAP_WB = `${RM_WB} §2.2.2 memory map`;

export const WB: FamilyFacts = {
	family: "WB",
	documents: [RM_WB, "AN2606"],
	core: "Cortex-M4",
	fpu: "single",
	flash: { base: 0x08000000, source: MAP_WB },
	peripherals: [
		at("RCC", 0x58000000, MAP_WB),
		at("GPIOA", 0x48000000, MAP_WB),
		at("GPIOB", 0x48000400, MAP_WB),
		at("GPIOC", 0x48000800, MAP_WB),
		at("FLASH", 0x58004000, MAP_WB),
		at("PWR", 0x58000400, MAP_WB),
		at("IPCC", 0x58000c00, MAP_WB),
	],
	registers: [
		at("RCC_AHB2ENR", 0x5800004c, `${RM_WB} §7.4.18 (GPIOAEN bit 0)`),
		at("FLASH_KEYR", 0x58004008, `${RM_WB} §3.10.3`),
		at("GPIOB_ODR", 0x48000414, `${RM_WB} §9.4.6`),
		at("GPIOB_BSRR", 0x48000418, `${RM_WB} §9.4.7`),
	],
	optionBytes: { address: 0x1fff8000, size: 128, source: `${RM_WB} §3.4.1 [DFU alt not seen]` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200, 0x2200],
		idAddress: 0x1fff6ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32WB55/35",
			aliases: ["WB55", "WB35", "WB55RG", "WB55CG"],
			flashSizesKb: [256, 512, 1024],
			ram: [
				ram("SRAM1", 0x20000000, 192, "sram", MAP_WB),
				ram("SRAM2a+SRAM2b", 0x20030000, 64, "sram", MAP_WB),
			],
			vectorCount: 79,
			deviceIds: [0x495],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash   /0x08000000/256*04Kg"] },
			source: `${cmsisVectors("stm32wb55xx.h")}; ${DFUSE_LISTINGS}`,
		},
	],
};

const RM_WL = "RM0461 (STM32WLEx)";
const MAP_WL = `${RM_WL} §2.2.2 memory map`;

export const WL: FamilyFacts = {
	family: "WL",
	documents: [RM_WL, "AN2606"],
	core: "Cortex-M4",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP_WL },
	peripherals: [
		at("RCC", 0x58000000, MAP_WL),
		at("GPIOA", 0x48000000, MAP_WL),
		at("GPIOB", 0x48000400, MAP_WL),
		at("GPIOC", 0x48000800, MAP_WL),
		at("FLASH", 0x58004000, MAP_WL),
		at("PWR", 0x58000400, MAP_WL),
		at("SUBGHZSPI", 0x58010000, MAP_WL),
	],
	registers: [
		at("RCC_AHB2ENR", 0x5800004c, `${RM_WL} §6.4.17 (GPIOAEN bit 0)`),
		at("FLASH_KEYR", 0x58004008, `${RM_WL} §3.7.3`),
		at("GPIOA_ODR", 0x48000014, `${RM_WL} §7.4.6`),
		at("GPIOA_BSRR", 0x48000018, `${RM_WL} §7.4.7`),
	],
	optionBytes: { address: 0x1fff7800, size: 128, source: `${RM_WL} §3.4.1` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [],
		source: `${AN2606_TABLE3} (no USB: USART/SPI/I2C only)`,
	},
	parts: [
		{
			name: "STM32WLE5/E4",
			aliases: ["WLE5", "WLE4", "WL55", "WLE5JC"],
			flashSizesKb: [64, 128, 256],
			ram: [ram("SRAM1+SRAM2", 0x20000000, 64, "sram", MAP_WL)],
			vectorCount: 78,
			deviceIds: [0x497],
			usbDfu: false,
			source: cmsisVectors("stm32wle5xx.h"),
		},
	],
};

const RM_C0 = "RM0490 (STM32C0)";
const MAP_C0 = `${RM_C0} §2.2 memory map`;

export const C0: FamilyFacts = {
	family: "C0",
	documents: [RM_C0, "AN2606"],
	core: "Cortex-M0+",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP_C0 },
	peripherals: [
		at("RCC", 0x40021000, MAP_C0),
		at("GPIOA", 0x50000000, `${MAP_C0} (IOPORT)`),
		at("GPIOB", 0x50000400, `${MAP_C0} (IOPORT)`),
		at("GPIOC", 0x50000800, `${MAP_C0} (IOPORT)`),
		at("FLASH", 0x40022000, MAP_C0),
	],
	registers: [
		at("RCC_IOPENR", 0x40021034, `${RM_C0} §6.4.10 (GPIOAEN bit 0)`),
		at("FLASH_KEYR", 0x40022008, `${RM_C0} §3.7.3`),
		at("GPIOA_ODR", 0x50000014, `${RM_C0} §7.4.6`),
		at("GPIOA_BSRR", 0x50000018, `${RM_C0} §7.4.7`),
	],
	optionBytes: { address: 0x1fff7800, size: 128, source: `${RM_C0} §3.4.1` },
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x0200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32C011/C031",
			aliases: ["C011", "C031", "C031C6"],
			flashSizesKb: [16, 32],
			ram: [ram("SRAM", 0x20000000, 12, "sram", `${MAP_C0} (6 KB on C011)`)],
			vectorCount: 45,
			deviceIds: [0x443, 0x453],
			usbDfu: false,
			source: cmsisVectors("stm32c031xx.h"),
		},
		{
			name: "STM32C071",
			aliases: ["C071"],
			flashSizesKb: [64, 128],
			ram: [ram("SRAM", 0x20000000, 24, "sram", MAP_C0)],
			vectorCount: 45,
			deviceIds: [0x493],
			usbDfu: true,
			source: `${cmsisVectors("stm32c071xx.h")}; ${AN2606_TABLE3}`,
		},
	],
};
