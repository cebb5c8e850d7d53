import type { Clock } from "../clock.js";
import { UsageError } from "../errors.js";
import type { CheckStatus, Finding } from "../store/events.js";
import type { State } from "../store/reduce.js";
import type { Store } from "../store/store.js";
import { CAUSE_FOCUS, CHECKLIST, familyGroup } from "./checklist-steps.js";
import type {
	Answer,
	Cause,
	FamilyGroup,
	Outcome,
	ResolvedStep,
	StepDef,
	StepResult,
	Verdict,
} from "./checklist-types.js";

export {
	AUTO_STEP_IDS,
	AUTO_STEPS,
	CHECKLIST,
	familyGroup,
	MANUAL_STEPS,
} from "./checklist-steps.js";
export type * from "./checklist-types.js";

const DONE: ReadonlySet<CheckStatus> = new Set(["pass", "fail", "warn", "skip"]);

export function isDone(status: CheckStatus | undefined): boolean {
	return status !== undefined && DONE.has(status);
}

/** A step with its family's instructions, expected values and answers applied. */
export function resolveStep(def: StepDef, group: FamilyGroup): ResolvedStep {
	const variant = def.byFamily?.[group];
	const range = variant?.range ?? def.measure?.range;
	return {
		id: def.id,
		title: def.title,
		kind: def.kind,
		why: def.why,
		instructions: variant?.instructions ?? def.instructions,
		expect: variant?.expect ?? def.expect,
		...(def.measure
			? {
					measure: {
						what: def.measure.what,
						...(range ? { unit: range.unit, min: range.min, max: range.max } : {}),
					},
				}
			: {}),
		answers: { ...def.answers, ...variant?.answers },
	};
}

/** Whether a step applies to this family and to what earlier steps found. */
export function applies(def: StepDef, group: FamilyGroup, state: State): boolean {
	const pre = def.preconditions;
	if (!pre) return true;
	if (pre.families && !pre.families.includes(group)) return false;
	if (pre.after) {
		const status = state.checks[pre.after.step]?.status;
		if (!status || !pre.after.status.includes(status)) return false;
	}
	return true;
}

/** What an answer means for a step; a measured value is judged against the expected range. */
export function outcomeOf(step: ResolvedStep, answer: Answer, value?: number | string): Outcome {
	if (answer !== "value") return step.answers[answer];
	const m = step.measure;
	if (typeof value !== "number" || !m) {
		return {
			status: "warn",
			meaning: `Recorded "${String(value ?? "")}"; the tool cannot judge it, compare it with the expected value.`,
		};
	}
	const low = m.min !== undefined && value < m.min;
	const high = m.max !== undefined && value > m.max;
	const base = low || high ? step.answers.fail : step.answers.pass;
	const bound = low
		? `below ${m.min} ${m.unit ?? ""}`
		: high
			? `above ${m.max} ${m.unit ?? ""}`
			: "";
	return low || high
		? { ...base, meaning: `${value} ${m.unit ?? ""} is ${bound.trim()}. ${base.meaning}` }
		: { ...base, meaning: `${value} ${m.unit ?? ""} is in range. ${base.meaning}` };
}

/** The cause a finding names, carried in its evidence so that a replayed recording keeps it. */
export function causeOf(finding: Finding): Cause | undefined {
	const c = finding.evidence?.cause;
	return typeof c === "string" ? (c as Cause) : undefined;
}

/**
 * The first failing automatic step and the reason its first error finding names; null when every
 * automatic step that ran passed. Pure over state, so a replayed recording gives the same verdict.
 */
export function verdictOf(state: State, steps: readonly StepDef[] = CHECKLIST): Verdict | null {
	for (const def of steps) {
		if (def.kind !== "auto") continue;
		const check = state.checks[def.id];
		if (check?.status !== "fail") continue;
		const named =
			check.findings.find((f) => f.severity === "error" && causeOf(f)) ??
			check.findings.find((f) => causeOf(f));
		const first = named ?? check.findings[0];
		return {
			step: def.id,
			cause: (named && causeOf(named)) || "device-error",
			message: first?.message ?? check.summary ?? `${def.title}: failed`,
		};
	}
	return null;
}

export interface ChecklistOptions {
	store: Store;
	clock: Clock;
	/** The chip's family ("F4", "STM32F405/407", ...); undefined shows the generic instructions. */
	family?: string;
	steps?: readonly StepDef[];
	/** Event source written into check.* events. */
	source?: string;
}

