import { Box, Text } from "ink";
import type { Finding } from "../store/events.js";
import type { DeviceState, JobState } from "../store/reduce.js";
import { deviceName } from "./device-select.js";
import { formatBytes, hex, shortSize } from "./format.js";
import { Prose } from "./prose.js";
import { screenHint } from "./screen-hint.js";

const LABEL = 10;
const FINDING_LABEL = 10;

function sectorRuns(job: JobState): string {
	const erased = job.plan.sectors.filter((s) => s.erase).sort((a, b) => a.address - b.address);
	if (erased.length === 0) return "nothing";
	const total = erased.reduce((sum, s) => sum + s.size, 0);
	const sizes = new Map<number, number>();
	for (const s of erased) sizes.set(s.size, (sizes.get(s.size) ?? 0) + 1);
	const groups = [...sizes].map(([size, n]) => `${n}x${shortSize(size)}`).join(" + ");
	const what = `${erased.length} sector${erased.length === 1 ? "" : "s"} (${groups} = ${formatBytes(total)}) from ${hex(erased[0]!.address)}`;
	// The compare happens when the flash starts: this is the most it can erase.
	return job.plan.compare ? `${what}; unchanged skipped` : what;
}

/**
 * The plan, before anything is written: target, where, how much, which sectors are erased, what
 * the inspector found. Errors block the flash unless it was planned with force.
 */
export function FlashPlan({
	job,
	device,
	findings,
	forced,
	width,
	readOnly,
}: {
	job: JobState;
	device?: DeviceState;
	findings: Finding[];
	forced: boolean;
	width: number;
	readOnly?: boolean;
}) {
	const plan = job.plan;
	const errors = findings.filter((f) => f.severity === "error");
	const blocked = errors.length > 0 && !forced;
	const target = device
		? `${deviceName(device)}${device.identity.serial ? ` serial ${device.identity.serial}` : ""}`
		: `${job.device} (no longer attached)`;
	const ranges = plan.ranges
		.map((r) => `${formatBytes(r.size)} at ${hex(r.address)}..${hex(r.address + r.size - 1)}`)
		.join(", ");
	const then = [
		plan.verify ? "verify by reading back" : "no verify",
		plan.leave ? "leave DFU mode" : "stay in DFU mode",
	].join(", ");
	const rows: [string, string][] = [
		["Target", target],
		["Image", plan.file ?? "(none)"],
		[
			plan.operation === "upload" ? "Read" : "Write",
			`${ranges || "nothing"}${plan.ranges.length > 1 ? `  (${formatBytes(plan.totalBytes)} in all)` : ""}`,
		],
		[
			"Into",
			`alt ${plan.alt}${plan.altName ? ` ${plan.altName.replace(/^@/, "").split("/")[0]!.trim()}` : ""}, ${plan.transferSize} B blocks`,
		],
		["Erase", sectorRuns(job)],
		["Then", then],
	];
	if (plan.estimateMs) {
		const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
		rows.push([
			"Time",
			plan.voltageRange
				? `about ${s(plan.estimateMs.word)} (${plan.voltageRange}; ${s(plan.estimateMs.bytewise)} byte-wise)`
				: `about ${s(plan.estimateMs.bytewise)} byte-wise; ${s(plan.estimateMs.word)} if the supply is 2.7-3.6 V`,
		]);
	}
	// A blocked plan writes nothing, so how it would write (alt, erase, time) gives way to the
	// errors that block it: at 80x24 there is no room for both.
	const shownRows = blocked
		? rows.filter(([label]) => label === "Target" || label === "Image" || label === "Write")
		: rows;
	// Errors first and in full: they are why the plan is blocked, and their last words (the
	// connected chip, the address) matter most. Warnings and notes get a line each.
	// A blocked plan keeps to its errors; its warnings and notes are counted, and are in the log.
	const shownFindings = (
		blocked ? errors : [...errors, ...findings.filter((f) => f.severity !== "error")]
	).slice(0, 5);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>
				Plan for {plan.operation === "download" ? "flashing" : plan.operation} (job {job.id}):
				nothing written yet
			</Text>
			<Box flexDirection="column" marginTop={1}>
				{shownRows.map(([label, value]) => (
					<Box key={label}>
						<Box width={LABEL} flexShrink={0}>
							<Text bold>{label}</Text>
						</Box>
						<Box width={Math.max(10, width - LABEL)}>
							<Text wrap="wrap">{value}</Text>
						</Box>
					</Box>
				))}
			</Box>
			{findings.length > 0 ? (
				<Box flexDirection="column" marginTop={1}>
					<Text bold>Image check</Text>
					{shownFindings.map((f) => (
						<Box key={f.id + f.message}>
							<Box width={FINDING_LABEL} flexShrink={0}>
								<Text>{`  ${f.severity}`}</Text>
							</Box>
							<Prose>{screenHint(f.message)}</Prose>
						</Box>
					))}
					{findings.length > shownFindings.length ? (
						<Text dimColor> ...{findings.length - shownFindings.length} more in the log</Text>
					) : null}
				</Box>
			) : null}
			<Box marginTop={1} flexDirection="column">
				{readOnly ? (
					<Text dimColor>Replay: this plan was recorded; nothing can be started from here.</Text>
				) : blocked ? (
					<Prose>
						<Text bold>Blocked: </Text>
						the image check found {errors.length} error{errors.length === 1 ? "" : "s"}. Fix the
						image, or press F to plan again with force if you know why.
					</Prose>
				) : (
					<Text>
						{forced && errors.length > 0 ? "Planned with force: errors ignored. " : ""}
						Start? y or Enter starts, n or Esc cancels.
					</Text>
				)}
			</Box>
		</Box>
	);
}
