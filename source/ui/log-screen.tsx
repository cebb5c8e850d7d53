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
 */
export function LogScreen({ width }: { width: number }) {
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
			<Text wrap="truncate">
				{shown} of {entries.length} lines, {describeFilter(filter)}
				{sources.length ? `; sources: ${sources.join(" ")}` : ""}
			</Text>
			<KeyHints hints={hints} width={width} />
		</Box>
	);
}

function LogLine({ entry, first, width }: { entry: LogEntry; first: number; width: number }) {
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
				<Text bold={problem} wrap="wrap">
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