export interface ChecklistEngine {
	readonly group: FamilyGroup;
	/** Steps that apply now (preconditions depend on earlier results), resolved for the family. */
	steps(): ResolvedStep[];
	status(step: string): CheckStatus;
	/** The step to run or ask now: the one a previous answer or the verdict points at, else the first pending. */
	next(): ResolvedStep | undefined;
	start(step: string): void;
	/** Records an automatic step's result. */
	record(step: string, result: StepResult): void;
	/** Records the user's answer to a manual step and its result; returns what it means. */
	answer(step: string, answer: Answer, value?: number | string): Outcome;
	/**
	 * Runs the automatic steps in order with the given runners (missing runners skip). Steps that
	 * already have a result are kept (resume) unless `again` is set.
	 */
	runAuto(
		runners: Partial<Record<string, () => Promise<StepResult>>>,
		options?: { again?: boolean },
	): Promise<void>;
	verdict(): Verdict | null;
}

/** An answer or result for a step the checklist does not have. */
export class UnknownStepError extends UsageError {
	override readonly kind = "unknown-step";
	constructor(readonly step: string) {
		super(`no checklist step "${step}"`, { step }, "Use one of the step ids the checklist lists.");
	}
}

/**
 * Runs the checklist against a store. The engine keeps no progress of its own: every start,
 * result and answer is an event, and what is done or next is read back from the store's state.
 * So resuming is creating an engine over a store that already holds the events (a live store, or
 * a recording replayed into one).
 */
export function createChecklist(options: ChecklistOptions): ChecklistEngine {
	const { store, clock } = options;
	const defs = options.steps ?? CHECKLIST;
	const group = familyGroup(options.family);
	const source = options.source ?? "checklist";

	const defOf = (id: string) => {
		const def = defs.find((d) => d.id === id);
		if (!def) throw new UnknownStepError(id);
		return def;
	};
	const status = (id: string): CheckStatus => store.getState().checks[id]?.status ?? "pending";
	const applicable = () => defs.filter((d) => applies(d, group, store.getState()));

	/** The step the latest answer (or, before any answer, the verdict) sends the user to. */
	const pointedAt = (): string | undefined => {
		const state = store.getState();
		// The store's history gives the answers' true order (several can share a timestamp); state
		// is the fallback when that part of the history was trimmed.
		let latest: { step: string; answer: string; value?: number | string } | undefined;
		const history = store.history();
		for (let i = history.length - 1; i >= 0 && !latest; i--) {
			const e = history[i]!;
			if (e.type === "checklist.answer") latest = e;
		}
		if (!latest) {
			let at = Number.NEGATIVE_INFINITY;
			for (const id of state.checkOrder) {
				const last = state.checks[id]?.answers.at(-1);
				if (last && last.at >= at) {
					at = last.at;
					latest = { step: id, ...last };
				}
			}
		}
		if (latest) {
			const def = defs.find((d) => d.id === latest.step);
			if (!def) return undefined;
			return outcomeOf(resolveStep(def, group), latest.answer as Answer, latest.value).next;
		}
		const verdict = verdictOf(state, defs);
		return verdict ? CAUSE_FOCUS[verdict.cause] : undefined;
	};

	const engine: ChecklistEngine = {
		group,
		steps: () => applicable().map((d) => resolveStep(d, group)),
		status,
		next() {
			const open = applicable().filter((d) => !isDone(status(d.id)));
			const auto = open.find((d) => d.kind === "auto");
			if (auto) return resolveStep(auto, group);
			const target = pointedAt();
			const chosen = open.find((d) => d.id === target) ?? open[0];
			return chosen ? resolveStep(chosen, group) : undefined;
		},
		start(step) {
			defOf(step);
			store.append({ type: "check.started", source, at: clock.now(), step });
		},
		record(step, result) {
			defOf(step);
			store.append({
				type: "check.result",
				source,
				at: clock.now(),
				step,
				status: result.status,
				summary: result.summary,
				findings: result.findings,
			});
		},
		answer(step, answer, value) {
			const resolved = resolveStep(defOf(step), group);
			const outcome = outcomeOf(resolved, answer, value);
			store.append({
				type: "checklist.answer",
				source,
				at: clock.now(),
				step,
				answer,
				...(value !== undefined ? { value } : {}),
			});
			store.append({
				type: "check.result",
				source,
				at: clock.now(),
				step,
				status: outcome.status,
				summary: outcome.advice ? `${outcome.meaning} ${outcome.advice}` : outcome.meaning,
				findings: [],
			});
			return outcome;
		},
		async runAuto(runners, runOptions) {
			for (const def of applicable()) {
				if (def.kind !== "auto") continue;
				if (!runOptions?.again && isDone(status(def.id))) continue;
				engine.start(def.id);
				const run = runners[def.id];
				const result: StepResult = run
					? await run()
					: { status: "skip", summary: "Not run here.", findings: [] };
				engine.record(def.id, result);
			}
		},
		verdict: () => verdictOf(store.getState(), defs),
	};
	return engine;
}
