import type {
	Backend,
	BringupEvent,
	CheckStatus,
	DeviceDescription,
	DeviceIdentity,
	DfuStatusInfo,
	ErrorInfo,
	Finding,
	FlashPhase,
	FlashPlanSummary,
	SectorState,
} from "./events.js";
import { stoppedBy } from "./stopped.js";

export interface DeviceState {
	identity: DeviceIdentity;
	description?: DeviceDescription;
	attachedAt: number;
	lastStatus?: DfuStatusInfo;
}

export interface PhaseState {
	phase: FlashPhase;
	status: "pending" | "running" | "done" | "failed";
	done: number;
	total: number;
	startedAt?: number;
	endedAt?: number;
	/** Time of the latest progress event, for rates and ETAs. */
	updatedAt?: number;
	error?: ErrorInfo;
}

export interface JobState {
	id: string;
	device: string;
	plan: FlashPlanSummary;
	phases: PhaseState[];
	sectors: Record<number, SectorState>;
	startedAt: number;
	endedAt?: number;
	result?: { ok: boolean; error?: ErrorInfo };
	lastStatus?: DfuStatusInfo;
	stats?: { controlTransfers: number; getStatus: number; elapsedMs: number };
}

export interface InspectionState {
	subject: string;
	format?: string;
	segments: { address: number; size: number }[];
	vectorTable?: { address: number; initialSp: number; reset: number; length: number };
	guess?: { family: string; part?: string; confidence: number; evidence: string[] };
	target?: string;
	findings: Finding[];
}

export interface CheckState {
	step: string;
	status: CheckStatus;
	summary?: string;
	findings: Finding[];
	answers: { answer: string; value?: number | string; at: number }[];
}

export interface LogLine {
	seq: number;
	at: number;
	source: string;
	level: "debug" | "info" | "warn" | "error";
	text: string;
}

export interface BackendState {
	backend: Backend;
	available: boolean;
	message?: string;
	hint?: string;
}

export interface State {
	/** Number of events reduced so far. */
	seq: number;
	now: number;
	backends: Partial<Record<Backend, BackendState>>;
	devices: Record<string, DeviceState>;
	/** Device keys in attach order. */
	deviceOrder: string[];
	selected: string | null;
	jobs: Record<string, JobState>;
	jobOrder: string[];
	inspections: Record<string, InspectionState>;
	checks: Record<string, CheckState>;
	checkOrder: string[];
	log: LogLine[];
}

export const LOG_LIMIT = 500;

/** Finished jobs the state keeps (the newest); running and planned ones are always kept. */
export const FINISHED_JOBS_LIMIT = 50;

/**
 * Drops the oldest finished jobs beyond FINISHED_JOBS_LIMIT (never one of the newest batch), so that a day of flashing keeps the
 * state (and the objects copied on each event) small. A recording keeps every event regardless.
 */
function pruneJobs(state: State): State {
	// The newest flash of many boards stays whole, however many boards it had.
	const newest = state.jobs[state.jobOrder.at(-1) ?? ""]?.plan.batch;
	const finished = state.jobOrder.filter((id) => {
		const job = state.jobs[id];
		return job?.result !== undefined && (newest === undefined || job.plan.batch !== newest);
	});
	// Prune in chunks: one copy of the job table per ten finished jobs, not per job.
	if (finished.length <= FINISHED_JOBS_LIMIT + 10) return state;
	const drop = new Set(finished.slice(0, finished.length - FINISHED_JOBS_LIMIT));
	const jobs: Record<string, JobState> = {};
	for (const id of state.jobOrder) if (!drop.has(id)) jobs[id] = state.jobs[id]!;
	return { ...state, jobs, jobOrder: state.jobOrder.filter((id) => !drop.has(id)) };
}

export const initialState: State = {
	seq: 0,
	now: 0,
	backends: {},
	devices: {},
	deviceOrder: [],
	selected: null,
	jobs: {},
	jobOrder: [],
	inspections: {},
	checks: {},
	checkOrder: [],
	log: [],
};

function updateJob(state: State, id: string, change: (job: JobState) => JobState): State {
	const job = state.jobs[id];
	if (!job) return state;
	return { ...state, jobs: { ...state.jobs, [id]: change(job) } };
}

function updatePhase(
	job: JobState,
	phase: FlashPhase,
	change: (p: PhaseState) => PhaseState,
): JobState {
	const existing = job.phases.find((p) => p.phase === phase);
	const phases = existing
		? job.phases.map((p) => (p.phase === phase ? change(p) : p))
		: [...job.phases, change({ phase, status: "pending", done: 0, total: 0 })];
	return { ...job, phases };
}

function phasesOf(plan: FlashPlanSummary): PhaseState[] {
	const names: FlashPhase[] = [];
	switch (plan.operation) {
		case "download":
			if (plan.compare) names.push("compare");
			names.push("erase", "program");
			if (plan.verify) names.push("verify");
			break;
		case "upload":
			names.push("read");
			break;
		case "erase":
			names.push("mass-erase");
			break;
		case "unprotect":
			names.push("unprotect");
			break;
		case "detach":
			names.push("detach");
			break;
		case "leave":
			break;
	}
	if (plan.leave) names.push("leave");
	return names.map((phase) => ({ phase, status: "pending", done: 0, total: 0 }));
}

function check(state: State, step: string): CheckState {
	return state.checks[step] ?? { step, status: "pending", findings: [], answers: [] };
}

function withCheck(state: State, next: CheckState): State {
	const checkOrder = state.checkOrder.includes(next.step)
		? state.checkOrder
		: [...state.checkOrder, next.step];
	return { ...state, checks: { ...state.checks, [next.step]: next }, checkOrder };
}

