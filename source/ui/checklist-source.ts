import { applies, CHECKLIST, familyGroup, resolveStep } from "../doctor/checklist.js";
import type { State } from "../store/reduce.js";
import type { ChecklistStep } from "./checklist-steps.js";
import { selectedDevice } from "./device-select.js";

/** Where the Checklist screen gets its step definitions: a list, or a function of the state. */
export type ChecklistStepSource =
	| readonly ChecklistStep[]
	| ((state: State) => readonly ChecklistStep[]);

/**
 * The doctor's boot checklist as it applies now: the selected chip's family picks the
 * instructions and expected values, and steps whose preconditions depend on earlier results
 * appear once those results are in (the same rule the checklist engine follows).
 */
export function doctorChecklistSteps(state: State): ChecklistStep[] {
	const group = familyGroup(selectedDevice(state)?.description?.chip?.family);
	return CHECKLIST.filter((def) => applies(def, group, state)).map((def) =>
		resolveStep(def, group),
	);
}

export function stepsFrom(
	source: ChecklistStepSource | undefined,
	state: State,
): readonly ChecklistStep[] {
	if (source === undefined) return doctorChecklistSteps(state);
	return typeof source === "function" ? source(state) : source;
}
