import { AN2606_IDS, AN2606_TABLE3, DFUSE_LISTINGS, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0440 (STM32G4)";

export const G4: FamilyFacts = {
	family: "G4",
	documents: [RM, "AN2606"],
	optionBytes: { address: 0x1fff7800, size: 48, source: `${RM} §5.4.1; ${DFUSE_LISTINGS}` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200],
		idAddress: 0x1fff6ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32G431/441",
			aliases: ["G431", "G441", "G431KB", "G431CB", "G431RB"],
			deviceIds: [0x468],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash   /0x08000000/64*02Kg"],
				optionBytes: ["@Option Bytes   /0x1FFF7800/01*40Be"],
				otp: ["@OTP Memory   /0x1FFF7000/01*01Ke"],
			},
			bootloaderIds: [0xd4],
			source: `${DFUSE_LISTINGS} (CLN17 README); ${AN2606_IDS}`,
		},
		{
			name: "STM32G471/473/474/483/484",
			aliases: ["G471", "G473", "G474", "G483", "G484", "G474RE"],
			deviceIds: [0x469],
			usbDfu: true,
			layouts: {
				flash: ["@Internal Flash   /0x08000000/256*02Kg"],
				optionBytes: ["@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e"],
				otp: ["@OTP Memory   /0x1FFF7000/01*1024 e"],
			},
			bootloaderIds: [0xd5],
			source: `${DFUSE_LISTINGS} (G474 README); ${AN2606_IDS}`,
		},
		{
			name: "STM32G491/4A1",
			aliases: ["G491", "G4A1"],
			deviceIds: [0x479],
			usbDfu: true,
			bootloaderIds: [0xd2],
			source: `${AN2606_IDS}`,
		},
	],
};
