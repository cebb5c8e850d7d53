import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0367/RM0377/RM0376 (STM32L0)";
const MAP = "RM0367 §2.2.2 memory map";

export const L0: FamilyFacts = {
	family: "L0",
	documents: [RM, "AN2606"],
	core: "Cortex-M0+",
	fpu: "none",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40021000, MAP),
		at("GPIOA", 0x50000000, `${MAP} (IOPORT)`),
		at("GPIOB", 0x50000400, `${MAP} (IOPORT)`),
		at("GPIOC", 0x50000800, `${MAP} (IOPORT)`),
		at("FLASH", 0x40022000, MAP),
		at("PWR", 0x40007000, MAP),
	],
	registers: [
		at("RCC_IOPENR", 0x4002102c, "RM0367 §7.3.12 (IOPAEN bit 0)"),
		at("RCC_AHBENR", 0x40021030, "RM0367 §7.3.13"),
		at("RCC_APB2ENR", 0x40021034, "RM0367 §7.3.14"),
		at("RCC_APB1ENR", 0x40021038, "RM0367 §7.3.15"),
		at("FLASH_PEKEYR", 0x4002200c, "RM0367 §3.7.4"),
		at("GPIOA_ODR", 0x50000014, "RM0367 §9.4.6"),
		at("GPIOA_BSRR", 0x50000018, "RM0367 §9.4.7"),
	],
	optionBytes: { address: 0x1ff80000, size: 32, source: `RM0367 §3.4.1; ${DFUSE_LISTINGS}` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1ff01ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32L01x/02x",
			aliases: ["L010", "L011", "L021"],
			flashSizesKb: [16, 32],
			ram: [ram("SRAM", 0x20000000, 2, "sram", "RM0377 §2.2.2")],
			vectorCount: 46,
			deviceIds: [0x457],
			usbDfu: false,
			source: cmsisVectors("stm32l011xx.h"),
		},
		{
			name: "STM32L07x/08x",
			aliases: ["L072", "L073", "L082", "L083", "L073RZ"],
			flashSizesKb: [64, 128, 192],
			ram: [ram("SRAM", 0x20000000, 20, "sram", MAP)],
			vectorCount: 48,
			deviceIds: [0x447],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/1536*128g"],
				optionBytes: ["@Option Bytes  /0x1FF80000/01*032 e"],
			},
			source: `${cmsisVectors("stm32l073xx.h")}; ${DFUSE_LISTINGS} (bigclown notes, L0x3 192 KB)`,
		},
	],
};
