import type { CheckStatus, Finding } from "../store/events.js";
import type { Cause } from "./checklist-types.js";

/**
 * Inspector finding ids → the reason the doctor names. Earlier entries are more specific: a link
 * address mismatch explains a reset vector outside the image, not the other way round.
 */
const INSPECT_CAUSES: [RegExp, Cause][] = [
	[/^family\.(mismatch|part-mismatch|not-stm32)$|^fpu\./, "wrong-family"],
	[/^link-address\./, "link-address"],
	[/^vector-table\.reset-outside-image$/, "link-address"],
	[/^image\.(too-large|outside-flash|not-writable)$/, "image-does-not-fit"],
	[/^image\.dfuse-as-raw$|^vector-table\./, "bad-vector-table"],
];

export function withInspectCause(f: Finding): Finding {
	const hit = INSPECT_CAUSES.find(([re]) => re.test(f.id));
	if (!hit || f.severity === "info") return f;
	return { ...f, evidence: { ...f.evidence, cause: hit[1] } };
}

/** Errors before warnings before info; among them, the most specific reason first. */
export function rankOf(f: Finding): number {
	const severity = f.severity === "error" ? 0 : f.severity === "warning" ? 1 : 2;
	const specific = INSPECT_CAUSES.findIndex(([re]) => re.test(f.id));
	return severity * 10 + (specific < 0 ? 9 : specific);
}

export function statusOf(findings: Finding[]): CheckStatus {
	if (findings.some((f) => f.severity === "error")) return "fail";
	if (findings.some((f) => f.severity === "warning")) return "warn";
	return "pass";
}
