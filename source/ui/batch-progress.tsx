import { Box, Text } from "ink";
import { stoppedBy } from "../store/stopped.js";
import { Accent } from "./accent.js";
import type { BatchView, BoardRow } from "./batch-view.js";
import { formatBytes, formatDuration, truncate } from "./format.js";
import { Prose } from "./prose.js";
import { screenHint } from "./screen-hint.js";
import { glyphs } from "./theme.js";

const BAR = 16;

/** How one board stands, in as few words as fit. */
function rowText(row: BoardRow): string {
	const p = row.phase;
	switch (row.stage) {
		case "done": {
			const unchanged = row.jobs.every((j) =>
				j.plan.sectors.every((s) => j.sectors[s.address] === "unchanged"),
			);
			const verified = row.jobs.every((j) => j.plan.verify);
			const took =
				(row.job.endedAt ?? 0) -
				(row.jobs[0]!.phases.find((x) => x.startedAt !== undefined)?.startedAt ??
					row.job.startedAt);
			return `done in ${formatDuration(took)}${unchanged ? ", already held it" : verified ? ", verified" : ""}`;
		}
		case "failed":
			if (stoppedBy(row.error)) return `stopped${row.failedPhase ? ` in ${row.failedPhase}` : ""}`;
			// The kind fits the row; the message in full is below the rows for the chosen board.
			return `FAILED${row.failedPhase ? ` in ${row.failedPhase}` : ""}${row.error ? ` (${row.error.kind})` : ""}`;
		case "blocked":
			return "blocked by the image check";
		case "planned":
			return "waiting to start";
		case "running":
			if (!p) return "starting";
			return p.total > 0 && p.status === "running"
				? `${p.phase} ${formatBytes(p.done)} of ${formatBytes(p.total)}`
				: `${p.phase}`;
	}
}

function percent(row: BoardRow): string {
	if (row.stage === "failed") return stoppedBy(row.error) ? "  -" : "  !";
	return `${Math.floor(row.fraction * 100)}%`.padStart(4);
}

/** The first row of a window `rows` tall over `count` rows that shows `selected`. */
export function windowStart(selected: number, count: number, rows: number): number {
	if (count <= rows) return 0;
	return Math.min(count - rows, Math.max(0, selected - rows + 1));
}

/**
 * A flash of many boards: one row per board (its label, a bar over all its phases, what it is
 * doing or how it ended), how many are done and failed, and the selected board's error in full.
 * The rows scroll when there are more boards than the screen has lines.
 */
export function BatchProgress({
	batch,
	file,
	selected,
	width,
	height,
	now,
}: {
	batch: BatchView;
	file: string;
	selected: number;
	width: number;
	height: number;
	now: number;
}) {
	const { rows, count } = batch;
	const failed = count.failed - batch.stopped;
	const labelWidth = Math.min(22, Math.max(...rows.map((r) => r.label.length), 5));
	const textWidth = Math.max(8, width - 2 - labelWidth - 2 - BAR - 6);
	const chosen = rows[Math.min(selected, rows.length - 1)];
	// Title, blank, the rows, where the window is, blank, the chosen board's four lines.
	const visible = Math.max(3, height - 8);
	const start = windowStart(selected, rows.length, visible);
	const shown = rows.slice(start, start + visible);
	const finished = batch.stage === "finished";
	const began = Math.min(
		...rows.flatMap((r) => r.jobs.flatMap((j) => j.phases.flatMap((p) => p.startedAt ?? []))),
	);
	const ended = Math.max(...rows.map((r) => r.job.endedAt ?? now));
	const elapsed = Number.isFinite(began) ? (finished ? ended : now) - began : 0;
	const tally = [
		`${count.done} done`,
		...(failed ? [`${failed} failed`] : []),
		...(batch.stopped ? [`${batch.stopped} stopped`] : []),
		...(count.running ? [`${count.running} running`] : []),
		...(count.planned + count.blocked ? [`${count.planned + count.blocked} not started`] : []),
	].join(", ");
	const title = finished
		? `${count.done === 0 && batch.stopped > 0 ? "Stopped flashing" : "Flashed"} ${file}: ${count.done} of ${rows.length} boards done${failed ? `, ${failed} failed` : ""}${batch.stopped ? `, ${batch.stopped} stopped` : ""} in ${formatDuration(elapsed)}`
		: `Flashing ${file} to ${rows.length} boards: ${tally}  ${formatDuration(elapsed)}`;

	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{truncate(title, width)}</Text>
			{/* One Text per row, no boxes: twenty rows redrawn 15 times a second stay cheap to lay out. */}
			<Box flexDirection="column" marginTop={1}>
				{shown.map((row, i) => {
					const filled = Math.round(Math.max(0, Math.min(1, row.fraction)) * BAR);
					return (
						<Text key={row.device} wrap="truncate">
							{start + i === selected ? <Accent>{glyphs.pointer}</Accent> : " "}{" "}
							{truncate(row.label, labelWidth).padEnd(labelWidth + 2)}
							{glyphs.barDone.repeat(filled)}
							{glyphs.barTodo.repeat(BAR - filled)} {percent(row)}{" "}
							{truncate(rowText(row), textWidth)}
						</Text>
					);
				})}
			</Box>
			<Text dimColor>
				{rows.length > visible
					? `boards ${start + 1}-${start + shown.length} of ${rows.length}; up/down scrolls`
					: " "}
			</Text>
			{chosen ? (
				<Box flexDirection="column" marginTop={1}>
					{/* The error in full (two lines), then what to try (two): a failed board's why. */}
					<Box height={chosen.stage === "failed" ? 2 : 1} overflow="hidden" flexShrink={0}>
						<Prose>
							<Text bold>{chosen.label}</Text>
							{chosen.stage === "failed" && chosen.error
								? `: ${chosen.error.message}`
								: chosen.job.lastStatus
									? `: ${chosen.job.lastStatus.stateName}, status ${chosen.job.lastStatus.statusName}`
									: ""}
						</Prose>
					</Box>
					{chosen.stage === "failed" && chosen.error?.hint ? (
						<Box height={2} overflow="hidden" flexShrink={0}>
							<Prose dimColor>{screenHint(chosen.error.hint)}</Prose>
						</Box>
					) : null}
				</Box>
			) : null}
		</Box>
	);
}
