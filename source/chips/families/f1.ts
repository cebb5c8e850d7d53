import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0008 (STM32F101/102/103/105/107)";
const MAP = `${RM} §3.3 memory map`;

export const F1: FamilyFacts = {
	family: "F1",
	documents: [RM, "AN2606", "AN2662 (F105/F107 DFU)"],
	core: "Cortex-M3",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40021000, MAP),
		at("GPIOA", 0x40010800, MAP),
		at("GPIOB", 0x40010c00, MAP),
		at("GPIOC", 0x40011000, MAP),
		at("FLASH", 0x40022000, MAP),
		at("AFIO", 0x40010000, MAP),
		at("ADC1", 0x40012400, MAP),
	],
	registers: [
		at("RCC_APB2ENR", 0x40021018, `${RM} §7.3.7 (IOPAEN bit 2, IOPCEN bit 4)`),
		at("RCC_APB1ENR", 0x4002101c, `${RM} §7.3.8`),
		at("RCC_AHBENR", 0x40021014, `${RM} §7.3.6`),
		at("FLASH_KEYR", 0x40022004, "PM0075 §3.3.2"),
		at("GPIOA_CRL", 0x40010800, `${RM} §9.2.1`),
		at("GPIOC_CRH", 0x40011004, `${RM} §9.2.2`),
		at("GPIOC_ODR", 0x4001100c, `${RM} §9.2.4`),
		at("GPIOC_BSRR", 0x40011010, `${RM} §9.2.5`),
	],
	optionBytes: { address: 0x1ffff800, size: 16, source: `PM0075 §2.5; ${DFUSE_LISTINGS}` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2000],
		source: `${AN2606_TABLE3}; dfu-util device-logs/stm32f107.lsusb`,
	},
	parts: [
		{
			name: "STM32F101/102/103 medium density",
			aliases: ["F103", "F103x8", "F103xB", "F103C8", "F103CB"],
			flashSizesKb: [64, 128],
			ram: [ram("SRAM", 0x20000000, 20, "sram", "DS5319 (STM32F103x8/B) memory map")],
			vectorCount: 59,
			deviceIds: [0x410],
			usbDfu: false,
			source: `${cmsisVectors("stm32f103xb.h")}; AN2606: F103 has no USB DFU in ROM`,
		},
		{
			name: "STM32F101/103 high density",
			aliases: ["F103xC", "F103xD", "F103xE", "F103RC", "F103RE", "F103ZE"],
			flashSizesKb: [256, 384, 512],
			ram: [ram("SRAM", 0x20000000, 64, "sram", "DS5792 (STM32F103xC/D/E) memory map")],
			vectorCount: 76,
			deviceIds: [0x414],
			usbDfu: false,
			source: cmsisVectors("stm32f103xe.h"),
		},
		{
			name: "STM32F105/107",
			aliases: ["F105", "F107"],
			flashSizesKb: [64, 128, 256],
			ram: [ram("SRAM", 0x20000000, 64, "sram", "DS6014 (STM32F105/107) memory map")],
			vectorCount: 84,
			deviceIds: [0x418],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/128*002Kg"],
				optionBytes: ["@Option Bytes  /0x1FFFF800/01*016 g"],
			},
			source: `${cmsisVectors("stm32f107xc.h")}; ${DFUSE_LISTINGS} (iProduct "STM32 0x418 DFU Bootloader")`,
		},
	],
};
