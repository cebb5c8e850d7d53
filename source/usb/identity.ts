import type { Backend, DeviceIdentity, DeviceMode } from "../store/events.js";

const DFU_CLASS = 0xfe;
const DFU_SUBCLASS = 0x01;
const DFU_PROTOCOL_RUNTIME = 0x01;
const DFU_PROTOCOL_DFU = 0x02;

/** DFU mode, run-time DFU (an app that can detach into DFU) or a plain app device. */
export function deviceMode(device: USBDevice): DeviceMode {
	let runtime = false;
	for (const config of device.configurations ?? []) {
		for (const iface of config.interfaces) {
			for (const alt of iface.alternates) {
				if (alt.interfaceClass !== DFU_CLASS || alt.interfaceSubclass !== DFU_SUBCLASS) continue;
				if (alt.interfaceProtocol === DFU_PROTOCOL_DFU) return "dfu";
				if (alt.interfaceProtocol === DFU_PROTOCOL_RUNTIME) runtime = true;
			}
		}
	}
	return runtime ? "runtime" : "app";
}

/** node-usb's devices carry bus and port numbers; dfu-util prints them as `-p 1-1.4`. */
export function devicePath(device: USBDevice): string | undefined {
	const d = device as USBDevice & { bus?: string | number; ports?: number[] };
	if (d.bus === undefined || !Array.isArray(d.ports) || d.ports.length === 0) return undefined;
	return `${Number(d.bus)}-${d.ports.join(".")}`;
}

export function bcdDevice(device: USBDevice): number {
	return (
		(device.deviceVersionMajor << 8) |
		((device.deviceVersionMinor & 0xf) << 4) |
		(device.deviceVersionSubminor & 0xf)
	);
}

export function identify(device: USBDevice, key: string, backend: Backend): DeviceIdentity {
	const path = devicePath(device);
	return {
		key,
		backend,
		vendorId: device.vendorId,
		productId: device.productId,
		bcdDevice: bcdDevice(device),
		...(device.manufacturerName ? { manufacturer: device.manufacturerName } : {}),
		...(device.productName ? { product: device.productName } : {}),
		...(device.serialNumber ? { serial: device.serialNumber } : {}),
		...(path ? { path } : {}),
		mode: deviceMode(device),
	};
}

export { hex4 } from "../format.js";
