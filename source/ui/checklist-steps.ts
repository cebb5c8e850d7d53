/**
 * What the Checklist screen needs to know about a step beyond its state in the store: its title,
 * what to do or measure, and what to expect. The checklist engine's step data is mapped onto this.
 */
export interface ChecklistStep {
	id: string;
	title: string;
	/** "auto" steps are run by the tool; "manual" ones wait for the user's answer. */
	kind: "auto" | "manual";
	/** What to do, one line each. */
	instructions?: string[];
	/** Expected result or value range, e.g. "above 2.0 V". */
	expect?: string;
	/** When the step asks for a measured value (the v key): what it is and its unit. */
	measure?: { what: string; unit?: string };
}