function logLine(state: State, event: BringupEvent, level: LogLine["level"], text: string): State {
	const line: LogLine = { seq: state.seq, at: event.at, source: event.source, level, text };
	const log =
		state.log.length >= LOG_LIMIT
			? [...state.log.slice(1 - LOG_LIMIT), line]
			: [...state.log, line];
	return { ...state, log };
}

/** The only place where events become state. Pure: same events, same state. */
export function reduce(previous: State, event: BringupEvent): State {
	const state: State = {
		...previous,
		seq: previous.seq + 1,
		now: Math.max(previous.now, event.at),
	};
	switch (event.type) {
		case "backend.status":
			return {
				...state,
				backends: {
					...state.backends,
					[event.backend]: {
						backend: event.backend,
						available: event.available,
						message: event.message,
						hint: event.hint,
					},
				},
			};
		case "device.attached": {
			const key = event.device.key;
			const deviceOrder = state.deviceOrder.includes(key)
				? state.deviceOrder
				: [...state.deviceOrder, key];
			return {
				...state,
				devices: { ...state.devices, [key]: { identity: event.device, attachedAt: event.at } },
				deviceOrder,
				selected: state.selected ?? key,
			};
		}
		case "device.described": {
			const device = state.devices[event.key];
			if (!device) return state;
			return {
				...state,
				devices: { ...state.devices, [event.key]: { ...device, description: event.description } },
			};
		}
		case "device.detached": {
			if (!state.devices[event.key]) return state;
			const { [event.key]: _gone, ...devices } = state.devices;
			const deviceOrder = state.deviceOrder.filter((k) => k !== event.key);
			const selected = state.selected === event.key ? (deviceOrder[0] ?? null) : state.selected;
			return { ...state, devices, deviceOrder, selected };
		}
		case "device.selected":
			return { ...state, selected: event.key };
		case "flash.planned": {
			const job: JobState = {
				id: event.job,
				device: event.device,
				plan: event.plan,
				phases: phasesOf(event.plan),
				sectors: Object.fromEntries(
					event.plan.sectors.map((s) => [
						s.address,
						(s.unchanged ? "unchanged" : "planned") as SectorState,
					]),
				),
				startedAt: event.at,
			};
			return {
				...state,
				jobs: { ...state.jobs, [event.job]: job },
				jobOrder: [...state.jobOrder.filter((j) => j !== event.job), event.job],
			};
		}
		case "flash.phase": {
			const next = updateJob(state, event.job, (job) =>
				updatePhase(job, event.phase, (p) => {
					if (event.status === "started")
						return {
							...p,
							status: "running",
							startedAt: event.at,
							updatedAt: event.at,
							total: event.total ?? p.total,
						};
					if (event.status === "finished")
						return { ...p, status: "done", endedAt: event.at, done: p.total || p.done };
					return { ...p, status: "failed", endedAt: event.at, error: event.error };
				}),
			);
			return event.status === "failed" && event.error
				? logLine(
						next,
						event,
						"error",
						`${event.phase} ${stoppedBy(event.error) ? "stopped" : "failed"}: ${event.error.message}`,
					)
				: next;
		}
		case "flash.progress":
			return updateJob(state, event.job, (job) =>
				updatePhase(job, event.phase, (p) => ({
					...p,
					status: p.status === "pending" ? "running" : p.status,
					startedAt: p.startedAt ?? event.at,
					done: event.done,
					total: event.total,
					updatedAt: event.at,
				})),
			);
		case "flash.sector":
			return updateJob(state, event.job, (job) => ({
				...job,
				sectors: { ...job.sectors, [event.address]: event.state },
			}));
		case "dfu.status": {
			let next = state;
			const device = state.devices[event.device];
			if (device) {
				next = {
					...next,
					devices: { ...next.devices, [event.device]: { ...device, lastStatus: event.status } },
				};
			}
			if (event.job) {
				next = updateJob(next, event.job, (job) => ({ ...job, lastStatus: event.status }));
			}
			return next;
		}
		case "flash.finished": {
			const next = updateJob(state, event.job, (job) => ({
				...job,
				endedAt: event.at,
				result: { ok: event.ok, error: event.error },
				stats: event.stats,
			}));
			const pruned = pruneJobs(next);
			return event.ok ? pruned : logLine(pruned, event, "error", event.error?.message ?? "failed");
		}
		case "inspect.result": {
			return {
				...state,
				inspections: {
					...state.inspections,
					[event.subject]: {
						subject: event.subject,
						format: event.format,
						segments: event.segments,
						vectorTable: event.vectorTable,
						guess: event.guess,
						target: event.target,
						// A new inspection of the file replaces the last one: its findings follow it
						// (planning fw.bin for a G4 and then for an F4 must not keep the G4's errors).
						findings: [],
					},
				},
			};
		}
		case "inspect.finding": {
			const prior = state.inspections[event.subject] ?? {
				subject: event.subject,
				segments: [],
				findings: [],
			};
			return {
				...state,
				inspections: {
					...state.inspections,
					[event.subject]: { ...prior, findings: [...prior.findings, event.finding] },
				},
			};
		}
		case "check.started":
			return withCheck(state, { ...check(state, event.step), status: "running" });
		case "check.result":
			return withCheck(state, {
				...check(state, event.step),
				status: event.status,
				summary: event.summary,
				findings: event.findings,
			});
		case "checklist.answer": {
			const prior = check(state, event.step);
			return withCheck(state, {
				...prior,
				answers: [...prior.answers, { answer: event.answer, value: event.value, at: event.at }],
			});
		}
		case "log.message":
			return logLine(state, event, event.level, event.text);
	}
}
