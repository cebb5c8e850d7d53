import type { Clock } from "../clock.js";
import { DeviceError } from "../errors.js";
import type { Backend, BringupEvent } from "../store/events.js";
import type { Store } from "../store/store.js";
import type { UsbLike } from "../usb/real-backend.js";
import { type DeviceWatch, watchDevices } from "../usb/watch.js";
import { type BootWatchResult, type BootWatchSubject, classifyBoot } from "./boot-watch.js";

export interface WatchBootOptions {
	usb: UsbLike;
	store: Store;
	clock: Clock;
	/** The DFU device that will be told to leave. */
	device: USBDevice;
	/** Sends the leave request (the DfuSe core's leave); a failing final status is expected. */
	leave: () => Promise<unknown>;
	backend?: Backend;
	/** A watcher already feeding this store; otherwise one runs for the duration of the watch. */
	watch?: DeviceWatch;
	/** How long to watch after the leave request. */
	windowMs?: number;
	/** getDevices() poll period on the session clock (hotplug events need udev; polls do not). */
	pollMs?: number;
}

export const DEFAULT_BOOT_WATCH_MS = 5000;
export const DEFAULT_BOOT_POLL_MS = 100;

/** The DFU device went away before it was told to leave. */
export class SubjectUnknownError extends DeviceError {
	override readonly kind = "boot-watch-subject";
	constructor() {
		super(
			"the DFU device to watch is not on the bus",
			{},
			"Keep the board plugged in and in DFU mode, then run the doctor again.",
		);
	}
}

/**
 * Leaves DFU and watches USB for `windowMs`, recording every attach and detach in the store, then
 * classifies the timeline. Time is the session clock's, so a virtual clock runs it instantly.
 */
export async function watchBoot(options: WatchBootOptions): Promise<BootWatchResult> {
	const { usb, store, clock, device } = options;
	const windowMs = options.windowMs ?? DEFAULT_BOOT_WATCH_MS;
	const pollMs = options.pollMs ?? DEFAULT_BOOT_POLL_MS;
	const own = options.watch
		? undefined
		: watchDevices({ usb, store, clock, backend: options.backend ?? "usb" });
	const watch = (options.watch ?? own)!;
	const timeline: BringupEvent[] = [];
	const unsubscribe = store.subscribe(() => {
		const last = store.history().at(-1);
		if (last && (last.type === "device.attached" || last.type === "device.detached"))
			timeline.push(last);
	});
	try {
		await watch.refresh();
		const key = watch.keyOf(device);
		const identity = key ? store.getState().devices[key]?.identity : undefined;
		if (!key || !identity) throw new SubjectUnknownError();
		const subject: BootWatchSubject = {
			key,
			vendorId: identity.vendorId,
			productId: identity.productId,
			...(identity.serial ? { serial: identity.serial } : {}),
		};
		timeline.length = 0;
		const leaveAt = clock.now();
		try {
			await options.leave();
		} catch (error) {
			// The loader is not manifestation-tolerant: it may vanish before the final status.
			store.append({
				type: "log.message",
				source: "doctor",
				at: clock.now(),
				level: "debug",
				text: `leave ended with: ${error instanceof Error ? error.message : String(error)}`,
			});
		}
		while (clock.now() - leaveAt < windowMs) {
			await clock.sleep(Math.min(pollMs, windowMs - (clock.now() - leaveAt)));
			await watch.refresh();
		}
		return classifyBoot(timeline, subject, { leaveAt, windowMs });
	} finally {
		unsubscribe();
		own?.stop();
	}
}
