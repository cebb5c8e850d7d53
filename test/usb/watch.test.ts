import { describe, expect, it } from "vitest";
import { timersFromClock, VirtualClock } from "../../source/clock.js";
import { createStore } from "../../source/store/store.js";
import type { UsbLike } from "../../source/usb/real-backend.js";
import { watchDevices } from "../../source/usb/watch.js";

function fakeDevice(productId: number, protocol: number): USBDevice {
	return {
		vendorId: 0x0483,
		productId,
		deviceVersionMajor: 0x22,
		deviceVersionMinor: 0,
		deviceVersionSubminor: 0,
		serialNumber: `S${productId}`,
		configurations: [
			{
				interfaces: [
					{
						alternates: [
							{ interfaceClass: 0xfe, interfaceSubclass: 1, interfaceProtocol: protocol },
						],
					},
				],
			},
		],
	} as unknown as USBDevice;
}

class FakeUsb implements UsbLike {
	devices: USBDevice[] = [];
	listeners = new Map<string, Set<(e: USBConnectionEvent) => void>>();
	async getDevices() {
		return [...this.devices];
	}
	addEventListener(type: string, l: (e: USBConnectionEvent) => void) {
		if (!this.listeners.has(type)) this.listeners.set(type, new Set());
		this.listeners.get(type)!.add(l);
	}
	removeEventListener(type: string, l: (e: USBConnectionEvent) => void) {
		this.listeners.get(type)?.delete(l);
	}
	emit(type: "connect" | "disconnect", device: USBDevice) {
		if (type === "connect") this.devices.push(device);
		else this.devices = this.devices.filter((d) => d !== device);
		for (const l of this.listeners.get(type) ?? []) l({ device } as USBConnectionEvent);
	}
}

describe("device watch", () => {
	it("turns hotplug events into attached/detached events with a mode", () => {
		const usb = new FakeUsb();
		const store = createStore();
		const watch = watchDevices({ usb, backend: "sim", store, clock: new VirtualClock() });
		const loader = fakeDevice(0xdf11, 2);
		usb.emit("connect", loader);
		const [key] = store.getState().deviceOrder;
		expect(store.getState().devices[key!]!.identity).toMatchObject({
			mode: "dfu",
			productId: 0xdf11,
			bcdDevice: 0x2200,
		});
		expect(watch.device(key!)).toBe(loader);
		usb.emit("disconnect", loader);
		expect(store.getState().deviceOrder).toEqual([]);
		watch.stop();
	});

	it("finds devices by polling when no hotplug event arrives (no udev)", async () => {
		const usb = new FakeUsb();
		const store = createStore();
		const watch = watchDevices({ usb, backend: "usb", store, clock: new VirtualClock() });
		const app = fakeDevice(0x5740, 1);
		usb.devices.push(app);
		await watch.refresh();
		expect(store.getState().deviceOrder).toHaveLength(1);
		expect(Object.values(store.getState().devices)[0]!.identity.mode).toBe("runtime");
		usb.devices = [];
		await watch.refresh();
		expect(store.getState().deviceOrder).toHaveLength(0);
		watch.stop();
	});

	it("polls on the timers it is given: a manual VirtualClock's time, not wall time", async () => {
		const usb = new FakeUsb();
		const store = createStore();
		const clock = new VirtualClock(0, { manual: true });
		const watch = watchDevices({
			usb,
			backend: "usb",
			store,
			clock,
			pollMs: 500,
			timers: timersFromClock(clock),
		});
		usb.devices.push(fakeDevice(0x5740, 1));
		for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
		expect(store.getState().deviceOrder).toHaveLength(0);
		expect(clock.nextDue()).toBe(500);
		clock.step();
		await new Promise((resolve) => setImmediate(resolve));
		expect(store.getState().deviceOrder).toHaveLength(1);
		expect(clock.nextDue()).toBe(1_000);
		watch.stop();
		expect(clock.pending()).toBe(0);
	});

	it("stops listening after stop()", () => {
		const usb = new FakeUsb();
		const store = createStore();
		watchDevices({ usb, backend: "sim", store, clock: new VirtualClock() }).stop();
		usb.emit("connect", fakeDevice(0xdf11, 2));
		expect(store.getState().deviceOrder).toEqual([]);
	});
});
