import { Box, type Key, Text } from "ink";
import { useMemo, useState } from "react";
import { Accent } from "./accent.js";
import { type Hint, KeyHints } from "./key-hints.js";
import { useKeys } from "./keyboard.js";
import { type LogFilter, matches, nextSource } from "./log-entries.js";
import {
	type LogRow,
	type LogScroll,
	logRows,
	moveScroll,
	type ScrollMove,
	windowTop,
} from "./log-window.js";
import { useLogEntries } from "./use-log-entries.js";

const TIME = 9;
const SOURCE = 10;

function describeFilter(f: LogFilter): string {
	const source = f.source === null ? "all sources" : `source ${f.source}`;
	return f.problemsOnly ? `${source}, errors and warnings only` : source;
}

function scrollMoveFor(key: Key, replay: boolean): ScrollMove | undefined {
	if (key.upArrow) return "up";
	if (key.downArrow) return "down";
	if (key.pageUp) return "pageUp";
	if (key.pageDown) return "pageDown";
	// In a replay Home and End move through the recording.
	if (!replay && key.home) return "home";
	if (!replay && key.end) return "end";
	return undefined;
}

/**
 * Log: the session's lines in a window of the screen's height, newest at the bottom, long lines
 * wrapped. It follows new lines until scrolled up (arrows, PgUp/PgDn, Home/End); scrolling back
 * down to the end follows again. Nothing is printed into the terminal's scrollback: the screen
 * is drawn in place like the others, however often it is visited.
 */
export function LogScreen({
	width,
	height,
	replay = false,
}: {
	width: number;
	height: number;
	replay?: boolean;
}) {
	const { entries, sources } = useLogEntries();
	const [filter, setFilter] = useState<LogFilter>({ source: null, problemsOnly: false });
	const [scroll, setScroll] = useState<LogScroll>({ top: null });
	const first = entries[0]?.at ?? 0;
	const rows = Math.max(1, height - 2);
	const textWidth = Math.max(10, width - TIME - SOURCE);

	const shownEntries = useMemo(() => entries.filter((e) => matches(e, filter)), [entries, filter]);
	const all = useMemo(() => logRows(shownEntries, textWidth), [shownEntries, textWidth]);
	const top = windowTop(scroll, all.length, rows);
	const visible = all.slice(top, top + rows);

	const change = (next: LogFilter) => {
		setFilter(next);
		setScroll({ top: null });
	};
	useKeys((input, key) => {
		const move = scrollMoveFor(key, replay);
		if (move) return setScroll((s) => moveScroll(s, move, all.length, rows));
		if (input === "s") change({ ...filter, source: nextSource(filter.source, sources) });
		else if (input === "a") change({ source: null, problemsOnly: false });
		else if (input === "e") change({ ...filter, problemsOnly: !filter.problemsOnly });
	});

	const hints: Hint[] = [
		["s", "next source"],
		["e", filter.problemsOnly ? "all levels" : "errors only"],
		["a", "show all"],
		["up/dn PgUp/PgDn", "scroll"],
	];
	const position =
		all.length > rows
			? scroll.top === null
				? "; newest shown"
				: `; rows ${top + 1}-${top + visible.length} of ${all.length}`
			: "";
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Box flexDirection="column" height={rows} justifyContent="flex-end" overflow="hidden">
				{visible.length === 0 ? (
					<Text dimColor>
						{replay ? "no log lines yet at this point of the recording" : "no log lines yet"}
					</Text>
				) : null}
				{visible.map((row) => (
					<LogRowLine key={row.id} row={row} first={first} width={width} />
				))}
			</Box>
			<Text wrap="truncate">
				{shownEntries.length} of {entries.length} lines, {describeFilter(filter)}
				{position}
				{sources.length ? `; sources: ${sources.join(" ")}` : ""}
			</Text>
			<KeyHints hints={hints} width={width} />
		</Box>
	);
}

function LogRowLine({ row, first, width }: { row: LogRow; first: number; width: number }) {
	const { entry } = row;
	const problem = entry.level === "error" || entry.level === "warn";
	const time = row.first ? `${((entry.at - first) / 1000).toFixed(3)}`.padStart(TIME - 1) : "";
	const source = row.first ? entry.source.slice(0, SOURCE - 1) : "";
	return (
		<Box width={width} height={1}>
			<Box width={TIME} flexShrink={0}>
				<Text dimColor>{time}</Text>
			</Box>
			<Box width={SOURCE} flexShrink={0}>
				{problem ? <Accent>{source}</Accent> : <Text>{source}</Text>}
			</Box>
			<Text bold={problem} wrap="truncate">
				{row.text}
			</Text>
		</Box>
	);
}
