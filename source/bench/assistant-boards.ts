/**
 * A tray of boards flashed from the assistant, as a user does it: the controller plans "every
 * board like this one" (one job per board), each is confirmed, and the Flash screen's board rows
 * are drawn on Ink's real renderer at the interactive rate of the flash's own (virtual) time. CPU
 * time over the time the flash takes on a real bench is the share of a core a session would use.
 */
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openBus } from "../app/bus.js";
import { createController } from "../app/controller.js";
import { VirtualClock } from "../clock.js";
import { createStore } from "../store/store.js";

export interface AssistantBoardsFigures {
	boards: number;
	bytes: number;
	/** Every board's job ended, and how many of them ok. */
	ok: number;
	cpuMs: number;
	/** Session (virtual) time from confirming to the last board's result. */
	flashMs: number;
	percent: number;
	renders: number;
	/** Events the store took in meanwhile. */
	events: number;
}

/** The F407 test build, then seeded filler up to `size`: an image the inspector lets through. */
function trayImage(size: number): string {
	const head = readFileSync("test/fixtures/firmware/out/stm32f407.bin");
	const data = Buffer.alloc(size);
	head.copy(data);
	let x = 0x2545f491;
	for (let i = head.length; i < size; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		data[i] = x & 0xff;
	}
	const file = join(mkdtempSync(join(tmpdir(), "bringup-bench-tray-")), "tray.bin");
	writeFileSync(file, data);
	return file;
}

export async function assistantBoards(
	count: number,
	size: number,
): Promise<AssistantBoardsFigures> {
	process.env.NODE_ENV ??= "production";
	const { mountForBench } = await import("../ui/bench-mount.js");
	const { frameTimerFromClock } = await import("../ui/store-view.js");
	const file = trayImage(size);
	const run = async (): Promise<AssistantBoardsFigures> => {
		const clock = new VirtualClock(1_000);
		const store = createStore({ now: () => clock.now() });
		const bus = await openBus({ store, clock, sim: "f407/blank", boards: count });
		const intents = createController({
			store,
			clock,
			bus,
			onQuit: () => {},
			// No supply remembered: byte by byte, as a first flash of new boards.
			configFile: join(tmpdir(), `bringup-bench-${process.pid}-none.json`),
		});
		const ui = mountForBench(store, {
			intents,
			timer: frameTimerFromClock(clock),
			maxFps: 10_000,
		});
		// The boards are described as they enumerate: plan once every one is.
		const described = () => {
			const state = store.getState();
			return (
				state.deviceOrder.length === count &&
				state.deviceOrder.every((k) => state.devices[k]?.description?.chip)
			);
		};
		for (let i = 0; i < 100_000 && !described(); i++)
			await new Promise((resolve) => setImmediate(resolve));
		const first = store.getState().deviceOrder[0]!;
		intents.selectDevice(first);
		const planned = await intents.prepareFlash({
			file,
			address: 0x08000000,
			verify: true,
			leave: false,
			boards: "matching",
		});
		if (!planned.ok)
			throw new Error(`bench: the tray could not be planned: ${planned.error.message}`);
		const batch = store.getState().jobs[planned.job]!.plan.batch!;
		const jobs = () => Object.values(store.getState().jobs).filter((j) => j.plan.batch === batch);
		const events0 = store.getState().seq;
		const cpu0 = process.cpuUsage();
		const t0 = clock.now();
		const ended = new Promise<void>((resolve) => {
			const stop = store.subscribe(() => {
				if (jobs().every((j) => j.result)) {
					stop();
					resolve();
				}
			});
		});
		for (const job of jobs()) intents.confirmFlash(job.id);
		await ended;
		ui.view.flush();
		const cpu = process.cpuUsage(cpu0);
		const flashMs = clock.now() - t0;
		const cpuMs = (cpu.user + cpu.system) / 1000;
		const figures: AssistantBoardsFigures = {
			boards: jobs().length,
			bytes: size,
			ok: jobs().filter((j) => j.result?.ok).length,
			cpuMs,
			flashMs,
			percent: (100 * cpuMs) / flashMs,
			renders: ui.renders(),
			events: store.getState().seq - events0,
		};
		ui.unmount();
		bus.stop();
		return figures;
	};
	await run(); // warm-up
	return run();
}
