import {
	AN2606_IDS,
	AN2606_TABLE3,
	at,
	cmsisVectors,
	DFUSE_LISTINGS,
	ram,
	ST_DFU_IDS,
} from "../facts-helpers.js";
import type { FamilyFacts, LayoutStrings, RamRegion } from "../types.js";

const RM = "RM0090 (STM32F405/415, F407/417, F427/437, F429/439)";
const MAP = `${RM} §2.3 memory map`;
const CCM = (source: string): RamRegion => ram("CCM RAM", 0x10000000, 64, "ccm", source);

/** F4 loaders report OB and OTP like this on the single-bank parts (docs/dfuse-protocol.md §1c). */
const SINGLE_BANK_OB: LayoutStrings = {
	optionBytes: ["@Option Bytes  /0x1FFFC000/01*016 e", "@Option Bytes  /0x1FFFC000/01*016 g"],
	otp: ["@OTP Memory /0x1FFF7800/01*512 e,01*016 e", "@OTP Memory /0x1FFF7800/01*512 g,01*016 g"],
};

/** F42x/43x and F469/479: two OB runs, one per bank (RM0090 §3.7 Table 15; docs/dfuse-protocol.md §1c). */
const DUAL_BANK: LayoutStrings = {
	flash: ["@Internal Flash /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg"],
	optionBytes: ["@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e"],
	otp: ["@OTP Memory /0x1FFF7800/01*512 e,01*016 e/0x1FFE7800/01*512 e,01*016 e"],
};

const F4_1MB = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg";
const F4_512K = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg";

