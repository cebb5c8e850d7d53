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

const RM = "RM0440 (STM32G4)";
const MAP = `${RM} §2.2.2 memory map`;

export const G4: FamilyFacts = {
	family: "G4",
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
		at("CORDIC", 0x40020c00, MAP),
		at("FMAC", 0x40021400, MAP),
		at("DMAMUX1", 0x40020800, MAP),
	],
	registers: [
		at("RCC_AHB2ENR", 0x4002104c, `${RM} §7.4.17 (GPIOAEN bit 0)`),
		at("RCC_APB1ENR1", 0x40021058, `${RM} §7.4.19`),
		at("FLASH_KEYR", 0x40022008, `${RM} §5.7.3`),
		at("GPIOA_ODR", 0x48000014, `${RM} §9.4.6`),
		at("GPIOA_BSRR", 0x48000018, `${RM} §9.4.7`),
	],
	optionBytes: { address: 0x1fff7800, size: 48, source: `${RM} §5.4.1; ${DFUSE_LISTINGS}` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200],
		idAddress: 0x1fff6ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32G431/441",
			aliases: ["G431", "G441", "G431KB", "G431CB", "G431RB"],
			flashSizesKb: [32, 64, 128],
			ram: [
				ram("SRAM1+SRAM2+CCM alias", 0x20000000, 32, "sram", `${MAP} (16+6+10 KB)`),
				ram("CCM SRAM", 0x10000000, 10, "ccm", MAP),
			],
			vectorCount: 118,
			deviceIds: [0x468],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash   /0x08000000/64*02Kg"],
				optionBytes: ["@Option Bytes   /0x1FFF7800/01*40Be"],
				otp: ["@OTP Memory   /0x1FFF7000/01*01Ke"],
			},
			bootloaderIds: [0xd4],
			source: `${cmsisVectors("stm32g431xx.h")}; ${DFUSE_LISTINGS} (CLN17 README); ${AN2606_IDS}`,
		},
		{
			name: "STM32G471/473/474/483/484",
			aliases: ["G471", "G473", "G474", "G483", "G484", "G474RE"],
			flashSizesKb: [128, 256, 512],
			ram: [
				ram("SRAM1+SRAM2+CCM alias", 0x20000000, 128, "sram", `${MAP} (80+16+32 KB)`),
				ram("CCM SRAM", 0x10000000, 32, "ccm", MAP),
			],
			vectorCount: 118,
			deviceIds: [0x469],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash   /0x08000000/256*02Kg"],
				optionBytes: ["@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e"],
				otp: ["@OTP Memory   /0x1FFF7000/01*1024 e"],
			},
			bootloaderIds: [0xd5],
			source: `${cmsisVectors("stm32g474xx.h")}; ${DFUSE_LISTINGS} (G474 README); ${AN2606_IDS}`,
		},
		{
			name: "STM32G491/4A1",
			aliases: ["G491", "G4A1"],
			flashSizesKb: [256, 512],
			ram: [
				ram("SRAM1+SRAM2+CCM alias", 0x20000000, 112, "sram", `${MAP} (80+16+16 KB)`),
				ram("CCM SRAM", 0x10000000, 16, "ccm", MAP),
			],
			vectorCount: 118,
			deviceIds: [0x479],
			usbDfu: true,
			bootloaderIds: [0xd2],
			source: `${cmsisVectors("stm32g491xx.h")}; ${AN2606_IDS}`,
		},
	],
};
