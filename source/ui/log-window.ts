import type { LogEntry } from "./log-entries.js";

/** One terminal row of the Log screen: the first row of an entry carries its time and source. */
export interface LogRow {
	id: string;
	entry: LogEntry;
	text: string;
	first: boolean;
}

/**
 * Breaks `text` into rows of at most `width` columns, at spaces where it can, mid-word where a
 * word is longer than a row. Never returns an empty list.
 */
export function wrapText(text: string, width: number): string[] {
	const w = Math.max(1, width);
	const rows: string[] = [];
	for (const paragraph of text.split("\n")) {
		let rest = paragraph;
		while (rest.length > w) {
			const space = rest.lastIndexOf(" ", w);
			const cut = space > 0 ? space : w;
			rows.push(rest.slice(0, cut));
			rest = rest.slice(space > 0 ? cut + 1 : cut);
		}
		rows.push(rest);
	}
	return rows;
}

/** An entry's words: errors that do not say so themselves get an "error: " in front. */
export function entryText(entry: LogEntry): string {
	const says = entry.text.toLowerCase().includes("fail") || entry.text.startsWith("error");
	return entry.level === "error" && !says ? `error: ${entry.text}` : entry.text;
}

/** Each entry's rows at the width they were laid out for: a new line does not re-wrap the old ones. */
const wrapped = new WeakMap<LogEntry, { width: number; rows: LogRow[] }>();

function entryRows(entry: LogEntry, width: number): LogRow[] {
	const known = wrapped.get(entry);
	if (known?.width === width) return known.rows;
	const rows = wrapText(entryText(entry), width).map((text, i) => ({
		id: `${entry.seq}.${i}`,
		entry,
		text,
		first: i === 0,
	}));
	wrapped.set(entry, { width, rows });
	return rows;
}

/** Every entry as rows of `width` columns, in order. */
export function logRows(entries: readonly LogEntry[], width: number): LogRow[] {
	const rows: LogRow[] = [];
	for (const entry of entries) for (const row of entryRows(entry, width)) rows.push(row);
	return rows;
}

/**
 * Where the window stands: `top` is the first row shown, or null to follow the newest rows (new
 * lines scroll in). Scrolling down to the end follows again.
 */
export type LogScroll = { top: number | null };

export type ScrollMove = "up" | "down" | "pageUp" | "pageDown" | "home" | "end";

/** The first row shown for a scroll position, clamped to the rows there are. */
export function windowTop(scroll: LogScroll, total: number, height: number): number {
	const last = Math.max(0, total - height);
	return scroll.top === null ? last : Math.max(0, Math.min(last, scroll.top));
}

export function moveScroll(
	scroll: LogScroll,
	move: ScrollMove,
	total: number,
	height: number,
): LogScroll {
	const last = Math.max(0, total - height);
	const top = windowTop(scroll, total, height);
	const page = Math.max(1, height - 1);
	const next =
		move === "up"
			? top - 1
			: move === "down"
				? top + 1
				: move === "pageUp"
					? top - page
					: move === "pageDown"
						? top + page
						: move === "home"
							? 0
							: last;
	return next >= last ? { top: null } : { top: Math.max(0, next) };
}
