import { openBus } from "../app/bus.js";
import { createController } from "../app/controller.js";
import { replayIntents } from "../app/intents.js";
import { installShutdown } from "../app/shutdown.js";
import { startWatchdog } from "../app/watchdog.js";
import { realClock } from "../clock.js";
import type { State } from "../store/reduce.js";
import { createReplayStore } from "../store/replay-store.js";
import { renderApp } from "../ui/render-app.js";
import type { Args } from "./args.js";
import { sessionStore } from "./output.js";
import { loadRecording } from "./replay.js";

function runningJobs(state: State): string[] {
	return state.jobOrder.filter((id) => {
		const job = state.jobs[id];
		return job && !job.result && job.phases.some((p) => p.status !== "pending");
	});
}

/**
 * `bringup` on a terminal: the assistant. `--replay FILE` opens a recorded session read-only, at
 * its start, to be stepped through event by event (End jumps to how it ended).
 */
export async function runApp(args: Args): Promise<number> {
	if (args.replay) {
		const recording = createReplayStore(await loadRecording(args.replay));
		await renderApp({ store: recording, intents: replayIntents(recording) }).waitUntilExit();
		return 0;
	}
	const session = sessionStore({ record: args.record, json: false });
	const { store } = session;
	const bus = await openBus({
		store,
		clock: realClock,
		...(args.sim !== undefined ? { sim: args.sim } : {}),
		...(args.boardFile ? { boardFile: args.boardFile } : {}),
		...(args.fault ? { fault: args.fault } : {}),
		...(args.boards > 1 ? { boards: args.boards } : {}),
	});
	let app: ReturnType<typeof renderApp> | undefined;
	let quitted = () => {};
	// Quitting during a flash first stops it between two blocks: the bus stays up until then.
	const quitDone = new Promise<void>((resolve) => {
		quitted = resolve;
	});
	const intents = createController({
		store,
		clock: realClock,
		bus,
		onQuit: () => {
			app?.unmount();
			quitted();
		},
	});
	app = renderApp({
		store,
		intents,
		simProfiles: ["f407", "f411", "f429", "f746", "g474", "h743"],
	});
	let signalled: string | undefined;
	const uninstall = installShutdown({
		quit: (signal) => {
			signalled = signal;
			intents.quit();
		},
	});
	const watchdog = startWatchdog();
	try {
		await app.waitUntilExit();
		await Promise.race([quitDone, realClock.sleep(3000)]);
	} finally {
		watchdog.stop();
	}
	bus.stop();
	await session.close();
	uninstall();
	if (signalled) {
		const running = runningJobs(store.getState());
		process.stderr.write(
			running.length
				? `bringup: ended by ${signalled} while ${running.join(", ")} ran: that write is incomplete; flash the image again before relying on the chip\n`
				: `bringup: ended by ${signalled}\n`,
		);
		return process.exitCode as number;
	}
	return 0;
}
