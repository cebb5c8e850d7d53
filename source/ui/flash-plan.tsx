import { Box, Text } from "ink";
import type { Finding } from "../store/events.js";
import type { DeviceState, JobState } from "../store/reduce.js";
import type { BatchView } from "./batch-view.js";
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

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/**
 * The board's supply, as the plan was made with it: given or remembered for the board (each
 * board of a batch), or not given, in which case the loader writes byte by byte. Never assumed.
 */
export function supplyText(firstJobs: readonly JobState[], offer: boolean): string {
	const ranged = firstJobs.filter((j) => j.plan.supplyVolts !== undefined);
	const tail = offer ? (ranged.length ? "; v changes it" : "; v sets it") : "";
	if (firstJobs.length <= 1) {
		const plan = firstJobs[0]?.plan;
		return plan?.supplyVolts !== undefined
			? `${plan.supplyVolts} V (${plan.voltageRange ?? "range"}), remembered for this board${tail}`
			: `not given: the loader writes byte by byte${tail}`;
	}
	const volts = [...new Set(ranged.map((j) => j.plan.supplyVolts))];
	const n = firstJobs.length;
	if (ranged.length === 0) return `not given for the ${n} boards: byte by byte${tail}`;
	const at =
		volts.length === 1
			? `${volts[0]} V (${ranged[0]!.plan.voltageRange ?? "range"})`
			: `${volts.length} supplies`;
	return ranged.length === n
		? `${at} for all ${n} boards, remembered${tail}`
		: `${at} for ${ranged.length} boards, ${n - ranged.length} not given (byte by byte)${tail}`;
}

/** Expected time at both widths: the one the plan will use first. */
export function timeText(
	estimate: NonNullable<JobState["plan"]["estimateMs"]>,
	range?: string,
): string {
	return range
		? `about ${seconds(estimate.ranged ?? estimate.word)} with ${range}; ${seconds(estimate.bytewise)} byte-wise`
		: `about ${seconds(estimate.bytewise)} byte-wise; ${seconds(estimate.word)} with a 2.7-3.6 V supply`;
}

/**
 * The plan, before anything is written: target, where, how much, which sectors are erased, the
 * board's supply and the time at both widths, what the inspector found. Errors block the flash
 * unless it was planned with force. A flash of many boards (`batch`) says how many are ready.
 */
export function FlashPlan({
	job,
	device,
	findings,
	forced,
	width,
	readOnly,
	batch,
}: {
	job: JobState;
	device?: DeviceState;
	findings: Finding[];
	forced: boolean;
	width: number;
	readOnly?: boolean;
	batch?: BatchView;
}) {
	const plan = job.plan;
	const errors = findings.filter((f) => f.severity === "error");
	const blocked = batch
		? batch.count.planned === 0 && batch.count.blocked > 0
		: errors.length > 0 && !forced;
	const notPlanned = batch?.rows.filter((r) => r.stage === "failed") ?? [];
	const target = batch
		? `${batch.rows.length} ${device ? deviceName(device) : "boards"} in DFU mode: ${batch.count.planned} ready${batch.count.blocked ? `, ${batch.count.blocked} blocked` : ""}${notPlanned.length ? `, ${notPlanned.length} not planned` : ""}`
		: device
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
		[batch ? "Boards" : "Target", target],
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
	// Loaders with the Device Feature word (F2/F4/F7) write faster once told the supply.
	if (plan.estimateMs) {
		const firsts = batch
			? batch.rows.filter((r) => r.stage !== "failed").map((r) => r.jobs[0]!)
			: [job];
		rows.push(["Supply", supplyText(firsts, !readOnly)]);
		rows.push([
			"Time",
			`${timeText(plan.estimateMs, plan.voltageRange)}${batch ? " (each board)" : ""}`,
		]);
	}
	// A blocked plan writes nothing, so how it would write (alt, erase, time) gives way to the
	// errors that block it: at 80x24 there is no room for both.
	const shownRows = blocked
		? rows.filter(([label]) => ["Target", "Boards", "Image", "Write"].includes(label))
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
				Plan for {plan.operation === "download" ? "flashing" : plan.operation}
				{batch ? ` ${batch.rows.length} boards (${batch.id})` : ` (job ${job.id})`}: nothing written
				yet
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
			{notPlanned.slice(0, 2).map((row) => (
				<Text key={row.device} wrap="truncate">
					{`  ${row.label}: ${row.error?.message ?? "could not be planned"}`}
				</Text>
			))}
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
						{batch
							? `Start? y or Enter starts the ${batch.count.planned} ready board${batch.count.planned === 1 ? "" : "s"}, n or Esc cancels.`
							: "Start? y or Enter starts, n or Esc cancels."}
					</Text>
				)}
			</Box>
		</Box>
	);
}
