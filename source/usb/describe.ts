import { identify, loadChipIndex } from "../chips/index.js";
import type { Clock } from "../clock.js";
import { describeDfuInterface } from "../dfu/index.js";
import type { Backend, DeviceDescription } from "../store/events.js";
import type { Store } from "../store/store.js";
import { bcdDevice } from "./identity.js";

/** "2.2" for bcdDevice 0x2200: AN3156 puts the bootloader version in the high byte, one digit each. */
export function bootloaderVersion(bcd: number): string {
	return `${(bcd >> 12) & 0xf}.${(bcd >> 8) & 0xf}`;
}

/**
 * Reads a DFU device's interface and alt-setting strings from its descriptors and names the chip.
 * Needs only control transfers on endpoint 0, so it works without claiming the interface.
 */
export async function describeDevice(device: USBDevice): Promise<DeviceDescription> {
	// WebUSB needs the device open for control transfers; leave it as we found it, so that
	// listing a board does not keep it from other tools.
	const wasOpen = device.opened;
	if (!wasOpen) await device.open();
	let info: Awaited<ReturnType<typeof describeDfuInterface>>;
	try {
		info = await describeDfuInterface(device);
	} finally {
		if (!wasOpen) await device.close().catch(() => {});
	}
	const bcd = bcdDevice(device);
	const isStLoader = device.vendorId === 0x0483 && info.protocol === 0x02;
	const input = {
		vendorId: device.vendorId,
		productId: device.productId,
		bcdDevice: bcd,
		...(device.productName ? { product: device.productName } : {}),
		alts: info.alts.map((a) => ({ alt: a.alt, name: a.name })),
	};
	let chip = isStLoader ? identify(input) : undefined;
	// The index of every part is loaded only when the loader facts alone name the chip weakly.
	if (chip?.confidence === "low") chip = identify(input, await loadChipIndex());
	return {
		interfaceNumber: info.interfaceNumber,
		...(info.functional ? { functional: info.functional } : {}),
		alts: info.alts,
		...(chip ? { chip } : {}),
		...(info.protocol === 0x02 ? { bootloaderVersion: bootloaderVersion(bcd) } : {}),
	};
}

/**
 * The watcher's describe step: reads each newly attached DFU device's descriptors into a
 * device.described event (app-mode devices have none; a device gone meanwhile gets no event).
 */
export function describeInto(store: Store, backend: Backend, clock: Clock) {
	return async (device: USBDevice, key: string): Promise<void> => {
		if (store.getState().devices[key]?.identity.mode === "app") return;
		const description = await describeDevice(device);
		if (store.getState().devices[key])
			store.append({
				type: "device.described",
				source: backend,
				at: clock.now(),
				key,
				description,
			});
	};
}
