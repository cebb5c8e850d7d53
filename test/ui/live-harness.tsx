import { render } from "ink";
import { type Bus, openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import type { Intents } from "../../source/app/intents.js";
import { VirtualClock } from "../../source/clock.js";
import { createStore, type Store } from "../../source/store/store.js";
import { Root } from "../../source/ui/root.js";
import { createStoreView, type StoreView } from "../../source/ui/store-view.js";
import { defaultTheme } from "../../source/ui/theme.js";
import { FakeStdin, FakeStdout, settle } from "./harness.js";

export const SIM_PROFILES = ["f407", "f411", "f429", "f746", "g474", "h743"];

export interface LiveApp {
	store: Store;
	clock: VirtualClock;
	bus: Bus;
	intents: Intents;
	view: StoreView;
	stdout: FakeStdout;
	stdin: FakeStdin;
	quits: number;
	frame(): string;
	press(...keys: string[]): Promise<void>;
	unmount(): void;
}

/**
 * The assistant as `bringup --sim` runs it (real controller, bus and simulated boards) on a
 * virtual clock and a fake terminal, so that a test can type at it as a user would.
 */
export async function mountLive(
	options: { columns?: number; rows?: number; sim?: string } = {},
): Promise<LiveApp> {
	const clock = new VirtualClock(1_000);
	const store = createStore({ now: () => clock.now() });
	const bus = await openBus({ store, clock, sim: options.sim ?? "" });
	let quits = 0;
	const intents = createController({ store, clock, bus, onQuit: () => quits++ });
	const view = createStoreView(store, { minIntervalMs: 0 });
	const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
	const stdin = new FakeStdin();
	const instance = render(
		<Root
			view={view}
			intents={intents}
			theme={{ ...defaultTheme, color: false }}
			simProfiles={SIM_PROFILES}
		/>,
		{
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			debug: true,
			exitOnCtrlC: false,
			patchConsole: false,
		},
	);
	await settle();
	const app: LiveApp = {
		store,
		clock,
		bus,
		intents,
		view,
		stdout,
		stdin,
		get quits() {
			return quits;
		},
		frame: () => stdout.lastFrame(),
		async press(...keys) {
			for (const k of keys) {
				stdin.write(k);
				await settle();
			}
		},
		unmount() {
			instance.unmount();
			instance.cleanup();
			view.dispose();
			bus.stop();
		},
	};
	return app;
}
