import type { CheckStatus } from "../store/events.js";

/** What an answer means and what to do about it (the checklist engine's Outcome). */
export interface StepOutcome {
	status?: CheckStatus;
	meaning: string;
	advice?: string;
}

/**
 * What the Checklist screen needs to know about a step beyond its state in the store: its title,
 * what to do or measure, what to expect, and what each answer means. The checklist engine's
 * resolved steps (source/doctor/checklist-types.ts ResolvedStep) fit this shape as they are.
 */
export interface ChecklistStep {
	id: string;
	title: string;
	/** "auto" steps are run by the tool; "manual" ones wait for the user's answer. */
	kind: "auto" | "manual";
	/** Which cause this step rules in or out, in one sentence. */
	why?: string;
	/** What to do, one line each. */
	instructions?: string[];
	/** Expected result or value range, e.g. "above 2.0 V". */
	expect?: string;
	/** When the step asks for a measured value (the v key): what it is, its unit and range. */
	measure?: { what: string; unit?: string; min?: number; max?: number };
	/** Meaning and advice per answer key, shown once the step is answered. */
	answers?: Partial<Record<"pass" | "fail" | "skip", StepOutcome>>;
}
