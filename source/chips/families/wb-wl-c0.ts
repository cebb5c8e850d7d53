import { AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM_WB = "RM0434 (STM32WB55/35)";

export const WB: FamilyFacts = {
	family: "WB",
	documents: [RM_WB, "AN2606"],
	optionBytes: { address: 0x1fff8000, size: 128, source: `${RM_WB} §3.4.1 [DFU alt not seen]` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200, 0x2200],
		idAddress: 0x1fff6ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32WB55/35",
			aliases: ["WB55", "WB35", "WB55RG", "WB55CG"],
			deviceIds: [0x495],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash   /0x08000000/256*04Kg"] },
			source: `${DFUSE_LISTINGS}`,
		},
	],
};

const RM_WL = "RM0461 (STM32WLEx)";

export const WL: FamilyFacts = {
	family: "WL",
	documents: [RM_WL, "AN2606"],
	optionBytes: { address: 0x1fff7800, size: 128, source: `${RM_WL} §3.4.1` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [],
		source: `${AN2606_TABLE3} (no USB: USART/SPI/I2C only)`,
	},
	parts: [
		{
			name: "STM32WLE5/E4",
			aliases: ["WLE5", "WLE4", "WL55", "WLE5JC"],
			deviceIds: [0x497],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
	],
};

const RM_C0 = "RM0490 (STM32C0)";

export const C0: FamilyFacts = {
	family: "C0",
	documents: [RM_C0, "AN2606"],
	optionBytes: { address: 0x1fff7800, size: 128, source: `${RM_C0} §3.4.1` },
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x0200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32C011/C031",
			aliases: ["C011", "C031", "C031C6"],
			deviceIds: [0x443, 0x453],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32C071",
			aliases: ["C071"],
			deviceIds: [0x493],
			usbDfu: true,
			source: `${AN2606_TABLE3}`,
		},
	],
};
