import { VirtualClock } from "../../source/clock.js";
import { type DoctorOptions, type DoctorResult, runDoctor } from "../../source/doctor/doctor.js";
import { createSimulation, type SimBoard, type Simulation } from "../../source/sim/index.js";
import { createStore, type Store } from "../../source/store/store.js";

/** A store whose events are stamped by a virtual clock that moves only when the code sleeps. */
export function virtualStore(): { clock: VirtualClock; store: Store } {
	const clock = new VirtualClock();
	return { clock, store: createStore({ now: () => clock.now() }) };
}

export interface SimulatedBoard {
	sim: Simulation;
	board: SimBoard;
	clock: VirtualClock;
	store: Store;
	/** Closes the simulation now rather than in closeOpenSimulations. */
	close(): void;
}

const open = new Set<Simulation>();

/** For afterEach: closes every simulation a test opened and did not close itself. */
export function closeOpenSimulations(): void {
	for (const sim of open) sim.close();
	open.clear();
}

/** One simulated board (F407 unless named) with its own clock and store. */
export function simulatedBoard(spec: {
	profile?: string;
	scenario: string;
	faults?: string;
}): SimulatedBoard {
	const { clock, store } = virtualStore();
	const sim = createSimulation({ profile: "f407", ...spec, clock });
	open.add(sim);
	return {
		sim,
		board: sim.boards[0]!,
		clock,
		store,
		close: () => {
			if (open.delete(sim)) sim.close();
		},
	};
}

/** Runs the doctor on the board's DFU device, with the board's USB, store and clock. */
export async function runDoctorOn(
	target: SimulatedBoard,
	options: Omit<DoctorOptions, "device" | "usb" | "store" | "clock"> = {},
): Promise<DoctorResult> {
	const [device] = await target.sim.usb.getDevices();
	return runDoctor({
		device: device!,
		usb: target.sim.usb,
		store: target.store,
		clock: target.clock,
		...options,
	});
}

/** A copy of what a healthy F407 holds in its first 24 KiB of flash: the app as flashed. */
export function healthyFlash(): Uint8Array {
	const probe = simulatedBoard({ scenario: "healthy" });
	const data = Uint8Array.from(probe.board.readMemory(0x08000000, 24 * 1024));
	probe.close();
	return data;
}
