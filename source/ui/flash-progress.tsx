import { Box, Text } from "ink";
import type { DeviceState, JobState } from "../store/reduce.js";
import { stoppedBy } from "../store/stopped.js";
import { deviceName } from "./device-select.js";
import { ErrorBox } from "./error-box.js";
import { formatBytes, formatDuration, formatRate, hex, truncate } from "./format.js";
import { jobFailure, jobStage, type PhaseView, phaseView } from "./job-view.js";
import { ProgressBar } from "./progress-bar.js";
import { Prose } from "./prose.js";
import { SectorMap } from "./sector-map.js";

const LABEL = 11;

/** Fits the most useful facts first: bytes, then time, then rate. */
function phaseInfo(v: PhaseView, width: number, stopped: boolean): string {
	if (v.status === "pending") return "waiting";
	const parts: string[] = [];
	if (v.status === "failed") parts.push(stopped ? "stopped" : "failed");
	if (v.status === "done") {
		parts.push(
			v.total > 0 ? `${formatBytes(v.total)} in ${formatDuration(v.elapsedMs ?? 0)}` : "done",
		);
	} else if (v.total > 0) {
		parts.push(`${formatBytes(v.done)} of ${formatBytes(v.total)}`);
		if (v.status === "running" && v.etaMs !== undefined)
			parts.push(`ETA ${formatDuration(v.etaMs)}`);
	}
	if (v.rate !== undefined && v.total > 0) parts.push(formatRate(v.rate));
	if (v.status === "running" && v.elapsedMs !== undefined)
		parts.push(`elapsed ${formatDuration(v.elapsedMs)}`);
	let text = "";
	for (const part of parts) {
		const next = text ? `${text}  ${part}` : part;
		if (next.length > width) break;
		text = next;
	}
	return text;
}

function percent(v: PhaseView): string {
	if (v.status === "failed") return "  !";
	if (v.fraction === undefined) return v.status === "running" ? "..." : "  -";
	return `${Math.floor(v.fraction * 100)}%`.padStart(4);
}

/** Per-phase bars, the sector map, the device's last DFU status, and how it ended. */
export function FlashProgress({
	job,
	device,
	now,
	width,
	height,
}: {
	job: JobState;
	device?: DeviceState;
	now: number;
	width: number;
	height: number;
}) {
	const stage = jobStage(job);
	const views = job.phases.map((p) => phaseView(p, now));
	const barWidth = Math.max(10, Math.floor(width * 0.25));
	const infoWidth = Math.max(10, width - LABEL - barWidth - 6);
	const target = device ? deviceName(device) : job.device;
	const file = job.plan.file?.split("/").at(-1) ?? "";
	const title = jobTitle(job.plan.operation, stage, file, target);
	// The job id is in the Log too: a long one (the checklist's reads, a recorded session's) gives
	// way before the title does.
	const heading = `${title}  (job ${job.id})`.length <= width ? `${title}  (job ${job.id})` : title;
	const status = job.lastStatus ?? device?.lastStatus;
	const failure = jobFailure(job);
	// From the first phase, not from planning: the plan may wait on the user for a while.
	const began = job.phases.find((p) => p.startedAt !== undefined)?.startedAt ?? job.startedAt;
	const elapsed = (job.endedAt ?? now) - began;
	const reserved = 2 + views.length + 2 + 2 + 6;
	const mapLines = Math.max(1, Math.min(3, height - reserved));

	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{truncate(heading, width)}</Text>
			<Box flexDirection="column" marginTop={1}>
				{views.map((v) => (
					<Box key={v.phase}>
						<Box width={LABEL} flexShrink={0}>
							<Text bold={v.status === "running"}>{v.phase}</Text>
						</Box>
						<ProgressBar fraction={v.fraction} width={barWidth} />
						<Text> {percent(v)} </Text>
						<Text dimColor={v.status === "pending"}>
							{phaseInfo(v, infoWidth, stoppedBy(failure.error))}
						</Text>
					</Box>
				))}
			</Box>
			{job.plan.sectors.length > 0 ? (
				<Box marginTop={1} flexDirection="column">
					<Text bold>Sectors</Text>
					<SectorMap job={job} width={width} maxLines={mapLines} />
				</Box>
			) : null}
			<Box marginTop={1}>
				<Box width={LABEL} flexShrink={0}>
					<Text bold>Device</Text>
				</Box>
				<Text>
					{truncate(
						status
							? `${status.stateName}, status ${status.statusName}${status.pollTimeout ? `, poll ${status.pollTimeout} ms` : ""}`
							: "no status yet",
						width - LABEL,
					)}
				</Text>
			</Box>
			<Box marginTop={1} flexDirection="column">
				{stage === "done" ? (
					<Prose>
						<Text bold>Done: </Text>
						{doneText(job, elapsed)}
					</Prose>
				) : stage === "failed" ? (
					<ErrorBox
						title={`${stoppedBy(failure.error) ? "Stopped" : "Failed"}${failure.phase ? ` during ${failure.phase.phase}` : ""}${
							failureAddress(job) !== undefined ? ` at ${hex(failureAddress(job)!)}` : ""
						}`}
						error={failure.error}
						width={width}
					/>
				) : (
					<Text dimColor>{formatDuration(elapsed)} so far</Text>
				)}
			</Box>
		</Box>
	);
}

function jobTitle(operation: string, stage: string, file: string, target: string): string {
	const running = stage === "running";
	switch (operation) {
		case "download":
			return `${running ? "Flashing" : stage === "done" ? "Flashed" : "Flash"}${file ? ` ${file}` : ""} to ${target}`;
		case "upload":
			return `${running ? "Reading" : "Read"} ${target}${file ? ` into ${file}` : ""}`;
		case "erase":
			return `Mass erase of ${target}`;
		case "unprotect":
			return `Read-unprotect of ${target}`;
		default:
			return `${operation} ${target}`;
	}
}

function doneText(job: JobState, elapsed: number): string {
	const plan = job.plan;
	const time = ` in ${formatDuration(elapsed)}`;
	const leave = plan.leave ? "; the device was told to leave DFU mode." : ".";
	switch (plan.operation) {
		case "download":
			return `${formatBytes(plan.totalBytes)} written${plan.verify ? " and verified" : ""}${time}${leave}`;
		case "upload":
			return `${formatBytes(plan.totalBytes)} read${time}${leave}`;
		case "erase":
			return `flash erased${time}${leave}`;
		case "unprotect":
			return `read protection removed and flash erased${time}. The chip resets now.`;
		default:
			return `${plan.operation} finished${time}${leave}`;
	}
}

/** The first failed sector, where the store knows one. */
function failureAddress(job: JobState): number | undefined {
	const failed = job.plan.sectors
		.filter((s) => job.sectors[s.address] === "failed")
		.sort((a, b) => a.address - b.address);
	return failed[0]?.address;
}
