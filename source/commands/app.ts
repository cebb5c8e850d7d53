import { openBus } from "../app/bus.js";
import { createController } from "../app/controller.js";
import { realClock } from "../clock.js";
import { readOnlyIntents } from "../ui/intents.js";
import { renderApp } from "../ui/render-app.js";
import type { Args } from "./args.js";
import { sessionStore } from "./output.js";
import { loadRecording } from "./replay.js";

/** `bringup` on a terminal: the assistant. `--replay FILE` opens a recorded session, read-only. */
export async function runApp(args: Args): Promise<number> {
	const session = sessionStore({ record: args.record, json: false });
	const { store } = session;
	if (args.replay) {
		for (const event of await loadRecording(args.replay)) store.append(event);
		await renderApp({ store, intents: readOnlyIntents }).waitUntilExit();
		return 0;
	}
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
