import type { DeviceIdentity } from "../store/events.js";
import type { State } from "../store/reduce.js";
import { applies, CHECKLIST, familyGroup, resolveStep, verdictOf } from "./checklist.js";
import type { DoctorResult } from "./doctor.js";
import { renderReport } from "./report.js";

export interface DoctorReportExtras {
	device?: DeviceIdentity;
	/** Image file name given to the doctor. */
	image?: string;
	sha256?: string;
	date?: string;
}

/** `bringup doctor --report FILE`: the Markdown report of a doctor run and any answers since. */
export function doctorReport(
	result: DoctorResult,
	state: State,
	extras: DoctorReportExtras = {},
): string {
	return checklistReport(state, {
		family: result.chip.family,
		chip: result.chip.name,
		device: result.device,
		...extras,
		...(result.optionBytes
			? { optionBytes: { family: result.optionBytes.family, fields: result.optionBytes.fields } }
			: {}),
	});
}

/**
 * The report from the store alone (the Checklist screen's "write report", a replayed recording):
 * the verdict is derived from the recorded step results.
 */
export function checklistReport(
	state: State,
	options: DoctorReportExtras & {
		family?: string;
		chip?: string;
		optionBytes?: Parameters<typeof renderReport>[0]["optionBytes"];
	} = {},
): string {
	const { family, ...rest } = options;
	const group = familyGroup(family);
	const steps = CHECKLIST.filter((d) => applies(d, group, state)).map((d) => resolveStep(d, group));
	return renderReport({ state, steps, verdict: verdictOf(state), ...rest });
}
