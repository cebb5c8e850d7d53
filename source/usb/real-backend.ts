import { existsSync } from "node:fs";
import { UsbUnavailableError } from "./errors.js";

/** The part of W3C WebUSB's `USB` that bringup uses; node-usb's WebUSB and the simulator both fit. */
export interface UsbLike {
	getDevices(): Promise<USBDevice[]>;
	addEventListener(
		type: "connect" | "disconnect",
		listener: (event: USBConnectionEvent) => void,
	): void;
	removeEventListener(
		type: "connect" | "disconnect",
		listener: (event: USBConnectionEvent) => void,
	): void;
}

export function classifyUsbFailure(error: unknown): UsbUnavailableError {
	const text = error instanceof Error ? error.message : String(error);
	if (!existsSync("/sys/bus/usb") || /\/sys\/bus\/usb.*not found/i.test(text))
		return new UsbUnavailableError("no-subsystem", text);
	if (/EACCES|permission|errno 13|LIBUSB_ERROR_ACCESS/i.test(text))
		return new UsbUnavailableError("permission", text);
	return new UsbUnavailableError("failed", text);
}

/**
 * Loads node-usb only when a real bus is wanted (it is a native module: keep it off the start-up
 * path of --sim and of commands that need no USB), and proves it works with one enumeration.
 */
export async function openRealUsb(): Promise<UsbLike> {
	let mod: typeof import("usb");
	try {
		mod = await import("usb");
	} catch (error) {
		throw new UsbUnavailableError(
			"no-backend",
			error instanceof Error ? error.message : String(error),
		);
	}
	const usb = new mod.WebUSB({ allowAllDevices: true, deviceTimeout: 5000 });
	try {
		await usb.getDevices();
	} catch (error) {
		throw classifyUsbFailure(error);
	}
	return usb as unknown as UsbLike;
}
