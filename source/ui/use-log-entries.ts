import { useRef } from "react";
import { useStoreView } from "./contexts.js";
import { type LogEntry, logEntry } from "./log-entries.js";
import { useStore } from "./use-store.js";

const selectSeq = (s: { seq: number }) => s.seq;

/**
 * Every describable event of the session so far, newest last. Append-only, so <Static> can print
 * each line exactly once; the list grows with the session's lines, not with its progress events.
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
	if (seq > a.seq) {
		const fresh = view.eventsSince(a.seq);
		let n = seq - fresh.length;
		for (const e of fresh) {
			n++;
			const entry = logEntry(e, n);
			if (!entry) continue;
			a.entries.push(entry);
			if (!a.sources.includes(entry.source)) a.sources = [...a.sources, entry.source];
		}
		a.seq = seq;
		// A new array object, same prefix: Static prints only what was added.
		a.entries = [...a.entries];
	}
	return { entries: a.entries, sources: a.sources };
}
