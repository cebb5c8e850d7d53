import { AN2606_TABLE3, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0444 (STM32G0x1)";

export const G0: FamilyFacts = {
	family: "G0",
	documents: [RM, "RM0454 (STM32G0x0)", "AN2606"],
	optionBytes: { address: 0x1fff7800, size: 128, source: `${RM} §3.4.1 option bytes` },
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x2200, 0x0200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32G03x/04x",
			aliases: ["G030", "G031", "G041"],
			deviceIds: [0x466],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32G07x/08x",
			aliases: ["G070", "G071", "G081"],
			deviceIds: [0x460],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32G0B1/G0C1",
			aliases: ["G0B0", "G0B1", "G0C1"],
			deviceIds: [0x467],
			usbDfu: true,
			source: `${AN2606_TABLE3} (DFU only on G0B0/G0B1/G0C1; no ROM layout listing found)`,
		},
	],
};
