import type { Clock, Timers } from "../clock.js";
import type { Backend } from "../store/events.js";
import type { Store } from "../store/store.js";
import { identify } from "./identity.js";
import type { UsbLike } from "./real-backend.js";

export interface WatchOptions {
	usb: UsbLike;
	backend: Backend;
	store: Store;
	clock: Clock;
	/**
	 * getDevices() poll period. node-usb's hotplug events come from udev; with no udev daemon
	 * (containers, minimal lab images) none arrive, so the poll keeps the view live anyway.
	 */
	pollMs?: number;
	/**
	 * What the poll waits on; by default a real interval that does not keep the process alive.
	 * A session on a VirtualClock passes its timers, so the poll runs on simulated time.
	 */
	timers?: Timers;
	/** Called for each newly attached device, e.g. to read its DFU descriptors. */
	describe?: (device: USBDevice, key: string) => Promise<void>;
}

export interface DeviceWatch {
	/** The live USBDevice behind a key, for intents that act on the selected device. */
	device(key: string): USBDevice | undefined;
	keyOf(device: USBDevice): string | undefined;
	/** Enumerate now (also what the poll does). */
	refresh(): Promise<void>;
	stop(): void;
}

let watchCounter = 0;

/**
 * Turns a USB backend into device.attached / device.detached events. Identity is the USBDevice
 * object (node-usb and the simulator both keep one object per enumerated device), so a board that
 * re-enumerates after leave is a new device with a new key, as it is on the bus.
 */
export function watchDevices(options: WatchOptions): DeviceWatch {
	const { usb, backend, store, clock } = options;
	const prefix = `${backend}${watchCounter++ ? watchCounter : ""}`;
	const keys = new Map<USBDevice, string>();
	const byKey = new Map<string, USBDevice>();
	let next = 1;
	let stopped = false;
	let refreshing: Promise<void> | undefined;

	const attach = (device: USBDevice) => {
		if (keys.has(device) || stopped) return;
		const key = `${prefix}:${next++}`;
		keys.set(device, key);
		byKey.set(key, device);
		store.append({
			type: "device.attached",
			source: backend,
			at: clock.now(),
			device: identify(device, key, backend),
		});
		if (options.describe) {
			options.describe(device, key).catch((error: unknown) => {
				store.append({
					type: "log.message",
					source: backend,
					at: clock.now(),
					level: "warn",
					text: `could not read the descriptors of ${key}: ${error instanceof Error ? error.message : String(error)}`,
				});
			});
		}
	};

	const detach = (device: USBDevice) => {
		const key = keys.get(device);
		if (!key) return;
		keys.delete(device);
		byKey.delete(key);
		store.append({ type: "device.detached", source: backend, at: clock.now(), key });
	};

	const onConnect = (event: USBConnectionEvent) => attach(event.device);
	const onDisconnect = (event: USBConnectionEvent) => detach(event.device);
	usb.addEventListener("connect", onConnect);
	usb.addEventListener("disconnect", onDisconnect);

	const refresh = () => {
		refreshing ??= (async () => {
			try {
				const present = await usb.getDevices();
				for (const device of [...keys.keys()]) if (!present.includes(device)) detach(device);
				for (const device of present) attach(device);
			} finally {
				refreshing = undefined;
			}
		})();
		return refreshing;
	};

	const poll = () => {
		refresh().catch(() => {
			// A failed poll is reported by the next successful one (devices gone); nothing to do.
		});
	};
	let stopPoll = () => {};
	const pollMs = options.pollMs ?? 0;
	if (pollMs > 0 && options.timers) {
		const timers = options.timers;
		let handle: unknown;
		const arm = () => {
			handle = timers.set(() => {
				if (stopped) return;
				poll();
				arm();
			}, pollMs);
		};
		arm();
		stopPoll = () => timers.clear(handle);
	} else if (pollMs > 0) {
		const timer = setInterval(poll, pollMs);
		timer.unref?.();
		stopPoll = () => clearInterval(timer);
	}

	return {
		device: (key) => byKey.get(key),
		keyOf: (device) => keys.get(device),
		refresh,
		stop() {
			stopped = true;
			stopPoll();
			usb.removeEventListener("connect", onConnect);
			usb.removeEventListener("disconnect", onDisconnect);
		},
	};
}
