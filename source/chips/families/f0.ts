import { AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0091 (STM32F0x1/x2/x8)";

export const F0: FamilyFacts = {
	family: "F0",
	documents: [RM, "RM0360 (STM32F030/F070)", "AN2606"],
	optionBytes: {
		address: 0x1ffff800,
		size: 16,
		source: `${RM} §4 option bytes; ${DFUSE_LISTINGS}`,
	},
	bootloader: { ...ST_DFU_IDS, bcdDevice: [0x2200], source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}` },
	parts: [
		{
			name: "STM32F03x/F05x",
			aliases: ["F030", "F031", "F038", "F051", "F058"],
			deviceIds: [0x444, 0x440],
			usbDfu: false,
			source: `${AN2606_TABLE3} (USART/I2C only)`,
		},
		{
			name: "STM32F04x",
			aliases: ["F042", "F048"],
			deviceIds: [0x445],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/032*0001Kg"],
				optionBytes: ["@Option Bytes  /0x1FFFF800/01*016 e"],
			},
			source: `${DFUSE_LISTINGS} (F042x6 inferred)`,
		},
		{
			name: "STM32F07x",
			aliases: ["F070", "F072", "F078"],
			deviceIds: [0x448],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash  /0x08000000/064*0002Kg"],
				optionBytes: ["@Option Bytes  /0x1FFFF800/01*016 e"],
			},
			source: `${DFUSE_LISTINGS} (F072xB)`,
		},
		{
			name: "STM32F09x",
			aliases: ["F091", "F098"],
			deviceIds: [0x442],
			usbDfu: false,
			source: AN2606_TABLE3,
		},
	],
};
