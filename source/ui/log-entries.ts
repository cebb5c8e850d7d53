import { describeEvent } from "../store/describe-event.js";
import type { BringupEvent } from "../store/events.js";
import { screenHint } from "./screen-hint.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

export interface LogEntry {
	/** Position in the session (1-based event number). */
	seq: number;
	at: number;
	source: string;
	level: LogLevel;
	text: string;
}

function levelOf(e: BringupEvent): LogLevel {
	switch (e.type) {
		case "log.message":
			return e.level;
		case "flash.phase":
			return e.status === "failed" ? "error" : "info";
		case "flash.finished":
			return e.ok ? "info" : "error";
		case "inspect.finding":
			return e.finding.severity === "error"
				? "error"
				: e.finding.severity === "warning"
					? "warn"
					: "info";
		case "check.result":
			return e.status === "fail" ? "error" : e.status === "warn" ? "warn" : "info";
		case "backend.status":
			return e.available ? "info" : "warn";
		default:
			return "info";
	}
}

/**
 * One entry per event that has a line (progress, sector and status events are too frequent). A
 * job's lines name its board when it is one of many (`boardOf`: the label its plan carries), so a
 * flash of 20 boards does not log 20 lines of "verify finished" that say nothing of which.
 */
export function logEntry(
	e: BringupEvent,
	seq: number,
	boardOf: (job: string) => string | undefined = () => undefined,
): LogEntry | undefined {
	const text = describeEvent(e);
	if (text === undefined) return undefined;
	const board =
		e.type === "flash.planned" ? e.plan.board : "job" in e && e.job ? boardOf(e.job) : undefined;
	// Findings and hints as the screens say them (the Address field, not -s).
	const said = screenHint(text);
	return {
		seq,
		at: e.at,
		source: e.source,
		level: levelOf(e),
		text: board ? `${board}: ${said}` : said,
	};
}

export interface LogFilter {
	source: string | null;
	problemsOnly: boolean;
}

export function matches(entry: LogEntry, filter: LogFilter): boolean {
	if (filter.source !== null && entry.source !== filter.source) return false;
	if (filter.problemsOnly && entry.level !== "error" && entry.level !== "warn") return false;
	return true;
}

/** The next source filter after `current`: all → each source seen, in order → all. */
export function nextSource(current: string | null, sources: readonly string[]): string | null {
	if (sources.length === 0) return null;
	if (current === null) return sources[0]!;
	const i = sources.indexOf(current);
	return i < 0 || i === sources.length - 1 ? null : sources[i + 1]!;
}
