import { AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0038 (STM32L100/151/152/162)";

export const L1: FamilyFacts = {
	family: "L1",
	documents: [RM, "AN2606"],
	optionBytes: { address: 0x1ff80000, size: 32, source: `${RM} §3.6.1` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1ff01ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32L15x cat.1/2",
			aliases: ["L151x8", "L151xB", "L152xB", "L100"],
			deviceIds: [0x416, 0x429],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32L15x cat.3",
			aliases: ["L151xC", "L152xC", "L152RC"],
			deviceIds: [0x427],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/1024*256 g"] },
			source: `${DFUSE_LISTINGS} (256 B pages, DATA 2×4 KB)`,
		},
		{
			name: "STM32L15x cat.5/6",
			aliases: ["L151xE", "L152xE", "L152RE", "L151", "L152"],
			deviceIds: [0x437, 0x436],
			usbDfu: true,
			source: AN2606_TABLE3,
		},
	],
};
