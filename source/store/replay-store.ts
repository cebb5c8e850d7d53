import { UsageError } from "../errors.js";
import type { BringupEvent } from "./events.js";
import { initialState, reduce, type State } from "./reduce.js";
import type { Listener, Store } from "./store.js";

/** A state is kept every this many events, so stepping back never replays more than this. */
export const CHECKPOINT_EVERY = 256;

/**
 * A recorded session as a Store whose position can move both ways: the state is always the
 * reducer over the first `position()` events, exactly what the live store held at that point.
 */
export interface ReplayStore extends Store {
	/** How many events are applied (0 = before the first event). */
	position(): number;
	/** How many events the recording has. */
	length(): number;
	/** Timestamp of the recording's first event; undefined for an empty recording. */
	startedAt(): number | undefined;
	/** Moves to `n` applied events, clamped to 0..length(). */
	seek(n: number): void;
	next(): void;
	previous(): void;
	/** Moves so that the next interesting event (see isMarker) is the last one applied. */
	nextMarker(): void;
	/** Moves back to the previous interesting event before the current position. */
	previousMarker(): void;
}

/**
 * Events a teacher wants to stop at: what was planned and how it ended, plugs, answers, and
 * problems (warnings and errors, from the log or from the image inspector).
 */
export function isMarker(event: BringupEvent): boolean {
	switch (event.type) {
		case "flash.planned":
		case "flash.phase":
		case "flash.finished":
		case "check.result":
		case "checklist.answer":
		case "device.attached":
		case "device.detached":
			return true;
		case "log.message":
			return event.level === "warn" || event.level === "error";
		case "inspect.finding":
			return event.finding.severity !== "info";
		default:
			return false;
	}
}

export class ReadOnlyStoreError extends UsageError {
	override readonly kind = "read-only";
	constructor() {
		super("a replayed recording is read-only: nothing can be appended");
	}
}

export function createReplayStore(recording: readonly BringupEvent[]): ReplayStore {
	const events = [...recording];
	// checkpoints[k] is the state after k * CHECKPOINT_EVERY events; filled as positions are reached.
	const checkpoints: State[] = [initialState];
	const listeners = new Set<Listener>();
	let position = 0;
	let state = initialState;
	let history: readonly BringupEvent[] = [];
	// Positions (1-based: the marker event is the last applied) of every interesting event.
	const markers: number[] = [];
	events.forEach((e, i) => {
		if (isMarker(e)) markers.push(i + 1);
	});

	const advance = (from: State, start: number, end: number): State => {
		let s = from;
		for (let i = start; i < end; i++) {
			s = reduce(s, events[i]!);
			const applied = i + 1;
			if (applied % CHECKPOINT_EVERY === 0 && checkpoints[applied / CHECKPOINT_EVERY] === undefined)
				checkpoints[applied / CHECKPOINT_EVERY] = s;
		}
		return s;
	};

	const seek = (wanted: number) => {
		const n = Math.max(0, Math.min(events.length, Math.trunc(wanted) || 0));
		if (n === position) return;
		if (n > position) state = advance(state, position, n);
		else {
			// The nearest checkpoint at or below n that has been reached (all below position have).
			let k = Math.floor(n / CHECKPOINT_EVERY);
			while (checkpoints[k] === undefined) k--;
			state = advance(checkpoints[k]!, k * CHECKPOINT_EVERY, n);
		}
		position = n;
		history = events.slice(0, n);
		for (const listener of [...listeners]) listener();
	};

	return {
		append() {
			throw new ReadOnlyStoreError();
		},
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		history: () => history,
		position: () => position,
		length: () => events.length,
		startedAt: () => events[0]?.at,
		seek,
		next: () => seek(position + 1),
		previous: () => seek(position - 1),
		nextMarker() {
			const found = markers.find((m) => m > position);
			seek(found ?? events.length);
		},
		previousMarker() {
			const found = markers.findLast((m) => m < position);
			seek(found ?? 0);
		},
	};
}
