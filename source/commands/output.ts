import { createWriteStream, type WriteStream } from "node:fs";
import type { BringupEvent } from "../store/events.js";
import { createStore, type EventSink, recordingHeader, type Store } from "../store/store.js";
import { openOutput } from "./output-file.js";

export interface Output {
	/** A plain line for people (suppressed under --json). */
	line(text: string): void;
	/** The final result: a JSON object under --json, nothing otherwise (lines said it already). */
	result(value: Record<string, unknown>): void;
	json: boolean;
}

export function createOutput(
	json: boolean,
	write = (s: string) => process.stdout.write(s),
): Output {
	return {
		json,
		line: (text) => {
			if (!json) write(`${text}\n`);
		},
		result: (value) => {
			if (json) write(`${JSON.stringify({ type: "result", ...value })}\n`);
		},
	};
}

export interface SessionStore {
	store: Store;
	close(): Promise<void>;
}

/**
 * The store of one headless command: --record writes every event to a file, --json streams them
 * to stdout as NDJSON (the result object comes last).
 */
export function sessionStore(options: {
	record?: string;
	json: boolean;
	now?: () => number;
	write?: (s: string) => void;
	/** Sees every event as it is appended (the plain-line printer). */
	onEvent?: (event: BringupEvent) => void;
}): SessionStore {
	let file: WriteStream | undefined;
	const sinks: EventSink[] = [];
	if (options.record) {
		const stream = createWriteStream("", { fd: openOutput(options.record, "the recording") });
		file = stream;
		stream.write(recordingHeader());
		sinks.push({ write: (line) => stream.write(line) });
	}
	if (options.json) {
		const write = options.write ?? ((s: string) => process.stdout.write(s));
		sinks.push({ write });
	}
	const store = createStore({
		now: options.now,
		...(options.onEvent ? { onEvent: options.onEvent } : {}),
		sink: sinks.length
			? {
					write: (line) => {
						for (const s of sinks) s.write(line);
					},
				}
			: undefined,
	});
	return {
		store,
		close: () =>
			new Promise((resolve) => {
				if (!file) return resolve();
				file.end(() => resolve());
			}),
	};
}

export type { BringupEvent };
