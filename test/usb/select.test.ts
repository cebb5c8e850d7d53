import { describe, expect, it } from "vitest";
import type { DeviceIdentity } from "../../source/store/events.js";
import { createStore } from "../../source/store/store.js";
import { NoDeviceError } from "../../source/usb/errors.js";
import { type DeviceSelection, selectOne } from "../../source/usb/select.js";

const f407: DeviceIdentity = {
	key: "sim:1",
	backend: "sim",
	vendorId: 0x0483,
	productId: 0xdf11,
	bcdDevice: 0x2200,
	serial: "315A28A0B956",
	mode: "dfu",
};

function stateWith(devices: DeviceIdentity[]) {
	const store = createStore({ now: () => 0 });
	for (const device of devices) store.append({ type: "device.attached", source: "sim", device });
	return store.getState();
}

const select = (over: Partial<DeviceSelection>): DeviceSelection => ({
	ids: [],
	paths: [],
	serials: [],
	wait: false,
	...over,
});

describe("selectOne", () => {
	it("a filter that misses an attached DFU device says so, instead of asking for DFU mode", () => {
		let caught: unknown;
		try {
			selectOne(stateWith([f407]), select({ serials: ["NOPE"] }));
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(NoDeviceError);
		const error = caught as NoDeviceError;
		expect(error.message).toBe(
			"No DFU device matches -S NOPE (1 DFU device attached that does not match).",
		);
		expect(error.hint).toMatch(/bringup list/);
		expect(error.hint).not.toMatch(/BOOT0/);
	});

	it("with nothing in DFU mode it asks for DFU mode", () => {
		const app = { ...f407, key: "sim:2", productId: 0x5740, mode: "app" as const };
		expect(() => selectOne(stateWith([app]), select({}))).toThrow(
			expect.objectContaining({ hint: expect.stringMatching(/BOOT0 high/) }),
		);
	});

	it("picks the one device the serial names", () => {
		const other = { ...f407, key: "sim:2", serial: "OTHER" };
		expect(selectOne(stateWith([f407, other]), select({ serials: ["OTHER"] }))).toBe("sim:2");
	});
});
