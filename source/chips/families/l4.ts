import {
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { AddressFact, FamilyFacts } from "../types.js";

const RM = "RM0351 (STM32L47x/48x/49x/4Ax)";
const MAP = `${RM} §2.2.2 memory map`;

/** L4 and L4+ share the peripheral map (RM0351 / RM0432 §2.2.2). */
export const L4_PERIPHERALS: AddressFact[] = [
	at("RCC", 0x40021000, MAP),
	at("GPIOA", 0x48000000, MAP),
	at("GPIOB", 0x48000400, MAP),
	at("GPIOC", 0x48000800, MAP),
	at("FLASH", 0x40022000, MAP),
	at("PWR", 0x40007000, MAP),
	at("SYSCFG", 0x40010000, MAP),
];

export const L4_REGISTERS: AddressFact[] = [
	at("RCC_AHB2ENR", 0x4002104c, `${RM} §6.4.17 (GPIOAEN bit 0)`),
	at("RCC_APB1ENR1", 0x40021058, `${RM} §6.4.19`),
	at("FLASH_KEYR", 0x40022008, `${RM} §3.7.3`),
	at("GPIOA_ODR", 0x48000014, `${RM} §8.5.6`),
	at("GPIOA_BSRR", 0x48000018, `${RM} §8.5.7`),
];

export const L4: FamilyFacts = {
	family: "L4",
	documents: [RM, "RM0394 (L43x/44x/45x/46x)", "AN2606"],
	core: "Cortex-M4",
	fpu: "single",
	flash: { base: 0x08000000, source: MAP },
	peripherals: L4_PERIPHERALS,
	registers: L4_REGISTERS,
	optionBytes: { address: 0x1fff7800, size: 40, source: `${RM} §3.4.1; ${DFUSE_LISTINGS}` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200, 0x2200],
		idAddress: 0x1fff6ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32L45x/46x",
			aliases: ["L451", "L452", "L462", "L452RE"],
			flashSizesKb: [256, 512],
			ram: [
				ram("SRAM1", 0x20000000, 128, "sram", "RM0394 §2.2.2"),
				ram("SRAM2", 0x10000000, 32, "sram", "RM0394 §2.2.2 (also at 0x20020000)"),
			],
			vectorCount: 101,
			deviceIds: [0x462],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/512*0002Kg"],
				optionBytes: ["@Option Bytes  /0x1FFF7800/01*040 e"],
				otp: ["@OTP Memory /0x1FFF7000/01*0001Kg"],
			},
			source: `${cmsisVectors("stm32l452xx.h")}; ${DFUSE_LISTINGS} (Proffieboard flasher)`,
		},
		{
			name: "STM32L47x/48x",
			aliases: ["L475", "L476", "L486", "L476RG"],
			flashSizesKb: [256, 512, 1024],
			ram: [ram("SRAM1", 0x20000000, 96, "sram", MAP), ram("SRAM2", 0x10000000, 32, "sram", MAP)],
			vectorCount: 98,
			deviceIds: [0x415],
			usbDfu: true,
			source: cmsisVectors("stm32l476xx.h"),
		},
	],
};

const RM_PLUS = "RM0432 (STM32L4+)";

export const L4_PLUS: FamilyFacts = {
	family: "L4+",
	documents: [RM_PLUS, "AN2606"],
	core: "Cortex-M4",
	fpu: "single",
	flash: { base: 0x08000000, source: `${RM_PLUS} §2.2.2` },
	peripherals: L4_PERIPHERALS,
	registers: L4_REGISTERS,
	optionBytes: {
		address: 0x1ff00000,
		size: 40,
		source: `${RM_PLUS} §3.4.1 [DFU alt address not seen]`,
	},
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200, 0x2200],
		idAddress: 0x1fff6ffe,
		source: AN2606_TABLE3,
	},
	parts: [
		{
			name: "STM32L4R/L4S",
			aliases: ["L4R5", "L4R7", "L4R9", "L4S5", "L4S7", "L4S9"],
			flashSizesKb: [1024, 2048],
			ram: [
				ram("SRAM1+SRAM2+SRAM3", 0x20000000, 640, "sram", `${RM_PLUS} §2.2.2 (192+64+384 KB)`),
				ram("SRAM2", 0x10000000, 64, "sram", `${RM_PLUS} §2.2.2`),
			],
			vectorCount: 111,
			deviceIds: [0x470],
			usbDfu: true,
			source: cmsisVectors("stm32l4r5xx.h"),
		},
	],
};
