import { AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0008 (STM32F101/102/103/105/107)";

export const F1: FamilyFacts = {
	family: "F1",
	documents: [RM, "AN2606", "AN2662 (F105/F107 DFU)"],
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
			deviceIds: [0x410],
			usbDfu: false,
			source: `AN2606: F103 has no USB DFU in ROM`,
		},
		{
			name: "STM32F101/103 high density",
			aliases: ["F103xC", "F103xD", "F103xE", "F103RC", "F103RE", "F103ZE"],
			deviceIds: [0x414],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32F105/107",
			aliases: ["F105", "F107"],
			deviceIds: [0x418],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/128*002Kg"],
				optionBytes: ["@Option Bytes  /0x1FFFF800/01*016 g"],
			},
			source: `${DFUSE_LISTINGS} (iProduct "STM32 0x418 DFU Bootloader")`,
		},
	],
};
