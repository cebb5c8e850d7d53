import { openBus } from "../app/bus.js";
import { createController } from "../app/controller.js";
import { realClock } from "../clock.js";
import { createReplayStore } from "../store/replay-store.js";
import { replayIntents } from "../ui/intents.js";
import { renderApp } from "../ui/render-app.js";
import type { Args } from "./args.js";
import { sessionStore } from "./output.js";
import { loadRecording } from "./replay.js";

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
	});
	let app: ReturnType<typeof renderApp> | undefined;
	const intents = createController({
		store,
		clock: realClock,
		bus,
		onQuit: () => app?.unmount(),
	});
	app = renderApp({
		store,
		intents,
		simProfiles: ["f407", "f411", "f429", "f746", "g474", "h743"],
	});
	await app.waitUntilExit();
	bus.stop();
	await session.close();
	return 0;
}
