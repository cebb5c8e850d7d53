import { type Clock, realClock, VirtualClock } from "../clock.js";
import { UsageError } from "../errors.js";
import { createSimulation, parseSimSpec, profileById, type Simulation } from "../sim/index.js";
import type { Backend, BringupEvent } from "../store/events.js";
import type { Store } from "../store/store.js";
import { describeInto } from "../usb/describe.js";
import { openRealUsb, type UsbLike } from "../usb/real-backend.js";
import { type DeviceWatch, watchDevices } from "../usb/watch.js";
import type { Args } from "./args.js";
import { reportAtEnd } from "./late-errors.js";
import { sessionStore } from "./output.js";

/** Everything a headless command works with: one store, one clock, one bus (real or simulated). */
export interface CommandContext {
	store: Store;
	clock: Clock;
	usb: UsbLike;
	backend: Backend;
	simulation?: Simulation;
	watch: DeviceWatch;
	/** Enumerates and reads every DFU device's descriptors; resolves when all are described. */
	scan(): Promise<void>;
	close(): Promise<void>;
}

/**
 * Opens the bus the arguments ask for. `--sim` runs the simulated board on a virtual clock, so
 * headless commands finish at once while the simulated chip still keeps datasheet time;
 * `--realtime` makes it take that time for real. Without `--sim` the real bus is used or a typed
 * error says why it cannot be (exit 3): never a silent switch to the simulator.
 */
export async function openContext(
	args: Args,
	options: { onEvent?: (event: BringupEvent) => void } = {},
): Promise<CommandContext> {
	const sim = args.sim !== undefined;
	const clock: Clock = sim && !args.realtime ? new VirtualClock(Date.now()) : realClock;
	const session = sessionStore({
		record: args.record,
		json: args.json,
		now: () => clock.now(),
		...(options.onEvent && !args.json ? { onEvent: options.onEvent } : {}),
	});
	const { store } = session;
	let simulation: Simulation | undefined;
	let usb: UsbLike;
	const backend: Backend = sim ? "sim" : "usb";
	if (sim) {
		try {
			const spec = parseSimSpec(args.sim);
			simulation = createSimulation({
				profile: spec.profile,
				scenario: spec.scenario,
				clock,
				...(args.boardFile ? { boardFile: args.boardFile } : {}),
				...(args.fault ? { faults: args.fault } : {}),
				busTime: args.realtime ? "sleep" : "advance",
			});
			// --boards N: more boards like the first on the same bus (a lab bench, a tray).
			for (let i = 1; i < args.boards; i++)
				simulation.plug({ profile: spec.profile, scenario: spec.scenario });
		} catch (error) {
			await session.close();
			throw error;
		}
		usb = simulation.usb as unknown as UsbLike;
		// A board file keeps its chip, like a real board; a --sim that names another chip is a
		// mix-up to report, not to paper over with the file's chip.
		const named = profileById((args.sim ?? "").split("/")[0]!.trim().toLowerCase());
		const kept = simulation.boards[0]?.profile.id;
		if (args.boardFile && named && kept && kept !== named.id) {
			simulation.close();
			await session.close();
			throw new UsageError(
				`board file ${args.boardFile} holds a simulated ${kept}, but --sim asks for ${named.id}`,
				{ file: args.boardFile, profile: named.id, kept },
				`Use --sim=${kept} with this board file, or another --board-file for the ${named.id}.`,
			);
		}
	} else {
		try {
			usb = await openRealUsb();
		} catch (error) {
			const info = error as { message?: string; hint?: string };
			store.append({
				type: "backend.status",
				source: "usb",
				backend: "usb",
				available: false,
				...(info.message ? { message: info.message } : {}),
				...(info.hint ? { hint: info.hint } : {}),
			});
			await session.close();
			throw error;
		}
	}
	store.append({ type: "backend.status", source: backend, backend, available: true });

	const pending = new Set<Promise<void>>();
	const describeOne = describeInto(store, backend, clock);
	const describe = (device: USBDevice, key: string) => {
		const work = describeOne(device, key);
		pending.add(work);
		return work.finally(() => pending.delete(work));
	};
	const watch = watchDevices({ usb, backend, store, clock, describe });

	return {
		store,
		clock,
		usb,
		backend,
		...(simulation ? { simulation } : {}),
		watch,
		async scan() {
			await watch.refresh();
			await Promise.allSettled([...pending]);
		},
		async close() {
			watch.stop();
			simulation?.close();
			await session.close();
			// Said after the command's own result: the board did the work, its file did not keep it.
			if (simulation?.saveError) reportAtEnd(simulation.saveError);
		},
	};
}
