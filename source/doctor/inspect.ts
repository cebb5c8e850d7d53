import type { Image } from "../image/image.js";
import { imageSize } from "../image/image.js";
import type { Finding } from "../store/events.js";
import { guessFamily } from "./family-guess.js";
import { bootFindings } from "./inspect-boot-findings.js";
import { coreFindings } from "./inspect-core-findings.js";
import { familyFindings } from "./inspect-family-findings.js";
import { irqFindings } from "./inspect-irq-findings.js";
import { mapFindings } from "./inspect-map-findings.js";
import { placementFindings } from "./inspect-placement-findings.js";
import type { Inspection, InspectTarget } from "./inspect-types.js";
import { vectorFindings } from "./inspect-vector-findings.js";
import { type Placement, placementOf, readVectorTable } from "./inspect-vectors.js";
import { irqHandlers } from "./irq-handlers.js";
import { inferLinkAddress } from "./link-address.js";

export {
	type InspectionJson,
	inspectionEvents,
	inspectionToJson,
	recordInspection,
} from "./inspect-report.js";
export type { Inspection, InspectTarget } from "./inspect-types.js";

/**
 * Checks an image against what a Cortex-M needs at reset and against the target chip: vector
 * table, link address vs write address, size and writable memory, and which family the code
 * was built for.
 */
export function inspect(image: Image, target: InspectTarget = {}): Inspection {
	const placement = placementOf(image, target.address);
	const vectorTable = readVectorTable(image, placement);
	const linked = imageLinkBase(image, placement, target);
	const guess = guessFamily(image, vectorTable, linked);
	const vector = vectorTable
		? vectorFindings(
				vectorTable,
				placement,
				target.chip,
				image.format === "bin" ? linked : undefined,
			)
		: [];
	const findings: Finding[] = [
		...placementFindings(image, placement, target),
		...bootFindings(
			image,
			placement,
			vectorTable,
			target,
			vector.some((f) => f.id === "link-address.mismatch"),
		),
		...vector,
		...familyFindings(guess, target.chip, vectorTable),
		...coreFindings(guess, target.chip),
		...mapFindings(guess, target.chip, vectorTable),
		...irqFindings(irqHandlers(image), target.chip),
	];
	if (!vectorTable) {
		findings.push({
			id: "vector-table.missing",
			severity: "error",
			message: "The image is too short to hold a vector table (fewer than 8 bytes).",
			evidence: { size: imageSize(image) },
		});
	}
	return {
		subject: image.source,
		format: image.format,
		segments: image.segments.map((s) => ({
			address: (s.address + placement.delta) >>> 0,
			size: s.data.length,
		})),
		writeAddress: placement.start,
		vectorTable,
		guess,
		findings,
		target: target.chip?.name,
		...(target.inferred ? { addressInferred: true } : {}),
	};
}

/** Where the image was linked: a raw binary's from its vector table, else its own addresses. */
function imageLinkBase(image: Image, placement: Placement, target: InspectTarget): number {
	if (image.format !== "bin") return image.segments[0]?.address ?? 0;
	if (target.inferred) return target.inferred.address;
	const data = image.segments[0]?.data;
	return (data && inferLinkAddress(data)?.address) ?? placement.start;
}

/** True when flashing should stop: any finding of severity "error". */
export function hasBlockingFindings(inspection: Inspection): boolean {
	return inspection.findings.some((f) => f.severity === "error");
}
