import type { JobState, State } from "./reduce.js";

/** A job that has started work on its device and not ended: a phase began, no result yet. */
export function jobRunning(job: JobState): boolean {
	return (
		job.result === undefined &&
		!job.phases.some((p) => p.status === "failed") &&
		job.phases.some((p) => p.status !== "pending")
	);
}

/** The jobs running on `device`, oldest first. */
export function runningJobsOn(state: State, device: string): string[] {
	return state.jobOrder.filter((id) => {
		const job = state.jobs[id];
		return job !== undefined && job.device === device && jobRunning(job);
	});
}

/**
 * What must hold after every event, whatever the user does: at most one job running per device
 * (two would interleave their requests on one DFU interface), and no job that is both failed and
 * done (a failed write must never read as a success).
 */
export function invariantViolations(state: State): string[] {
	const problems: string[] = [];
	const perDevice = new Map<string, string[]>();
	for (const id of state.jobOrder) {
		const job = state.jobs[id];
		if (!job) {
			problems.push(`jobOrder names ${id}, which has no state`);
			continue;
		}
		if (jobRunning(job)) perDevice.set(job.device, [...(perDevice.get(job.device) ?? []), id]);
		const failedPhase = job.phases.find((p) => p.status === "failed");
		if (job.result?.ok && failedPhase)
			problems.push(`${id} is done although its ${failedPhase.phase} phase failed`);
	}
	for (const [device, jobs] of perDevice)
		if (jobs.length > 1)
			problems.push(`${device} runs ${jobs.length} jobs at once: ${jobs.join(", ")}`);
	if (Object.keys(state.jobs).length !== state.jobOrder.length)
		problems.push("jobs and jobOrder disagree");
	return problems;
}
