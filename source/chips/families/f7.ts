import {
	AN2606_IDS,
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0385 (STM32F75xxx/F74xxx)";
const MAP = `${RM} §2.2.2 memory map`;
const ITCM = (source: string) => ram("ITCM RAM", 0x00000000, 16, "itcm", source);

export const F7: FamilyFacts = {
	family: "F7",
	documents: [RM, "RM0431 (F72x/F73x)", "RM0410 (F76x/F77x)", "AN2606"],
	core: "Cortex-M7",
	fpu: "single",
	flash: { base: 0x08000000, source: `${MAP} (AXIM; ITCM alias 0x00200000)` },
	peripherals: [
		at("RCC", 0x40023800, MAP),
		at("GPIOA", 0x40020000, MAP),
		at("GPIOB", 0x40020400, MAP),
		at("GPIOC", 0x40020800, MAP),
		at("FLASH", 0x40023c00, MAP),
		at("SYSCFG", 0x40013800, MAP),
		at("PWR", 0x40007000, MAP),
	],
	registers: [
		at("RCC_AHB1ENR", 0x40023830, `${RM} §5.3.10`),
		at("RCC_APB1ENR", 0x40023840, `${RM} §5.3.13`),
		at("RCC_DCKCFGR1", 0x4002388c, `${RM} §5.3.25`),
		at("FLASH_KEYR", 0x40023c04, `${RM} §3.7.2`),
		at("GPIOA_ODR", 0x40020014, `${RM} §6.4.6`),
		at("GPIOA_BSRR", 0x40020018, `${RM} §6.4.7`),
	],
	optionBytes: { address: 0x1fff0000, size: 32, source: `${RM} §3.4.1 option bytes` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1ff0edbe,
		source: AN2606_TABLE3,
	},
	parts: [
		{
			name: "STM32F72x/73x",
			aliases: ["F722", "F723", "F730", "F732", "F733"],
			flashSizesKb: [256, 512],
			ram: [
				ram("DTCM", 0x20000000, 64, "dtcm", "RM0431 §2.2.2"),
				ram("SRAM1+SRAM2", 0x20010000, 192, "sram", "RM0431 §2.2.2"),
				ITCM("RM0431 §2.2.2"),
			],
			vectorCount: 120,
			deviceIds: [0x452],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg"] },
			bootloaderIds: [0x90],
			source: `${cmsisVectors("stm32f722xx.h")}; ${DFUSE_LISTINGS} (Betaflight/INAV); ${AN2606_IDS}`,
		},
		{
			name: "STM32F745/746/756",
			aliases: ["F745", "F746", "F756", "F750"],
			flashSizesKb: [512, 1024],
			ram: [
				ram("DTCM", 0x20000000, 64, "dtcm", MAP),
				ram("SRAM1+SRAM2", 0x20010000, 256, "sram", MAP),
				ITCM(MAP),
			],
			vectorCount: 114,
			deviceIds: [0x449],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg"] },
			bootloaderIds: [0x70],
			source: `${cmsisVectors("stm32f746xx.h")}; ${DFUSE_LISTINGS}; ${AN2606_IDS}`,
		},
		{
			name: "STM32F765/767/769",
			aliases: ["F765", "F767", "F769", "F777", "F779"],
			flashSizesKb: [1024, 2048],
			ram: [
				ram("DTCM", 0x20000000, 128, "dtcm", "RM0410 §2.2.2"),
				ram("SRAM1+SRAM2", 0x20020000, 384, "sram", "RM0410 §2.2.2"),
				ITCM("RM0410 §2.2.2"),
			],
			vectorCount: 126,
			fpu: "double",
			deviceIds: [0x451],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg"] },
			bootloaderIds: [0x93],
			source: `${cmsisVectors("stm32f767xx.h")}; layout from MicroPython mboot (ROM listing not seen); ${AN2606_IDS}`,
		},
	],
};
