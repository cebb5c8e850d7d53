import type { SectorState } from "../store/events.js";
import type { JobState, PhaseState, State } from "../store/reduce.js";

/** Where a job is in its life, as the Flash screen shows it. */
export type JobStage = "planned" | "running" | "done" | "failed";

export function jobStage(job: JobState): JobStage {
	// A failed phase decides, whatever a later result says: a failed write never reads as done.
	if (job.phases.some((p) => p.status === "failed")) return "failed";
	if (job.result) return job.result.ok ? "done" : "failed";
	if (job.phases.some((p) => p.status !== "pending")) return "running";
	return "planned";
}

export interface PhaseView {
	phase: PhaseState["phase"];
	status: PhaseState["status"];
	done: number;
	total: number;
	/** 0..1, or undefined while the total is unknown. */
	fraction?: number;
	/** Bytes per second over the phase so far. */
	rate?: number;
	elapsedMs?: number;
	etaMs?: number;
}

/**
 * Rates and times come from event timestamps only (the session clock), so a replayed recording
 * shows the same numbers as the live run did.
 */
export function phaseView(p: PhaseState, now: number): PhaseView {
	const fraction =
		p.status === "done" ? 1 : p.total > 0 ? Math.min(1, p.done / p.total) : undefined;
	const view: PhaseView = {
		phase: p.phase,
		status: p.status,
		done: p.done,
		total: p.total,
		fraction,
	};
	if (p.startedAt === undefined) return view;
	const end = p.endedAt ?? (p.status === "running" ? Math.max(now, p.updatedAt ?? 0) : p.updatedAt);
	const elapsed = Math.max(0, (end ?? p.startedAt) - p.startedAt);
	view.elapsedMs = elapsed;
	const measured = (p.endedAt ?? p.updatedAt ?? p.startedAt) - p.startedAt;
	if (measured > 0 && p.done > 0) {
		view.rate = (p.done / measured) * 1000;
		if (p.status === "running" && p.total > p.done)
			view.etaMs = ((p.total - p.done) / view.rate) * 1000;
	}
	return view;
}

/** The failed phase (if any) and the error to show: the phase's own, else the job result's. */

export function jobFailure(job: JobState) {
	const phase = job.phases.find((p) => p.status === "failed");
	// The job's own result comes last and says the most: a cancelled flash adds what the chip holds.
	const error = job.result?.error ?? phase?.error;
	return { phase, error };
}

const progressRank: Record<SectorState, number> = {
	planned: 0,
	// Final: a delta flash found the image already there (its read-back was the verify).
	unchanged: 3,
	erased: 1,
	written: 2,
	verified: 3,
	failed: 4,
};

/**
 * One cell per sector, in address order. When there are more sectors than cells (an L4 has 256
 * pages), each cell stands for a run of sectors and shows the least advanced of them, or failed
 * when any of them failed, so the map never claims more than is true.
 */
export function sectorCells(job: JobState, maxCells: number): SectorState[] {
	const states = [...job.plan.sectors]
		.sort((a, b) => a.address - b.address)
		.map((s) => job.sectors[s.address] ?? "planned");
	if (states.length <= maxCells || maxCells <= 0) return states;
	const per = Math.ceil(states.length / maxCells);
	const cells: SectorState[] = [];
	for (let i = 0; i < states.length; i += per) {
		const run = states.slice(i, i + per);
		cells.push(
			run.includes("failed")
				? "failed"
				: run.reduce((least, s) => (progressRank[s] < progressRank[least] ? s : least)),
		);
	}
	return cells;
}

/**
 * The job the Flash screen shows: the newest one not dismissed by the user (a replay opens on the
 * recorded flash), unless it has ended and an older one failed without being dismissed: work that
 * came after (the checklist's boot watch leaving DFU mode, say) must not hide a failed flash
 * behind its own "done". A job that ended well and was followed by another is not shown again:
 * Enter on a finished job opens a new flash, not the one before it.
 */
export function latestJobId(state: State, dismissed: ReadonlySet<string>): string | undefined {
	let newest: string | undefined;
	const last = state.jobOrder.length - 1;
	for (let i = last; i >= 0; i--) {
		const id = state.jobOrder[i]!;
		const job = state.jobs[id];
		if (dismissed.has(id) || !job) continue;
		const stage = jobStage(job);
		if (stage === "done" && i !== last) continue;
		if (newest === undefined) {
			newest = id;
			if (stage === "planned" || stage === "running") return id;
		}
		if (stage === "failed") return id;
	}
	return newest;
}
