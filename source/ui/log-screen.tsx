import { Box, Static, Text, useInput } from "ink";
import { useMemo, useState } from "react";
import { Accent } from "./accent.js";
import { type Hint, KeyHints } from "./key-hints.js";
import { type LogEntry, type LogFilter, matches, nextSource } from "./log-entries.js";
import { useLogEntries } from "./use-log-entries.js";

const TIME = 9;
const SOURCE = 10;

function describeFilter(f: LogFilter): string {
	const source = f.source === null ? "all sources" : `source ${f.source}`;
	return f.problemsOnly ? `${source}, errors and warnings only` : source;
}

type Item =
	| { kind: "heading"; text: string; id: string }
	| { kind: "line"; entry: LogEntry; id: string };

/**
 * Log: lines go out through <Static>, printed once into the terminal's own scrollback (read it
 * with the terminal's scrolling), newest last just above the live region. A new filter prints the
 * matching lines again under a heading; what was printed stays printed.
 *
 * A replay steps back as well as forward, and <Static> cannot take back a printed line: it would
 * leave lines of a future the screens no longer show, and re-keying it to reprint would pour the
 * whole log into the scrollback again on every step back. So a replay shows the newest lines up
 * to the current position in a window of the screen's height instead, one row per line.
 */
export function LogScreen({
	width,
	height,
	replay,
}: {
	width: number;
	/** Rows for the replay window (the live log uses the terminal's scrollback instead). */
	height?: number;
	replay?: boolean;
}) {
	const { entries, sources } = useLogEntries();
	const [filter, setFilter] = useState<LogFilter>({ source: null, problemsOnly: false });
	const [generation, setGeneration] = useState(0);
	const first = entries[0]?.at ?? 0;

	const change = (next: LogFilter) => {
		setFilter(next);
		setGeneration((g) => g + 1);
	};
	useInput((input) => {
		if (input === "s") change({ ...filter, source: nextSource(filter.source, sources) });
		else if (input === "a") change({ source: null, problemsOnly: false });
		else if (input === "e") change({ ...filter, problemsOnly: !filter.problemsOnly });
	});

	const items = useMemo<Item[]>(() => {
		const heading: Item = {
			kind: "heading",
			id: `h${generation}`,
			text: `-- log: ${describeFilter(filter)} --`,
		};
		return [
			heading,
			...entries
				.filter((e) => matches(e, filter))
				.map((entry): Item => ({ kind: "line", entry, id: `${generation}-${entry.seq}` })),
		];
	}, [entries, filter, generation]);
	const shown = items.length - 1;

	const hints: Hint[] = [
		["s", "next source"],
		["e", filter.problemsOnly ? "all levels" : "errors only"],
		["a", "show all"],
	];
	const status = (
		<Text wrap="truncate">
			{shown} of {entries.length} lines, {describeFilter(filter)}
			{sources.length ? `; sources: ${sources.join(" ")}` : ""}
		</Text>
	);
	if (replay) {
		const rows = Math.max(1, (height ?? 10) - 2);
		const visible = items.slice(1).slice(-rows);
		return (
			<Box flexDirection="column" width={width} height={height}>
				<Box flexDirection="column" height={rows} justifyContent="flex-end">
					{visible.length === 0 ? (
						<Text dimColor>no log lines yet at this point of the recording</Text>
					) : null}
					{visible.map((item) =>
						item.kind === "line" ? (
							<LogLine key={item.id} entry={item.entry} first={first} width={width} truncate />
						) : null,
					)}
				</Box>
				{status}
				<KeyHints hints={hints} width={width} />
			</Box>
		);
	}
	return (
		<Box flexDirection="column" width={width}>
			<Static key={generation} items={items}>
				{(item) =>
					item.kind === "heading" ? (
						<Text key={item.id} dimColor>
							{item.text}
						</Text>
					) : (
						<LogLine key={item.id} entry={item.entry} first={first} width={width} />
					)
				}
			</Static>
			{status}
			<KeyHints hints={hints} width={width} />
		</Box>
	);
}

function LogLine({
	entry,
	first,
	width,
	truncate,
}: {
	entry: LogEntry;
	first: number;
	width: number;
	/** One row per line (the replay window counts rows); otherwise long lines wrap. */
	truncate?: boolean;
}) {
	const time = `${((entry.at - first) / 1000).toFixed(3)}`.padStart(TIME - 1);
	const problem = entry.level === "error" || entry.level === "warn";
	return (
		<Box width={width}>
			<Box width={TIME} flexShrink={0}>
				<Text dimColor>{time}</Text>
			</Box>
			<Box width={SOURCE} flexShrink={0}>
				{problem ? (
					<Accent>{entry.source.slice(0, SOURCE - 1)}</Accent>
				) : (
					<Text>{entry.source.slice(0, SOURCE - 1)}</Text>
				)}
			</Box>
			<Box flexGrow={1}>
				<Text bold={problem} wrap={truncate ? "truncate" : "wrap"}>
					{entry.level === "error" &&
					!entry.text.toLowerCase().includes("fail") &&
					!entry.text.startsWith("error")
						? "error: "
						: ""}
					{entry.text}
				</Text>
			</Box>
		</Box>
	);
}
