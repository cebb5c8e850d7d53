import { Box, Text } from "ink";
import type { SectorState } from "../store/events.js";
import type { JobState } from "../store/reduce.js";
import { sectorCells } from "./job-view.js";
import { glyphs } from "./theme.js";

const order: SectorState[] = ["planned", "unchanged", "erased", "written", "verified", "failed"];

/** The planned sectors as glyphs that fill in as flash.sector events arrive, with a legend. */
export function SectorMap({
	job,
	width,
	maxLines,
}: {
	job: JobState;
	width: number;
	maxLines: number;
}) {
	const cellsPerLine = Math.max(8, width);
	const cells = sectorCells(job, cellsPerLine * maxLines);
	const per = Math.ceil(job.plan.sectors.length / Math.max(1, cells.length));
	const lines: string[] = [];
	for (let i = 0; i < cells.length; i += cellsPerLine)
		lines.push(
			cells
				.slice(i, i + cellsPerLine)
				.map((c) => glyphs.sector[c])
				.join(""),
		);
	const count = (s: SectorState) =>
		job.plan.sectors.filter((p) => (job.sectors[p.address] ?? "planned") === s).length;
	return (
		<Box flexDirection="column">
			{lines.map((line, i) => (
				// biome-ignore lint/suspicious/noArrayIndexKey: lines are positional
				<Text key={i}>{line}</Text>
			))}
			<Text dimColor wrap="truncate">
				{order
					.filter((s) => s !== "unchanged" || job.plan.compare || count(s) > 0)
					.map((s) => `${glyphs.sector[s]} ${s}${count(s) ? ` ${count(s)}` : ""}`)
					.join("  ")}
				{per > 1 ? `  (1 cell = ${per} sectors)` : ""}
			</Text>
		</Box>
	);
}
