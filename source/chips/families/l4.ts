import { AN2606_TABLE3, DFUSE_LISTINGS, ram, ST_DFU_IDS } from "../facts-helpers.js";
import type { FamilyFacts } from "../types.js";

const RM = "RM0351 (STM32L47x/48x/49x/4Ax)";
export const L4: FamilyFacts = {
	family: "L4",
	documents: [RM, "RM0394 (L43x/44x/45x/46x)", "AN2606"],
	optionBytes: { address: 0x1fff7800, size: 40, source: `${RM} §3.4.1; ${DFUSE_LISTINGS}` },
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200, 0x2200],
		idAddress: 0x1fff6ffe,
		source: `${AN2606_TABLE3}; ${DFUSE_LISTINGS}`,
	},
	parts: [
		{
			name: "STM32L45x/46x",
			aliases: ["L451", "L452", "L462", "L452RE"],
			deviceIds: [0x462],
			usbDfu: true,
			source: AN2606_TABLE3,
		},
		{
			name: "STM32L47x/48x",
			aliases: ["L475", "L476", "L486", "L476RG"],
			deviceIds: [0x415],
			usbDfu: true,
			// 512 pages of 2 KB is 1 MB: an L47x/L48x's flash in ST's data (no L45x/L46x has
			// more than 512 KB).
			layouts: {
				flash: ["@Internal Flash  /0x08000000/512*0002Kg"],
				optionBytes: ["@Option Bytes  /0x1FFF7800/01*040 e"],
				otp: ["@OTP Memory /0x1FFF7000/01*0001Kg"],
			},
			source: `${DFUSE_LISTINGS} (Proffieboard flasher); ${AN2606_TABLE3}`,
		},
	],
};

const RM_PLUS = "RM0432 (STM32L4+)";

export const L4_PLUS: FamilyFacts = {
	family: "L4+",
	documents: [RM_PLUS, "AN2606"],
	optionBytes: {
		address: 0x1ff00000,
		size: 40,
		source: `${RM_PLUS} §3.4.1 [DFU alt address not seen]`,
	},
	bootloader: {
		...ST_DFU_IDS,
		bcdDevice: [0x0200, 0x2200],
		idAddress: 0x1fff6ffe,
		source: AN2606_TABLE3,
	},
	parts: [
		{
			name: "STM32L4R/L4S",
			aliases: ["L4R5", "L4R7", "L4R9", "L4S5", "L4S7", "L4S9"],
			deviceIds: [0x470],
			usbDfu: true,
			// The data lists SRAM2 only inside SRAM1..3 at 0x20030000.
			ramNotInData: [ram("SRAM2", 0x10000000, 64, "sram", `${RM_PLUS} §2.2.2 (SRAM2 alias)`)],
			source: AN2606_TABLE3,
		},
	],
};
