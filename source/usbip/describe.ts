import type { ExportableBoard } from "./exportable.js";
import type { ExportedDevice, ExportedInterface, SetupPacket } from "./protocol.js";
import { USB_SPEED_FULL } from "./protocol.js";

const GET_DESCRIPTOR = 6;
const DEVICE_TO_HOST_STANDARD_DEVICE = 0x80;
const DESCRIPTOR_DEVICE = 1;
const DESCRIPTOR_CONFIGURATION = 2;
const DESCRIPTOR_INTERFACE = 4;

export interface DeviceDescriptorFields {
	idVendor: number;
	idProduct: number;
	bcdDevice: number;
	deviceClass: number;
	deviceSubclass: number;
	deviceProtocol: number;
	numConfigurations: number;
}

export function parseDeviceDescriptor(bytes: Uint8Array): DeviceDescriptorFields {
	if (bytes.length < 18 || bytes[1] !== DESCRIPTOR_DEVICE)
		throw new Error(`not a device descriptor (${bytes.length} bytes)`);
	const word = (at: number) => bytes[at]! | (bytes[at + 1]! << 8);
	return {
		idVendor: word(8),
		idProduct: word(10),
		bcdDevice: word(12),
		deviceClass: bytes[4]!,
		deviceSubclass: bytes[5]!,
		deviceProtocol: bytes[6]!,
		numConfigurations: bytes[17]!,
	};
}

/** Interfaces at alternate setting 0, in the order the configuration descriptor lists them. */
export function parseConfigurationInterfaces(bytes: Uint8Array): {
	configurationValue: number;
	interfaces: ExportedInterface[];
} {
	if (bytes.length < 9 || bytes[1] !== DESCRIPTOR_CONFIGURATION)
		throw new Error(`not a configuration descriptor (${bytes.length} bytes)`);
	const interfaces: ExportedInterface[] = [];
	for (let at = bytes[0]!; at + 1 < bytes.length; ) {
		const length = bytes[at]!;
		if (length < 2) break;
		if (bytes[at + 1] === DESCRIPTOR_INTERFACE && length >= 9 && bytes[at + 3] === 0)
			interfaces.push({
				interfaceClass: bytes[at + 5]!,
				interfaceSubclass: bytes[at + 6]!,
				interfaceProtocol: bytes[at + 7]!,
			});
		at += length;
	}
	return { configurationValue: bytes[5]!, interfaces };
}

async function getDescriptor(
	board: ExportableBoard,
	type: number,
	length: number,
): Promise<Uint8Array> {
	const setup: SetupPacket = {
		bmRequestType: DEVICE_TO_HOST_STANDARD_DEVICE,
		bRequest: GET_DESCRIPTOR,
		wValue: type << 8,
		wIndex: 0,
		wLength: length,
	};
	const result = await board.handleSetup(setup);
	if (result.status !== "ok" || !result.data)
		throw new Error(`${board.name}: GET_DESCRIPTOR(${type}) stalled`);
	return result.data;
}

/**
 * Builds the USB/IP device record from the device's own descriptors (the ones the importing
 * kernel will read through the setup entry point), so the record cannot disagree with them.
 */
export async function describeExport(
	board: ExportableBoard,
	place: { busid: string; busnum: number; devnum: number },
): Promise<ExportedDevice> {
	const known = board.descriptors?.();
	const device = parseDeviceDescriptor(
		known?.device ?? (await getDescriptor(board, DESCRIPTOR_DEVICE, 18)),
	);
	let configuration = known?.configuration;
	if (!configuration) {
		const head = await getDescriptor(board, DESCRIPTOR_CONFIGURATION, 9);
		const total = (head[2] ?? 0) | ((head[3] ?? 0) << 8);
		configuration = await getDescriptor(board, DESCRIPTOR_CONFIGURATION, Math.max(9, total));
	}
	const config = parseConfigurationInterfaces(configuration);
	return {
		path: `/sys/devices/platform/bringup-sim/usb${place.busnum}/${place.busid}`,
		busid: place.busid,
		busnum: place.busnum,
		devnum: place.devnum,
		// The STM32 system bootloaders are full-speed devices.
		speed: USB_SPEED_FULL,
		...device,
		configurationValue: config.configurationValue,
		interfaces: config.interfaces,
	};
}
