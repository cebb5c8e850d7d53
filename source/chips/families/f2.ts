import { AN2606_IDS, AN2606_TABLE3, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0033 (STM32F205/207/215/217)";

export const F2: FamilyFacts = {
	family: "F2",
	documents: [RM, "AN2606"],
	optionBytes: { address: 0x1fffc000, size: 16, source: `${RM} §2.8 option bytes` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1fff77de,
		source: AN2606_TABLE3,
	},
	parts: [
		{
			name: "STM32F205/207",
			aliases: ["F205", "F207", "F215", "F217"],
			deviceIds: [0x411],
			usbDfu: true,
			bootloaderIds: [0x33],
			source: `${AN2606_IDS}; no ROM layout listing seen (sector map ${RM} §2.3.3 matches F407's)`,
		},
	],
};
