/**
 * The one seam of the simulated chip: a USB setup packet in, an answer out. The WebUSB fake and
 * the USB/IP export both speak to a board through exactly this.
 */
export interface SetupPacket {
	bmRequestType: number;
	bRequest: number;
	wValue: number;
	wIndex: number;
	wLength: number;
}

export type SetupResult = { status: "ok"; data?: Uint8Array } | { status: "stall" };

export const STALL: SetupResult = { status: "stall" };

export function ok(data?: Uint8Array): SetupResult {
	return data ? { status: "ok", data } : { status: "ok" };
}

/** bmRequestType bit 7: 1 = device to host. */
export function isDeviceToHost(setup: SetupPacket): boolean {
	return (setup.bmRequestType & 0x80) !== 0;
}

/** bmRequestType bits 6..5: 0 standard, 1 class, 2 vendor. */
export function requestKind(setup: SetupPacket): "standard" | "class" | "vendor" | "reserved" {
	return (["standard", "class", "vendor", "reserved"] as const)[(setup.bmRequestType >> 5) & 3]!;
}

/** bmRequestType bits 4..0: 0 device, 1 interface, 2 endpoint, 3 other. */
export function recipient(setup: SetupPacket): number {
	return setup.bmRequestType & 0x1f;
}

/** Standard requests (USB 2.0 Table 9-4). */
export const StandardRequest = {
	GET_STATUS: 0,
	CLEAR_FEATURE: 1,
	SET_FEATURE: 3,
	SET_ADDRESS: 5,
	GET_DESCRIPTOR: 6,
	SET_DESCRIPTOR: 7,
	GET_CONFIGURATION: 8,
	SET_CONFIGURATION: 9,
	GET_INTERFACE: 10,
	SET_INTERFACE: 11,
} as const;

export const DescriptorType = {
	DEVICE: 1,
	CONFIGURATION: 2,
	STRING: 3,
	INTERFACE: 4,
	ENDPOINT: 5,
	DEVICE_QUALIFIER: 6,
	DFU_FUNCTIONAL: 0x21,
} as const;
