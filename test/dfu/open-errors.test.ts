import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { DeviceBusyError, DevicePermissionError, openDfu } from "../../source/dfu/index.js";
import { errorInfo } from "../../source/errors.js";

/** A device the OS will not hand over: open() rejects the way node-usb reports it. */
function refusing(message: string): USBDevice {
	return {
		opened: false,
		vendorId: 0x0483,
		productId: 0xdf11,
		open: () => Promise.reject(new Error(message)),
	} as unknown as USBDevice;
}

describe("opening a device the OS refuses", () => {
	it("names missing permission, with the udev rule, as exit 3", async () => {
		const error = await openDfu(
			refusing("LIBUSB_ERROR_ACCESS: Access denied (insufficient permissions)"),
			{
				clock: new VirtualClock(),
			},
		).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DevicePermissionError);
		expect((error as DevicePermissionError).exitCode).toBe(3);
		expect((error as DevicePermissionError).hint).toMatch(/udev rule for 0483:df11/);
	});

	it("says another program holds it", async () => {
		const error = await openDfu(refusing("Device or resource busy (os error 16)"), {
			clock: new VirtualClock(),
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(DeviceBusyError);
		expect((error as DeviceBusyError).message).toMatch(/in use by another program/);
	});
});

describe("a device whose descriptors are cut short", () => {
	it("is a typed device error naming the descriptors, not an internal one", async () => {
		const device = {
			opened: true,
			vendorId: 0x0483,
			productId: 0xdf11,
			open: () => Promise.resolve(),
			close: () => Promise.resolve(),
			selectConfiguration: () => Promise.resolve(),
			claimInterface: () => Promise.resolve(),
			configuration: undefined,
			// GET_DESCRIPTOR(configuration) answers 2 bytes where at least 9 are due.
			controlTransferIn: () =>
				Promise.resolve({ status: "ok", data: new DataView(Uint8Array.of(9, 2).buffer) }),
		} as unknown as USBDevice;
		const error = await openDfu(device, { clock: new VirtualClock() }).catch((e: unknown) => e);
		expect(errorInfo(error)).toMatchObject({
			kind: "descriptor",
			message: expect.stringMatching(
				/USB descriptors cannot be read: configuration descriptor too short/,
			),
			hint: expect.stringMatching(/Replug/),
		});
	});
});
