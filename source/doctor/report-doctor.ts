import type { DeviceIdentity } from "../store/events.js";
import type { State } from "../store/reduce.js";
import { applies, CHECKLIST, familyGroup, resolveStep } from "./checklist.js";
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
	const group = familyGroup(result.chip.family);
	const steps = CHECKLIST.filter((d) => applies(d, group, state)).map((d) => resolveStep(d, group));
	return renderReport({
		state,
		steps,
		verdict: result.verdict,
		chip: result.chip.name,
		device: result.device,
		...extras,
		...(result.optionBytes
			? { optionBytes: { family: result.optionBytes.family, fields: result.optionBytes.fields } }
			: {}),
	});
}
