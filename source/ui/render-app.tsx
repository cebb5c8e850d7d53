import { type Instance, render } from "ink";
import type { Intents } from "../app/intents.js";
import type { Store } from "../store/store.js";
import type { AppProps } from "./app.js";
import type { Keyboard } from "./keyboard.js";
import { Root } from "./root.js";
import { createStoreView, type StoreView, type StoreViewOptions } from "./store-view.js";
import { type Theme, themeFromEnv } from "./theme.js";
import type { ListDir } from "./use-path-completion.js";

export interface RenderAppOptions extends AppProps, StoreViewOptions {
	store: Store;
	intents: Intents;
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	stderr?: NodeJS.WriteStream;
	/** Defaults to the environment (NO_COLOR, TERM=dumb). */
	theme?: Theme;
	listDir?: ListDir;
	/** Ink's own cap on terminal writes per second (default APP_MAX_FPS; 0 writes every render). */
	maxFps?: number;
	/** The keyboard the screens read, for a test that types and waits for the screens to answer. */
	keyboard?: Keyboard;
}

/** Frames a second Ink writes at most: a terminal over SSH sees no more than this. */
export const APP_MAX_FPS = 20;

export interface RunningApp {
	instance: Instance;
	view: StoreView;
	/** Resolves when the user quits (q, Ctrl+C) or `unmount()` is called. */
	waitUntilExit(): Promise<unknown>;
	unmount(): void;
}

/** Opens the assistant on a terminal. `--replay` passes `readOnlyIntents`. */
export function renderApp(options: RenderAppOptions): RunningApp {
	const {
		store,
		intents,
		stdout,
		stdin,
		stderr,
		theme,
		listDir,
		maxFps,
		minIntervalMs,
		timer,
		...app
	} = options;
	const view = createStoreView(store, { minIntervalMs, timer });
	const instance = render(
		<Root
			view={view}
			intents={intents}
			theme={theme ?? themeFromEnv()}
			listDir={listDir}
			{...app}
		/>,
		{
			// Ink spreads these over its defaults: an explicit undefined would replace process.stdout.
			...(stdout ? { stdout } : {}),
			...(stdin ? { stdin } : {}),
			...(stderr ? { stderr } : {}),
			exitOnCtrlC: false,
			patchConsole: false,
			maxFps: maxFps ?? APP_MAX_FPS,
		},
	);
	const done = instance.waitUntilExit().finally(() => view.dispose());
	return {
		instance,
		view,
		waitUntilExit: () => done,
		unmount() {
			instance.unmount();
		},
	};
}
