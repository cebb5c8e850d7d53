import { type Clock, realTimers, type Timers, timersFromClock } from "../clock.js";
import type { BringupEvent } from "../store/events.js";
import type { State } from "../store/reduce.js";
import type { Store } from "../store/store.js";

/** Timer seam so tests can publish by hand instead of waiting. */
export type FrameTimer = Timers;

export const realFrameTimer: FrameTimer = realTimers;

export interface StoreViewOptions {
	/**
	 * Shortest gap between two published snapshots. A flash appends hundreds of events a second;
	 * screens only need to see the latest state about 15 times a second. 0 publishes every event.
	 */
	minIntervalMs?: number;
	timer?: FrameTimer;
}

/**
 * What screens subscribe to: the store's state, published at most once per interval. The first
 * change after a quiet spell is published at once (a key press feels immediate); changes inside
 * the interval are coalesced into one trailing publish.
 */
export interface StoreView {
	/** The snapshot as of the last publish; stable between publishes (useSyncExternalStore needs it). */
	getState(): State;
	subscribe(listener: () => void): () => void;
	/**
	 * The events after the `seq`-th one, up to the published snapshot (not beyond, so the log
	 * and the state agree). Older events the store no longer keeps are skipped.
	 */
	eventsSince(seq: number): readonly BringupEvent[];
	/** Publishes a pending change now (tests, and before unmounting). */
	flush(): void;
	/** Whether a change is waiting for its publish. */
	pending(): boolean;
	/** How many times the view has published; a benchmark reads it next to its render count. */
	publishes(): number;
	dispose(): void;
}

/** Default rate for screens: about 15 snapshots a second. */
export const DEFAULT_MIN_INTERVAL_MS = 66;

export function createStoreView(store: Store, options: StoreViewOptions = {}): StoreView {
	const interval = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
	const timer = options.timer ?? realFrameTimer;
	const listeners = new Set<() => void>();
	let snapshot = store.getState();
	// The store's history as of the snapshot: its array, its length then, and the seq it ends at.
	let events = store.history();
	let eventsLength = events.length;
	let lastPublish = Number.NEGATIVE_INFINITY;
	let handle: unknown;
	let scheduled = false;
	let count = 0;

	const publish = () => {
		if (scheduled) {
			timer.clear(handle);
			scheduled = false;
		}
		lastPublish = timer.now();
		const next = store.getState();
		if (next === snapshot) return;
		snapshot = next;
		events = store.history();
		eventsLength = events.length;
		count++;
		for (const listener of [...listeners]) listener();
	};

	const onChange = () => {
		if (scheduled) return;
		const wait = interval <= 0 ? 0 : lastPublish + interval - timer.now();
		if (wait <= 0) {
			publish();
			return;
		}
		scheduled = true;
		handle = timer.set(publish, wait);
	};

	const unsubscribe = store.subscribe(onChange);

	return {
		getState: () => snapshot,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		eventsSince(seq) {
			const wanted = Math.max(0, snapshot.seq - seq);
			return events.slice(Math.max(0, eventsLength - wanted), eventsLength);
		},
		flush() {
			if (store.getState() !== snapshot || scheduled) publish();
		},
		pending: () => scheduled,
		publishes: () => count,
		dispose() {
			unsubscribe();
			if (scheduled) timer.clear(handle);
			scheduled = false;
			listeners.clear();
		},
	};
}

/**
 * Publishes on a session Clock instead of wall time: with a VirtualClock (benchmarks, demos on
 * simulated time, the soak test) the screens see at most one snapshot per interval of simulated
 * time, as a real run would show them.
 */
export function frameTimerFromClock(clock: Clock): FrameTimer {
	return timersFromClock(clock);
}
