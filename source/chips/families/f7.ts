import { AN2606_IDS, AN2606_TABLE3, DFUSE_LISTINGS, ram, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0385 (STM32F75xxx/F74xxx)";
/** 16 KB ITCM RAM at 0, which the generated data does not list (the reference manuals do). */
const ITCM = (source: string) => [ram("ITCM RAM", 0x00000000, 16, "itcm", source)];

export const F7: FamilyFacts = {
	family: "F7",
	documents: [RM, "RM0431 (F72x/F73x)", "RM0410 (F76x/F77x)", "AN2606"],
	optionBytes: { address: 0x1fff0000, size: 32, source: `${RM} §3.4.1 option bytes` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x2200],
		idAddress: 0x1ff0edbe,
		source: AN2606_TABLE3,
	},
	parts: [
		{
			name: "STM32F72x/73x",
			aliases: ["F722", "F723", "F730", "F732", "F733"],
			deviceIds: [0x452],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg"] },
			ramNotInData: ITCM("RM0431 §2.2.2"),
			bootloaderIds: [0x90],
			source: `${DFUSE_LISTINGS} (Betaflight/INAV); ${AN2606_IDS}`,
		},
		{
			name: "STM32F745/746/756",
			aliases: ["F745", "F746", "F756", "F750"],
			deviceIds: [0x449],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg"] },
			ramNotInData: ITCM(`${RM} §2.2.2`),
			bootloaderIds: [0x70],
			source: `${DFUSE_LISTINGS}; ${AN2606_IDS}`,
		},
		{
			name: "STM32F765/767/769",
			aliases: ["F765", "F767", "F769", "F777", "F779"],
			deviceIds: [0x451],
			usbDfu: true,
			layouts: { flash: ["@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg"] },
			ramNotInData: ITCM("RM0410 §2.2.2"),
			bootloaderIds: [0x93],
			source: `layout from MicroPython mboot (ROM listing not seen); ${AN2606_IDS}`,
		},
	],
};
