import { AN2606_IDS, AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0433 (STM32H742/743/753/750)";

export const H7: FamilyFacts = {
	family: "H7",
	documents: [RM, "AN2606"],
	optionBytes: {
		address: 0x5200201c,
		size: 128,
		source: `${DFUSE_LISTINGS} (OB mapped onto FLASH_OPTSR registers, ${RM} §4.9)`,
	},
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200, 0x0200],
		idAddress: 0x1ff1e7fe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32H742/743/753/750",
			aliases: ["H743", "H742", "H753", "H750", "H743ZI", "H750VB"],
			deviceIds: [0x450],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash   /0x08000000/16*128Kg"],
				optionBytes: ["@Option Bytes   /0x5200201C/01*128 e"],
				otp: ["@OTP Memory /0x08FFF000/01*1024 e"],
			},
			bootloaderIds: [0x90],
			source: `${DFUSE_LISTINGS} (omotion tests, Daisy docs); ${AN2606_IDS}`,
		},
	],
};
