import type { AddressFact } from "./types.js";

/**
 * Where each family keeps its factory-programmed flash-size word (KB, 16 bits) and 96-bit
 * unique ID, from FLASHSIZE_BASE / UID_BASE in ST's CMSIS device headers
 * (STMicroelectronics/cmsis_device_xx, Include/). Both sit in system memory, which the DFU
 * loader lets a host read, so they can confirm the part behind a DFU device.
 */
export interface DeviceInfoAddresses {
	flashSize: AddressFact;
	uniqueId: AddressFact;
}

function info(header: string, flashSize: number, uniqueId: number, note = ""): DeviceInfoAddresses {
	const source = `ST CMSIS ${header}${note ? ` (${note})` : ""}`;
	return {
		flashSize: { name: "FLASHSIZE", address: flashSize, source: `${source} FLASHSIZE_BASE` },
		uniqueId: { name: "UID", address: uniqueId, source: `${source} UID_BASE` },
	};
}

const DEVICE_INFO: Record<string, DeviceInfoAddresses> = {
	F0: info("stm32f072xb.h", 0x1ffff7cc, 0x1ffff7ac),
	F1: info("stm32f103xb.h", 0x1ffff7e0, 0x1ffff7e8),
	F2: info("stm32f207xx.h", 0x1fff7a22, 0x1fff7a10),
	F3: info("stm32f303xc.h", 0x1ffff7cc, 0x1ffff7ac),
	F4: info("stm32f407xx.h", 0x1fff7a22, 0x1fff7a10),
	F7: info("stm32f746xx.h", 0x1ff0f442, 0x1ff0f420),
	G0: info("stm32g071xx.h", 0x1fff75e0, 0x1fff7590),
	G4: info("stm32g474xx.h", 0x1fff75e0, 0x1fff7590),
	H7: info("stm32h743xx.h", 0x1ff1e880, 0x1ff1e800),
	L0: info("stm32l073xx.h", 0x1ff8007c, 0x1ff80050),
	L1: info(
		"stm32l152xc.h",
		0x1ff800cc,
		0x1ff800d0,
		"cat.3 and up; cat.1/2 use 0x1FF8004C and 0x1FF80050",
	),
	L4: info("stm32l476xx.h", 0x1fff75e0, 0x1fff7590),
	"L4+": info("stm32l4r5xx.h", 0x1fff75e0, 0x1fff7590),
	L5: info("stm32l552xx.h", 0x0bfa05e0, 0x0bfa0590),
	U5: info("stm32u575xx.h", 0x0bfa07a0, 0x0bfa0700),
	WB: info("stm32wb55xx.h", 0x1fff75e0, 0x1fff7590),
	WL: info("stm32wle5xx.h", 0x1fff75e0, 0x1fff7590, "ENGI_BYTES_BASE 0x1FFF7400 + offsets"),
	C0: info("stm32c031xx.h", 0x1fff75a0, 0x1fff7550),
};

export function deviceInfoAddresses(family: string): DeviceInfoAddresses | undefined {
	return DEVICE_INFO[family];
}
