import { InputError } from "../errors.js";
import { type BringupEvent, isBringupEvent, type NewEvent } from "./events.js";
import { initialState, reduce, type State } from "./reduce.js";

export type Listener = () => void;

/** Where recorded events go: one JSON object per line. */
export interface EventSink {
	write(line: string): void;
}

export interface StoreOptions {
	/** Clock used to stamp events that arrive without `at`. */
	now?: () => number;
	/** How many events `history()` keeps; older ones are dropped (state keeps their effect). */
	historyLimit?: number;
	/** Every appended event is also written here as NDJSON (`--record FILE`). */
	sink?: EventSink;
	/** Sees every event object right after it is reduced (plain-line printers). */
	onEvent?: (event: BringupEvent) => void;
}

export interface Store {
	append(event: NewEvent): BringupEvent;
	getState(): State;
	subscribe(listener: Listener): () => void;
	/** The most recent events, oldest first, at most `historyLimit` of them. */
	history(): readonly BringupEvent[];
}

export const DEFAULT_HISTORY = 10_000;

export function createStore(options: StoreOptions = {}): Store {
	const now = options.now ?? Date.now;
	const limit = options.historyLimit ?? DEFAULT_HISTORY;
	let state = initialState;
	let events: BringupEvent[] = [];
	const listeners = new Set<Listener>();

	return {
		append(input) {
			const event = { ...input, at: input.at ?? now() } as BringupEvent;
			state = reduce(state, event);
			events.push(event);
			// Trim in chunks so a long session does not pay an O(n) shift per event.
			if (events.length > limit * 1.25) events = events.slice(events.length - limit);
			options.sink?.write(`${JSON.stringify(event)}\n`);
			options.onEvent?.(event);
			for (const listener of [...listeners]) listener();
			return event;
		},
		getState: () => state,
		subscribe(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		history: () => (events.length > limit ? events.slice(events.length - limit) : events),
	};
}

/**
 * The recording format this build writes and reads. A recording starts with a header line
 * `{"type":"recording","format":N}`; raise N when an event changes shape in a way an older
 * reader would misread, so that it refuses the file instead of replaying it wrongly.
 */
export const RECORDING_FORMAT = 1;

export function recordingHeader(): string {
	return `${JSON.stringify({ type: "recording", format: RECORDING_FORMAT, program: "bringup" })}\n`;
}

export class RecordingFormatError extends InputError {
	override readonly kind = "recording-format";
	constructor(
		readonly file: string,
		readonly line: number,
		readonly reason: string,
	) {
		super(`${file}:${line}: ${reason}`, { file, line });
	}
}

/** A recording written by a newer bringup, in a format this one does not know. */
export class RecordingVersionError extends InputError {
	override readonly kind = "recording-version";
	constructor(
		readonly file: string,
		readonly format: number,
	) {
		super(
			`${file} is a recording in format ${format}; this bringup reads formats up to ${RECORDING_FORMAT}`,
			{ file, format, supported: RECORDING_FORMAT },
			"It was made by a newer bringup: replay it with that version, or update this one.",
		);
	}
}

function isHeader(value: unknown): value is { type: "recording"; format: unknown } {
	return (
		typeof value === "object" &&
		value !== null &&
		(value as { type?: unknown }).type === "recording"
	);
}

/**
 * Parses an NDJSON recording; blank lines are allowed, the first line may be the format header,
 * anything else must be an event. A recording without a header is format 1 (the first one, which
 * had none). A last line without its newline that is not JSON is a write cut short (the process
 * was killed): it is dropped, so that the recording of a session that crashed can still be
 * replayed.
 */
export function parseRecording(text: string, file = "recording"): BringupEvent[] {
	const events: BringupEvent[] = [];
	const lines = text.split("\n");
	let seenContent = false;
	for (let i = 0; i < lines.length; i++) {
		const line = lines[i]!.trim();
		if (line === "") continue;
		let value: unknown;
		try {
			value = JSON.parse(line);
		} catch {
			if (i === lines.length - 1) break;
			throw new RecordingFormatError(file, i + 1, "not JSON");
		}
		if (isHeader(value) && !seenContent) {
			seenContent = true;
			const format = value.format;
			if (typeof format !== "number" || !Number.isInteger(format) || format < 1)
				throw new RecordingFormatError(file, i + 1, "the header names no format number");
			if (format > RECORDING_FORMAT) throw new RecordingVersionError(file, format);
			continue;
		}
		seenContent = true;
		if (!isBringupEvent(value)) throw new RecordingFormatError(file, i + 1, "not a bringup event");
		events.push(value);
	}
	return events;
}

/** Feeds recorded events through the same reducer, as the live session did. */
export function replay(events: readonly BringupEvent[], into: Store = createStore()): Store {
	for (const event of events) into.append(event);
	return into;
}
