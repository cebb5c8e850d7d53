import type { Finding, NewEvent } from "../store/events.js";
import type { Inspection } from "./inspect-types.js";

export interface InspectionJson {
	subject: string;
	format: string;
	target?: string;
	/** Set when a raw binary's write address was read from its vector table (no -s given). */
	inferredAddress?: number;
	segments: { address: number; size: number }[];
	vectorTable?: { address: number; initialSp: number; reset: number; length: number };
	guess?: { family: string; part?: string; confidence: number; evidence: string[] };
	findings: Finding[];
}

/** The shape `bringup inspect --json` prints. */
export function inspectionToJson(inspection: Inspection): InspectionJson {
	const vt = inspection.vectorTable;
	const g = inspection.guess;
	return {
		subject: inspection.subject,
		format: inspection.format,
		...(inspection.target ? { target: inspection.target } : {}),
		...(inspection.addressInferred ? { inferredAddress: inspection.writeAddress } : {}),
		segments: inspection.segments,
		...(vt
			? {
					vectorTable: {
						address: vt.address,
						initialSp: vt.initialSp,
						reset: vt.reset,
						length: vt.length,
					},
				}
			: {}),
		...(g
			? {
					guess: {
						family: g.family,
						...(g.part ? { part: g.part } : {}),
						confidence: g.confidence,
						evidence: g.evidence,
					},
				}
			: {}),
		findings: inspection.findings,
	};
}

/** The events that record an inspection: one inspect.result, then one inspect.finding each. */
export function inspectionEvents(inspection: Inspection, source = "inspect"): NewEvent[] {
	const json = inspectionToJson(inspection);
	return [
		{
			type: "inspect.result",
			source,
			subject: json.subject,
			format: json.format,
			segments: json.segments,
			...(json.vectorTable ? { vectorTable: json.vectorTable } : {}),
			...(json.guess ? { guess: json.guess } : {}),
			...(json.target ? { target: json.target } : {}),
		},
		...json.findings.map(
			(finding): NewEvent => ({ type: "inspect.finding", source, subject: json.subject, finding }),
		),
	];
}

export function recordInspection(
	store: { append(event: NewEvent): unknown },
	inspection: Inspection,
	source = "inspect",
): void {
	for (const event of inspectionEvents(inspection, source)) store.append(event);
}
