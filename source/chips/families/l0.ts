import { AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0367/RM0377/RM0376 (STM32L0)";

export const L0: FamilyFacts = {
	family: "L0",
	documents: [RM, "AN2606"],
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
			deviceIds: [0x457],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32L07x/08x",
			aliases: ["L072", "L073", "L082", "L083", "L073RZ"],
			deviceIds: [0x447],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/1536*128g"],
				optionBytes: ["@Option Bytes  /0x1FF80000/01*032 e"],
			},
			source: `${DFUSE_LISTINGS} (bigclown notes, L0x3 192 KB)`,
		},
	],
};
