import type { CheckStatus, Finding } from "../store/events.js";

/**
 * The boot checklist as data. Steps are plain objects so the Checklist screen, the headless
 * doctor and the Markdown report all read the same definitions; the engine in checklist.ts only
 * interprets them.
 */

/** The real reason a board does not run, as the doctor names it in its verdict. */
export type Cause =
	| "wrong-family"
	| "link-address"
	| "bad-vector-table"
	| "image-does-not-fit"
	| "empty-flash"
	| "not-written"
	| "read-protection"
	| "write-protection"
	| "boot-option"
	| "boot0"
	| "watchdog"
	| "brown-out"
	| "reset-loop"
	| "no-usb-in-app"
	| "leave-failed"
	| "device-error";

/**
 * Boards differ by family in what to measure and which pins matter. Groups share one set of
 * instructions: F2/F4 (BOOT0 + BOOT1 pins, VCAP), F7 (BOOT0 + BOOT_ADD option bytes, VCAP),
 * H7 (BOOT pin + BOOT_ADD, VCAP), G0/C0 (nBOOT_SEL), G4/L4/WB (nSWBOOT0), and the rest.
 */
export type FamilyGroup = "f2f4" | "f7" | "h7" | "g0" | "g4l4wb" | "other";

export type StepKind = "auto" | "manual";

/** Keys a user can answer a manual step with (the Checklist screen's p/f/s/v). */
export type Answer = "pass" | "fail" | "skip" | "value";

/** What an answer means and what to do about it. */
export interface Outcome {
	status: CheckStatus;
	/** One sentence: what this answer tells us. */
	meaning: string;
	/** What to do now, when there is something to do. */
	advice?: string;
	/** Step to go to next; absent = the next pending step in order. */
	next?: string;
}

/** An expected measured value; outside [min, max] the step's "fail" outcome applies. */
export interface ExpectedRange {
	min?: number;
	max?: number;
	unit: string;
}

/** The parts of a step that change with the family; each field overrides the step's default. */
export interface FamilyVariant {
	instructions?: string[];
	expect?: string;
	range?: ExpectedRange;
	/** Overrides per answer. */
	answers?: Partial<Record<Exclude<Answer, "value">, Outcome>>;
}

export interface Preconditions {
	/** Only for these family groups. */
	families?: FamilyGroup[];
	/** Only when an earlier step ended with one of these statuses. */
	after?: { step: string; status: CheckStatus[] };
}

export interface StepDef {
	id: string;
	title: string;
	kind: StepKind;
	/** Which cause from docs/dfuse-protocol.md §3 this step rules in or out, in one sentence. */
	why: string;
	preconditions?: Preconditions;
	/** What to do, one line each (manual steps; auto steps say what the tool does). */
	instructions: string[];
	/** Expected result in words, e.g. "0 V at reset". */
	expect?: string;
	/** For steps answered with a measured value. */
	measure?: { what: string; range?: ExpectedRange };
	/** Meaning and advice per answer; a measured value maps onto pass or fail by `range`. */
	answers: Record<Exclude<Answer, "value">, Outcome>;
	byFamily?: Partial<Record<FamilyGroup, FamilyVariant>>;
}

/**
 * A step with the family's variant applied: what a screen renders. Structurally compatible with
 * the Checklist screen's ChecklistStep (id, title, kind, instructions, expect, measure).
 */
export interface ResolvedStep {
	id: string;
	title: string;
	kind: StepKind;
	why: string;
	instructions: string[];
	expect?: string;
	measure?: { what: string; unit?: string; min?: number; max?: number };
	answers: Record<Exclude<Answer, "value">, Outcome>;
}

/** What an automatic step produced; `cause` names the reason when it failed. */
export interface StepResult {
	status: CheckStatus;
	summary: string;
	findings: Finding[];
}

/** The first failing automatic step and the real reason behind it. */
export interface Verdict {
	step: string;
	cause: Cause;
	message: string;
}
