import { AN2606_TABLE3, ram, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM_L5 = "RM0438 (STM32L552/562)";

export const L5: FamilyFacts = {
	family: "L5",
	documents: [RM_L5, "AN2606"],
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x0200, 0x2200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32L552/562",
			aliases: ["L552", "L562", "L552ZE"],
			deviceIds: [0x472],
			usbDfu: true,
			source: AN2606_TABLE3,
		},
	],
};

const RM_U5 = "RM0456 (STM32U5)";

export const U5: FamilyFacts = {
	family: "U5",
	documents: [RM_U5, "AN2606"],
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x0200, 0x2200], source: AN2606_TABLE3 },
	parts: [
		{
			name: "STM32U575/585",
			aliases: ["U575", "U585", "U575ZI"],
			deviceIds: [0x482],
			usbDfu: true,
			ramNotInData: [ram("SRAM4", 0x28000000, 16, "sram", `${RM_U5} §2.3.2`)],
			source: AN2606_TABLE3,
		},
	],
};