export const F4: FamilyFacts = {
	family: "F4",
	documents: [
		RM,
		"RM0368 (F401)",
		"RM0383 (F411)",
		"RM0402 (F412)",
		"RM0430 (F413)",
		"RM0390 (F446)",
		"RM0386 (F469)",
		"AN2606",
	],
	core: "Cortex-M4",
	fpu: "single",
	flash: { base: 0x08000000, source: MAP },
	peripherals: [
		at("RCC", 0x40023800, MAP),
		at("GPIOA", 0x40020000, MAP),
		at("GPIOB", 0x40020400, MAP),
		at("GPIOC", 0x40020800, MAP),
		at("GPIOD", 0x40020c00, MAP),
		at("FLASH", 0x40023c00, MAP),
		at("SYSCFG", 0x40013800, MAP),
		at("PWR", 0x40007000, MAP),
	],
	registers: [
		at("RCC_AHB1ENR", 0x40023830, `${RM} §7.3.10 (GPIOAEN bit 0)`),
		at("RCC_APB1ENR", 0x40023840, `${RM} §7.3.13`),
		at("RCC_APB2ENR", 0x40023844, `${RM} §7.3.14`),
		at("FLASH_ACR", 0x40023c00, `${RM} §3.9.1`),
		at("FLASH_KEYR", 0x40023c04, `${RM} §3.9.2`),
		at("GPIOA_MODER", 0x40020000, `${RM} §8.4.1`),
		at("GPIOA_ODR", 0x40020014, `${RM} §8.4.6`),
		at("GPIOA_BSRR", 0x40020018, `${RM} §8.4.7`),
		at("GPIOD_ODR", 0x40020c14, `${RM} §8.4.6`),
	],
	optionBytes: {
		address: 0x1fffc000,
		size: 16,
		source: `${RM} §3.7 Table 15; docs/dfuse-protocol.md §1e`,
	},
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2100, 0x2200],
		// 0x1FFF77DE on F40x/41x, 0x1FFF76DE on the later parts (per part below).
		idAddress: 0x1fff76de,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32F401",
			aliases: ["F401", "F401xC", "F401xE", "F401CC", "F401CE", "F401RE"],
			flashSizesKb: [128, 256, 384, 512],
			ram: [ram("SRAM", 0x20000000, 96, "sram", "RM0368 §2.3 (64 KB on xB/xC, 96 KB on xD/xE)")],
			vectorCount: 101,
			deviceIds: [0x423, 0x433],
			usbDfu: true,
			layouts: {
				flash: [F4_512K, "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,01*128Kg"],
				...SINGLE_BANK_OB,
			},
			bootloaderIds: [0xd1],
			source: `${cmsisVectors("stm32f401xe.h")}; ${AN2606_IDS}; 256 KB string inferred from RM0368 sector map`,
		},
		{
			name: "STM32F405/407",
			aliases: ["F405", "F407", "F415", "F417"],
			flashSizesKb: [512, 1024],
			ram: [ram("SRAM1+SRAM2", 0x20000000, 128, "sram", MAP), CCM(MAP)],
			vectorCount: 98,
			deviceIds: [0x413],
			usbDfu: true,
			layouts: { flash: [F4_1MB], ...SINGLE_BANK_OB },
			bootloaderIds: [0x31, 0x90, 0x91],
			bootloaderIdAddress: 0x1fff77de,
			source: `${cmsisVectors("stm32f407xx.h")}; ${DFUSE_LISTINGS} (STM32F4DISCOVERY); ${AN2606_IDS} (ID at 0x1FFF77DE)`,
		},
		{
			name: "STM32F411",
			aliases: ["F411", "F411xC", "F411xE", "F411CE", "F411RE"],
			flashSizesKb: [256, 512],
			ram: [ram("SRAM", 0x20000000, 128, "sram", "RM0383 §2.3")],
			vectorCount: 102,
			deviceIds: [0x431],
			usbDfu: true,
			layouts: { flash: [F4_512K], ...SINGLE_BANK_OB },
			bootloaderIds: [0xd0],
			source: `${cmsisVectors("stm32f411xe.h")}; ${AN2606_IDS}`,
		},
		{
			name: "STM32F412",
			aliases: ["F412", "F412xE", "F412xG"],
			flashSizesKb: [512, 1024],
			ram: [ram("SRAM", 0x20000000, 256, "sram", "RM0402 §2.3")],
			vectorCount: 113,
			deviceIds: [0x441],
			usbDfu: true,
			layouts: SINGLE_BANK_OB,
			bootloaderIds: [0x90],
			source: `${cmsisVectors("stm32f412zx.h")}; no ROM flash listing seen (RM0402 sector map is F407's); ${AN2606_IDS}`,
		},
		{
			name: "STM32F413/423",
			aliases: ["F413", "F423"],
			flashSizesKb: [1024, 1536],
			ram: [ram("SRAM", 0x20000000, 320, "sram", "RM0430 §2.3")],
			vectorCount: 118,
			deviceIds: [0x463],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/04*016Kg,01*064Kg,11*128Kg"],
				...SINGLE_BANK_OB,
			},
			bootloaderIds: [0x90],
			source: `${cmsisVectors("stm32f413xx.h")}; layout inferred from RM0430 sector map; ${AN2606_IDS}`,
		},
		{
			name: "STM32F427/429",
			aliases: ["F427", "F429", "F437", "F439"],
			flashSizesKb: [1024, 2048],
			ram: [ram("SRAM1+SRAM2+SRAM3", 0x20000000, 192, "sram", MAP), CCM(MAP)],
			vectorCount: 107,
			deviceIds: [0x419],
			usbDfu: true,
			layouts: DUAL_BANK,
			bootloaderIds: [0x70, 0x91],
			source: `${cmsisVectors("stm32f429xx.h")}; ${DFUSE_LISTINGS} (ArduPilot listing); ${AN2606_IDS}`,
		},
		{
			name: "STM32F446",
			aliases: ["F446", "F446RE", "F446ZE"],
			flashSizesKb: [256, 512],
			ram: [ram("SRAM1+SRAM2", 0x20000000, 128, "sram", "RM0390 §2.3")],
			vectorCount: 113,
			deviceIds: [0x421],
			usbDfu: true,
			layouts: { flash: [F4_512K], ...SINGLE_BANK_OB },
			bootloaderIds: [0x90],
			source: `${cmsisVectors("stm32f446xx.h")}; ${DFUSE_LISTINGS} (ID 0x90 at 0x1FFF76DE); ${AN2606_IDS}`,
		},
		{
			name: "STM32F469/479",
			aliases: ["F469", "F479"],
			flashSizesKb: [512, 1024, 2048],
			ram: [ram("SRAM1+SRAM2+SRAM3", 0x20000000, 320, "sram", "RM0386 §2.3"), CCM("RM0386 §2.3")],
			vectorCount: 109,
			deviceIds: [0x434],
			usbDfu: true,
			layouts: { optionBytes: DUAL_BANK.optionBytes, otp: DUAL_BANK.otp },
			bootloaderIds: [0x90, 0x93],
			source: `${cmsisVectors("stm32f469xx.h")}; no ROM flash listing seen (RM0386 sector map is F429's); ${AN2606_IDS}`,
		},
	],
};
