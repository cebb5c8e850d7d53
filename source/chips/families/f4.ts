import { AN2606_IDS, AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts, LayoutStrings } from "../types.js";

const RM = "RM0090 (STM32F405/415, F407/417, F427/437, F429/439)";

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
			deviceIds: [0x423, 0x433],
			usbDfu: true,
			layouts: {
				flash: [F4_512K, "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,01*128Kg"],
				...SINGLE_BANK_OB,
			},
			bootloaderIds: [0xd1],
			source: `${AN2606_IDS}; 256 KB string inferred from RM0368 sector map`,
		},
		{
			name: "STM32F405/407",
			aliases: ["F405", "F407", "F415", "F417"],
			deviceIds: [0x413],
			usbDfu: true,
			layouts: { flash: [F4_1MB], ...SINGLE_BANK_OB },
			bootloaderIds: [0x31, 0x90, 0x91],
			bootloaderIdAddress: 0x1fff77de,
			source: `${DFUSE_LISTINGS} (STM32F4DISCOVERY); ${AN2606_IDS} (ID at 0x1FFF77DE)`,
		},
		{
			name: "STM32F411",
			aliases: ["F411", "F411xC", "F411xE", "F411CE", "F411RE"],
			deviceIds: [0x431],
			usbDfu: true,
			layouts: { flash: [F4_512K], ...SINGLE_BANK_OB },
			bootloaderIds: [0xd0],
			source: `${AN2606_IDS}`,
		},
		{
			name: "STM32F412",
			aliases: ["F412", "F412xE", "F412xG"],
			deviceIds: [0x441],
			usbDfu: true,
			layouts: SINGLE_BANK_OB,
			bootloaderIds: [0x90],
			source: `no ROM flash listing seen (RM0402 sector map is F407's); ${AN2606_IDS}`,
		},
		{
			name: "STM32F413/423",
			aliases: ["F413", "F423"],
			deviceIds: [0x463],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/04*016Kg,01*064Kg,11*128Kg"],
				...SINGLE_BANK_OB,
			},
			bootloaderIds: [0x90],
			source: `layout inferred from RM0430 sector map; ${AN2606_IDS}`,
		},
		{
			name: "STM32F427/429",
			aliases: ["F427", "F429", "F437", "F439"],
			deviceIds: [0x419],
			usbDfu: true,
			layouts: DUAL_BANK,
			bootloaderIds: [0x70, 0x91],
			source: `${DFUSE_LISTINGS} (ArduPilot listing); ${AN2606_IDS}`,
		},
		{
			name: "STM32F446",
			aliases: ["F446", "F446RE", "F446ZE"],
			deviceIds: [0x421],
			usbDfu: true,
			layouts: { flash: [F4_512K], ...SINGLE_BANK_OB },
			bootloaderIds: [0x90],
			source: `${DFUSE_LISTINGS} (ID 0x90 at 0x1FFF76DE); ${AN2606_IDS}`,
		},
		{
			name: "STM32F469/479",
			aliases: ["F469", "F479"],
			deviceIds: [0x434],
			usbDfu: true,
			layouts: { optionBytes: DUAL_BANK.optionBytes, otp: DUAL_BANK.otp },
			bootloaderIds: [0x90, 0x93],
			source: `no ROM flash listing seen (RM0386 sector map is F429's); ${AN2606_IDS}`,
		},
	],
};
