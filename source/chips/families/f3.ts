import { AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0316 (STM32F303/F302/F358/F398)";

export const F3: FamilyFacts = {
	family: "F3",
	documents: [RM, "AN2606"],
	optionBytes: { address: 0x1ffff800, size: 16, source: `${RM} §4.3 option bytes` },
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x2200], source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}` },
	parts: [
		{
			name: "STM32F302/303xB/C",
			aliases: ["F303", "F302", "F303xC", "F303xB", "F303VC", "F303CC"],
			deviceIds: [0x422],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/128*0002Kg"] },
			source: `${DFUSE_LISTINGS} (F303xC)`,
		},
		{
			name: "STM32F302/303xD/E",
			aliases: ["F303xD", "F303xE", "F303RE", "F303ZE"],
			deviceIds: [0x446],
			usbDfu: true,
			source: AN2606_TABLE3,
		},
	],
};
