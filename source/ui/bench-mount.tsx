import { EventEmitter } from "node:events";
import { render } from "ink";
import { type Intents, readOnlyIntents } from "../app/intents.js";
import type { Store } from "../store/store.js";
import { Root } from "./root.js";
import type { ScreenId } from "./screens.js";
import { createStoreView, type FrameTimer, type StoreView } from "./store-view.js";
import { defaultTheme } from "./theme.js";

/** A terminal that swallows output and counts it: what Ink would have sent over SSH. */
export class CountingTerminal extends EventEmitter {
	readonly isTTY = true;
	bytes = 0;
	writes = 0;
	constructor(
		readonly columns = 80,
		readonly rows = 24,
	) {
		super();
	}
	write(chunk: string | Uint8Array): boolean {
		this.bytes += typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.byteLength;
		this.writes++;
		return true;
	}
}

export interface BenchMountOptions {
	screen?: ScreenId;
	intents?: Intents;
	columns?: number;
	rows?: number;
	/** Snapshot interval; the default is the interactive one (about 15 a second). */
	minIntervalMs?: number;
	/** Pair with frameTimerFromClock(clock) when the flash runs on a VirtualClock. */
	timer?: FrameTimer;
	/**
	 * Ink's own cap on frames per real second. A flash on a VirtualClock takes a fraction of its
	 * real duration, so a bench lifts the cap to let every snapshot the view publishes (one per
	 * interval of simulated time) become a frame, as it would in a real-time session.
	 */
	maxFps?: number;
}

export interface BenchMount {
	view: StoreView;
	terminal: CountingTerminal;
	/** Ink renders so far (each one laid out and diffed a frame). */
	renders(): number;
	unmount(): void;
}

/**
 * Mounts the App on `store` (Flash screen by default) the way a terminal session does, Ink's
 * real renderer writing to a counting terminal, for "CPU per MiB flashed with the Flash screen
 * mounted vs headless". With CI=true in the environment Ink skips live frames: unset it to bench.
 */
export function mountForBench(store: Store, options: BenchMountOptions = {}): BenchMount {
	const view = createStoreView(store, {
		minIntervalMs: options.minIntervalMs,
		timer: options.timer,
	});
	const terminal = new CountingTerminal(options.columns, options.rows);
	// A TTY as far as Ink can tell: useInput asks for raw mode, and a non-TTY stdin makes Ink
	// throw (and render its error screen instead of the App).
	const stdin = Object.assign(new EventEmitter(), {
		isTTY: true,
		setRawMode() {},
		setEncoding() {},
		resume() {},
		pause() {},
		ref() {},
		unref() {},
		read: () => null,
	});
	let renders = 0;
	const instance = render(
		<Root
			view={view}
			intents={options.intents ?? readOnlyIntents}
			theme={defaultTheme}
			initialScreen={options.screen ?? "flash"}
		/>,
		{
			stdout: terminal as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			exitOnCtrlC: false,
			patchConsole: false,
			...(options.maxFps ? { maxFps: options.maxFps } : {}),
			onRender: () => {
				renders++;
			},
		},
	);
	return {
		view,
		terminal,
		renders: () => renders,
		unmount() {
			view.flush();
			instance.unmount();
			instance.cleanup();
			view.dispose();
		},
	};
}
