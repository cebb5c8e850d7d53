import type { Clock, Timers } from "../clock.js";
import { createSimulation, parseSimSpec, type Simulation } from "../sim/index.js";
import type { Backend } from "../store/events.js";
import type { Store } from "../store/store.js";
import { describeInto } from "../usb/describe.js";
import { openRealUsb, type UsbLike } from "../usb/real-backend.js";
import { type DeviceWatch, watchDevices } from "../usb/watch.js";

/** The assistant's view of USB: the real bus when there is one, the simulator when asked for. */
export interface Bus {
	readonly simulation?: Simulation;
	device(key: string): USBDevice | undefined;
	usbFor(key: string): UsbLike;
	watchFor(key: string): DeviceWatch | undefined;
	startSimulator(): Promise<Simulation>;
	stop(): void;
}

export interface BusOptions {
	store: Store;
	clock: Clock;
	/** The --sim spec; undefined: real bus first. */
	sim?: string;
	boardFile?: string;
	fault?: string;
	/** How many simulated boards the simulator starts with (--boards; default 1). */
	boards?: number;
	/** getDevices() poll period for the real bus (hotplug needs udev; the poll works without). */
	pollMs?: number;
	/** What the device poll waits on (default: real time); see WatchOptions.timers. */
	timers?: Timers;
}

export async function openBus(options: BusOptions): Promise<Bus> {
	const { store, clock } = options;
	const watches = new Map<Backend, { usb: UsbLike; watch: DeviceWatch }>();
	let simulation: Simulation | undefined;

	const start = (backend: Backend, usb: UsbLike, pollMs?: number) => {
		const watch = watchDevices({
			usb,
			backend,
			store,
			clock,
			...(pollMs ? { pollMs } : {}),
			...(options.timers ? { timers: options.timers } : {}),
			describe: describeInto(store, backend, clock),
		});
		watches.set(backend, { usb, watch });
		return watch.refresh();
	};

	const bus: Bus = {
		get simulation() {
			return simulation;
		},
		device: (key) => watches.get(key.startsWith("sim") ? "sim" : "usb")?.watch.device(key),
		usbFor: (key) => watches.get(key.startsWith("sim") ? "sim" : "usb")!.usb,
		watchFor: (key) => watches.get(key.startsWith("sim") ? "sim" : "usb")?.watch,
		async startSimulator() {
			if (simulation) return simulation;
			const spec = parseSimSpec(options.sim);
			simulation = createSimulation({
				profile: spec.profile,
				scenario: spec.scenario,
				clock,
				// The assistant shows progress as it happens: the board takes datasheet time for real.
				busTime: "sleep",
				...(options.boardFile ? { boardFile: options.boardFile } : {}),
				...(options.fault ? { faults: options.fault } : {}),
			});
			// --boards N: more boards like the first on the same bus (a lab bench, a tray).
			for (let i = 1; i < (options.boards ?? 1); i++)
				simulation.plug({ profile: spec.profile, scenario: spec.scenario });
			store.append({
				type: "backend.status",
				source: "sim",
				at: clock.now(),
				backend: "sim",
				available: true,
			});
			await start("sim", simulation.usb as unknown as UsbLike, 500);
			return simulation;
		},
		stop() {
			for (const { watch } of watches.values()) watch.stop();
			simulation?.close();
		},
	};

	if (options.sim !== undefined) {
		await bus.startSimulator();
		return bus;
	}
	try {
		const usb = await openRealUsb();
		store.append({
			type: "backend.status",
			source: "usb",
			at: clock.now(),
			backend: "usb",
			available: true,
		});
		await start("usb", usb, options.pollMs ?? 1000);
	} catch (error) {
		const info = error as { message?: string; hint?: string; reason?: string };
		store.append({
			type: "backend.status",
			source: "usb",
			at: clock.now(),
			backend: "usb",
			available: false,
			...(info.message ? { message: info.message } : {}),
			// The command-line hint says "use --sim"; here the simulator is one key away, or already on.
			...(info.reason === "permission" && info.hint
				? { hint: info.hint }
				: {
						hint: "The simulated board below works like a real one: flash it, break it, diagnose it.",
					}),
		});
	}
	// No board on the bench (or no bus at all): show the simulated one, and say so in the log.
	if (store.getState().deviceOrder.length === 0) {
		store.append({
			type: "log.message",
			source: "ui",
			at: clock.now(),
			level: "info",
			text: "no real board attached: showing a simulated STM32F407 (a real board appears here when plugged in)",
		});
		await bus.startSimulator();
	}
	return bus;
}
