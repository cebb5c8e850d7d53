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

const RM = "RM0433 (STM32H742/743/753/750)";
const MAP = `${RM} §2.3.2 memory map`;

export const H7: FamilyFacts = {
	family: "H7",
	documents: [RM, "AN2606"],
	core: "Cortex-M7",
	fpu: "double",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x58024400, MAP),
		at("GPIOA", 0x58020000, MAP),
		at("GPIOB", 0x58020400, MAP),
		at("GPIOC", 0x58020800, MAP),
		at("FLASH", 0x52002000, MAP),
		at("PWR", 0x58024800, MAP),
		at("SYSCFG", 0x58000400, MAP),
	],
	registers: [
		at("RCC_AHB4ENR", 0x580244e0, `${RM} §8.7.43 (GPIOAEN bit 0)`),
		at("RCC_APB4ENR", 0x580244f4, `${RM} §8.7.47`),
		at("FLASH_KEYR1", 0x52002004, `${RM} §4.9.2`),
		at("PWR_CR3", 0x5802480c, `${RM} §6.8.4`),
		at("GPIOB_ODR", 0x58020414, `${RM} §11.4.6`),
		at("GPIOB_BSRR", 0x58020418, `${RM} §11.4.7`),
	],
	optionBytes: {
		address: 0x5200201c,
		size: 128,
		source: `${DFUSE_LISTINGS} (OB mapped onto FLASH_OPTSR registers, ${RM} §4.9)`,
	},
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200, 0x0200],
		idAddress: 0x1ff1e7fe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32H742/743/753/750",
			aliases: ["H743", "H742", "H753", "H750", "H743ZI", "H750VB"],
			flashSizesKb: [128, 1024, 2048],
			ram: [
				ram("ITCM", 0x00000000, 64, "itcm", MAP),
				ram("DTCM", 0x20000000, 128, "dtcm", MAP),
				ram("AXI SRAM", 0x24000000, 512, "axi", MAP),
				ram("SRAM1-3", 0x30000000, 288, "sram", MAP),
				ram("SRAM4", 0x38000000, 64, "sram", MAP),
				ram("Backup SRAM", 0x38800000, 4, "backup", MAP),
			],
			vectorCount: 166,
			deviceIds: [0x450],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash   /0x08000000/16*128Kg"],
				optionBytes: ["@Option Bytes   /0x5200201C/01*128 e"],
				otp: ["@OTP Memory /0x08FFF000/01*1024 e"],
			},
			bootloaderIds: [0x90],
			source: `${cmsisVectors("stm32h743xx.h")}; ${DFUSE_LISTINGS} (omotion tests, Daisy docs); ${AN2606_IDS}`,
		},
	],
};
