import { render } from "ink";
import { type Bus, openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import type { Intents } from "../../source/app/intents.js";
import { VirtualClock } from "../../source/clock.js";
import { createStore, type Store } from "../../source/store/store.js";
import { createKeyboard, type Keyboard } from "../../source/ui/keyboard.js";
import { Root } from "../../source/ui/root.js";
import {
	createStoreView,
	frameTimerFromClock,
	type StoreView,
} from "../../source/ui/store-view.js";
import { defaultTheme } from "../../source/ui/theme.js";
import { FakeStdin, FakeStdout, settle } from "./harness.js";

export const SIM_PROFILES = ["f407", "f411", "f429", "f746", "g474", "h743"];

export interface LiveApp {
	store: Store;
	clock: VirtualClock;
	bus: Bus;
	intents: Intents;
	view: StoreView;
	/** Its queue drains once the screens have answered every key sent. */
	keyboard: Keyboard;
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
	options: {
		columns?: number;
		rows?: number;
		sim?: string;
		/** Simulated boards at start (--boards), and simulator faults (--fault). */
		boards?: number;
		fault?: string;
		/** The per-board settings file (supply voltages). */
		configFile?: string;
		/**
		 * Shortest gap between published snapshots, in session time (default 0: every event). A
		 * run of many boards publishes as a terminal session would, about 15 times a second.
		 */
		viewIntervalMs?: number;
	} = {},
): Promise<LiveApp> {
	const clock = new VirtualClock(1_000);
	const store = createStore({ now: () => clock.now() });
	const bus = await openBus({
		store,
		clock,
		sim: options.sim ?? "",
		...(options.boards ? { boards: options.boards } : {}),
		...(options.fault ? { fault: options.fault } : {}),
	});
	let quits = 0;
	const intents = createController({
		store,
		clock,
		bus,
		onQuit: () => quits++,
		...(options.configFile ? { configFile: options.configFile } : {}),
	});
	const view = createStoreView(
		store,
		options.viewIntervalMs
			? { minIntervalMs: options.viewIntervalMs, timer: frameTimerFromClock(clock) }
			: { minIntervalMs: 0 },
	);
	const keyboard = createKeyboard({ afterKey: () => view.flush() });
	const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
	const stdin = new FakeStdin();
	const instance = render(
		<Root
			view={view}
			intents={intents}
			theme={{ ...defaultTheme, color: false }}
			simProfiles={SIM_PROFILES}
			keyboard={keyboard}
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
		keyboard,
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
				// A chunk of several keys (a paste) is answered one key per render.
				for (let i = 0; i < 10_000 && !keyboard.idle(); i++) await settle();
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
