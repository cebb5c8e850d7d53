import type { Finding, Severity } from "../store/events.js";
import type { Cause } from "./checklist-types.js";

type Evidence = NonNullable<Finding["evidence"]>;

/**
 * A finding that names its cause and its fix. Both travel in `evidence` (plain JSON) so that a
 * recorded session replays to the same verdict; the fix is also in the message because that is
 * the line screens and printers show.
 */
export function causedFinding(
	id: string,
	severity: Severity,
	cause: Cause | undefined,
	problem: string,
	fix?: string,
	evidence: Evidence = {},
): Finding {
	return {
		id,
		severity,
		message: fix ? `${problem} Fix: ${fix}` : problem,
		evidence: { ...evidence, ...(cause ? { cause } : {}), ...(fix ? { fix } : {}) },
	};
}
