import { useRef } from "react";
import { useStoreView } from "./contexts.js";
import { type LogEntry, logEntry } from "./log-entries.js";
import { useStore } from "./use-store.js";

const selectSeq = (s: { seq: number }) => s.seq;

/** Lines the Log screen keeps; a day-long session drops its oldest ones. */
export const LOG_ENTRIES_LIMIT = 2_000;

/**
 * The describable events of the session so far (the newest LOG_ENTRIES_LIMIT), newest last; the
 * list grows with the session's lines, not with its progress events. A replay stepped back ends
 * earlier: the entries past the new position are cut off (entries carry their event number, so
 * what remains is exactly the shorter session's).
 */
export function useLogEntries(): { entries: readonly LogEntry[]; sources: readonly string[] } {
	const view = useStoreView();
	const seq = useStore(selectSeq);
	const acc = useRef<{ seq: number; entries: LogEntry[]; sources: string[] }>({
		seq: 0,
		entries: [],
		sources: [],
	});
	const a = acc.current;
	if (seq < a.seq) {
		let keep = a.entries.length;
		while (keep > 0 && a.entries[keep - 1]!.seq > seq) keep--;
		a.entries = a.entries.slice(0, keep);
		a.sources = [...new Set(a.entries.map((e) => e.source))];
		a.seq = seq;
	}
	if (seq > a.seq) {
		const fresh = view.eventsSince(a.seq);
		const jobs = view.getState().jobs;
		const boardOf = (job: string) => jobs[job]?.plan.board;
		let n = seq - fresh.length;
		const added: LogEntry[] = [];
		for (const e of fresh) {
			n++;
			const entry = logEntry(e, n, boardOf);
			if (!entry) continue;
			added.push(entry);
			if (!a.sources.includes(entry.source)) a.sources = [...a.sources, entry.source];
		}
		a.seq = seq;
		// A new list only when lines came (progress events have none: during a flash the screen
		// would otherwise lay out every line again 15 times a second). Trimmed in chunks, so that
		// a long session does not copy the list on every new line.
		if (added.length) {
			const entries = [...a.entries, ...added];
			a.entries =
				entries.length > LOG_ENTRIES_LIMIT * 1.25
					? entries.slice(entries.length - LOG_ENTRIES_LIMIT)
					: entries;
		}
	}
	return { entries: a.entries, sources: a.sources };
}
