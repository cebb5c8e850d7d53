import { createWriteStream, type WriteStream } from "node:fs";
import { fsProblem } from "../errors.js";
import type { BringupEvent } from "../store/events.js";
import { createStore, type EventSink, recordingHeader, type Store } from "../store/store.js";
import { reportAtEnd } from "./late-errors.js";
import { OutputWriteError, openOutput } from "./output-file.js";

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
 *
 * A recording that cannot be written (a full disk) stops at its first failed write while the
 * command goes on: stopping a flash half-way because a log could not be kept would leave the chip
 * half-written. The failure is said when the command ends (exit 1), after its own result.
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
	let failure: unknown;
	const sinks: EventSink[] = [];
	if (options.record) {
		const stream = createWriteStream("", { fd: openOutput(options.record, "the recording") });
		file = stream;
		stream.on("error", (error) => {
			failure ??= error;
		});
		stream.write(recordingHeader());
		sinks.push({
			write: (line) => {
				if (failure === undefined) stream.write(line);
			},
		});
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
		close: async () => {
			const stream = file;
			if (!stream) return;
			file = undefined;
			if (failure === undefined && !stream.destroyed)
				await new Promise<void>((resolve) => {
					stream.once("close", resolve);
					stream.end();
				});
			if (failure !== undefined) {
				const { code, reason } = fsProblem(failure);
				reportAtEnd(
					new OutputWriteError(
						`the recording ${options.record} is incomplete: ${reason}${code ? ` (${code})` : ""}; the command itself went on to its end (see above)`,
						{ file: options.record ?? "", ...(code ? { code } : {}) },
						"Record to a disk with space, e.g. --record /tmp/session.ndjson.",
					),
				);
			}
		},
	};
}

export type { BringupEvent };
