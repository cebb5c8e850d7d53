import type { ErrorInfo } from "../store/events.js";
import type { JobState, State } from "../store/reduce.js";
import { stoppedBy } from "../store/stopped.js";
import { jobFailure, jobStage, type PhaseView, phaseView } from "./job-view.js";

/** A board's place in a flash of many: its own stage, or blocked by the image check. */
export type BoardStage = "planned" | "blocked" | "running" | "done" | "failed";

export interface BoardRow {
	device: string;
	/** "serial X" or "path 1-3", as its plan names it. */
	label: string;
	/** Its jobs in the order they run (one per alt setting the file writes). */
	jobs: JobState[];
	/** The job to show: the one running, else the first not done, else the last. */
	job: JobState;
	stage: BoardStage;
	/** The phase under way (or the failed one), for the row's words. */
	phase?: PhaseView;
	/** 0..1 over every phase of every job of the board. */
	fraction: number;
	error?: ErrorInfo;
	failedPhase?: string;
}

export interface BatchView {
	id: string;
	rows: BoardRow[];
	count: Record<BoardStage, number>;
	/** Of the failed boards, those the user stopped (x, q, Ctrl+C): not a failure of theirs. */
	stopped: number;
	/** planned: nothing started yet; running: some board still working; finished: every board ended. */
	stage: "planned" | "running" | "finished";
	/** The first job of each board still waiting to start: what confirm and cancel act on. */
	waiting: string[];
}

function blocked(job: JobState): boolean {
	return job.plan.checks?.some((c) => c.id === "inspector" && c.status === "blocked") ?? false;
}

function fractionOf(jobs: readonly JobState[], now: number): number {
	const phases = jobs.flatMap((j) => j.phases);
	if (phases.length === 0) return jobs.every((j) => j.result?.ok) ? 1 : 0;
	const sum = phases.reduce((total, p) => {
		if (p.status === "done") return total + 1;
		return total + (phaseView(p, now).fraction ?? 0);
	}, 0);
	return sum / phases.length;
}

function rowOf(device: string, jobs: JobState[], now: number): BoardRow {
	const stages = jobs.map(jobStage);
	const failedAt = stages.indexOf("failed");
	const runningAt = stages.indexOf("running");
	const pendingAt = stages.findIndex((s) => s !== "done");
	const job =
		jobs[
			failedAt >= 0
				? failedAt
				: runningAt >= 0
					? runningAt
					: pendingAt >= 0
						? pendingAt
						: jobs.length - 1
		]!;
	const stage: BoardStage =
		failedAt >= 0
			? "failed"
			: runningAt >= 0
				? "running"
				: stages.every((s) => s === "done")
					? "done"
					: stages.some((s) => s === "done")
						? "running"
						: blocked(jobs[0]!)
							? "blocked"
							: "planned";
	const current =
		job.phases.find((p) => p.status === "failed") ??
		job.phases.find((p) => p.status === "running") ??
		job.phases.findLast((p) => p.status === "done");
	const failure = stage === "failed" ? jobFailure(job) : undefined;
	return {
		device,
		label: job.plan.board ?? device,
		jobs,
		job,
		stage,
		...(current ? { phase: phaseView(current, now) } : {}),
		fraction: fractionOf(jobs, now),
		...(failure?.error ? { error: failure.error } : {}),
		...(failure?.phase ? { failedPhase: failure.phase.phase } : {}),
	};
}

/** The flash of many boards `batch` names, one row per board in the order they were planned. */
export function batchView(state: State, batch: string): BatchView {
	const byDevice = new Map<string, JobState[]>();
	for (const id of state.jobOrder) {
		const job = state.jobs[id];
		if (job?.plan.batch !== batch) continue;
		byDevice.set(job.device, [...(byDevice.get(job.device) ?? []), job]);
	}
	const rows = [...byDevice].map(([device, jobs]) => rowOf(device, jobs, state.now));
	const count: Record<BoardStage, number> = {
		planned: 0,
		blocked: 0,
		running: 0,
		done: 0,
		failed: 0,
	};
	for (const row of rows) count[row.stage]++;
	const started = rows.some((r) =>
		r.jobs.some((j) => j.phases.some((p) => p.status !== "pending")),
	);
	const ended = rows.every((r) => r.jobs.every((j) => j.result !== undefined));
	return {
		id: batch,
		rows,
		count,
		stopped: rows.filter((r) => r.stage === "failed" && stoppedBy(r.error)).length,
		stage:
			ended && rows.length > 0 ? "finished" : started || count.done > 0 ? "running" : "planned",
		waiting: rows
			.filter((r) => r.stage === "planned" || r.stage === "blocked")
			.map((r) => r.jobs[0]!.id),
	};
}

/** Every job of the batch, for putting the whole flash away at once. */
export function batchJobs(state: State, batch: string): string[] {
	return state.jobOrder.filter((id) => state.jobs[id]?.plan.batch === batch);
}
