import { hex4 } from "../format.js";
import type { CheckStatus, DeviceIdentity, Finding } from "../store/events.js";
import type { State } from "../store/reduce.js";
import type { ResolvedStep, Verdict } from "./checklist-types.js";
import type { OptionField } from "./option-bytes.js";

/**
 * The checklist as a Markdown page a student can hand to a teacher: which board, what the tool
 * checked and found, what was measured and answered, what is left. Pure: built from the store's
 * state and the step definitions, so a replayed recording gives the same report.
 */

export interface ReportInput {
	state: State;
	/** Step definitions resolved for the family, in checklist order. */
	steps: readonly ResolvedStep[];
	verdict: Verdict | null;
	device?: DeviceIdentity;
	/** Chip or family name, e.g. "STM32F405/407". */
	chip?: string;
	/** Image file that was checked against the chip. */
	image?: string;
	sha256?: string;
	optionBytes?: { family: string; fields: OptionField[] };
	/** Caller's timestamp text (ISO date); the report itself reads no clock. */
	date?: string;
}

const LABEL: Record<CheckStatus, string> = {
	pending: "not done",
	running: "in progress",
	pass: "pass",
	fail: "FAIL",
	warn: "warning",
	skip: "skipped",
};

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\n/g, " ");

function findingLine(f: Finding): string {
	return `- **${f.severity}**: ${f.message}`;
}

function answerLines(step: ResolvedStep, state: State): string[] {
	const check = state.checks[step.id];
	const unit = step.measure?.unit ? ` ${step.measure.unit}` : "";
	return (check?.answers ?? []).map((a) =>
		a.answer === "value" ? `- Measured: ${a.value}${unit}` : `- Answer: ${a.answer}`,
	);
}

export function renderReport(input: ReportInput): string {
	const { state, steps, verdict } = input;
	const lines: string[] = ["# Boot checklist report", ""];
	const facts: string[] = [];
	if (input.date) facts.push(`- Date: ${input.date}`);
	if (input.device) {
		const d = input.device;
		facts.push(
			`- Device: ${hex4(d.vendorId)}:${hex4(d.productId)}${d.product ? ` ${d.product}` : ""}${
				d.serial ? `, serial ${d.serial}` : ""
			}`,
		);
	}
	if (input.chip) facts.push(`- Chip: ${input.chip}`);
	facts.push(
		`- Image: ${input.image ?? "none given (the tool inspected what it read from the chip)"}`,
	);
	if (input.sha256) facts.push(`- Expected SHA-256: \`${input.sha256}\``);
	lines.push(...facts, "");

	lines.push("## Verdict", "");
	const autoRan = steps.some((s) => s.kind === "auto" && state.checks[s.id]);
	if (verdict) {
		const title = steps.find((s) => s.id === verdict.step)?.title ?? verdict.step;
		lines.push(`**${title}** failed. Cause: **${verdict.cause}**.`, "", verdict.message, "");
	} else if (autoRan) {
		lines.push("Every automatic check passed (or could not run); see the board checks below.", "");
	} else {
		lines.push("The automatic checks have not run.", "");
	}

	const auto = steps.filter((s) => s.kind === "auto");
	lines.push("## Checked by the tool", "", "| Check | Result | Summary |", "|---|---|---|");
	for (const step of auto) {
		const check = state.checks[step.id];
		lines.push(
			`| ${cell(step.title)} | ${LABEL[check?.status ?? "pending"]} | ${cell(check?.summary ?? "")} |`,
		);
	}
	lines.push("");
	for (const step of auto) {
		const findings = state.checks[step.id]?.findings ?? [];
		if (findings.length === 0) continue;
		lines.push(`### ${step.title}`, "", ...findings.map(findingLine), "");
	}

	if (input.optionBytes && input.optionBytes.fields.length > 0) {
		lines.push(
			`## Option bytes (${input.optionBytes.family})`,
			"",
			"| Field | Value | Meaning |",
			"|---|---|---|",
		);
		for (const f of input.optionBytes.fields)
			lines.push(
				`| ${cell(f.name)} | 0x${f.value.toString(16).toUpperCase()} | ${cell(f.meaning)} |`,
			);
		lines.push("");
	}

	const manual = steps.filter((s) => s.kind === "manual");
	const answered = manual.filter((s) => state.checks[s.id]?.status !== undefined);
	const open = manual.filter((s) => {
		const st = state.checks[s.id]?.status;
		return st === undefined || st === "pending" || st === "running";
	});
	lines.push("## Checked on the board", "");
	if (answered.length === 0) lines.push("No board checks answered yet.", "");
	for (const step of answered) {
		const check = state.checks[step.id]!;
		if (check.status === "pending" || check.status === "running") continue;
		lines.push(`### ${step.title}: ${LABEL[check.status]}`, "");
		if (step.expect) lines.push(`- Expected: ${step.expect}`);
		lines.push(...answerLines(step, state));
		if (check.summary) lines.push(`- What it means: ${check.summary}`);
		lines.push("");
	}

	if (open.length > 0) {
		lines.push("## Still to check", "");
		for (const step of open)
			lines.push(`- ${step.title}${step.expect ? ` (expected: ${step.expect})` : ""}`);
		lines.push("");
	}
	return `${lines.join("\n").trimEnd()}\n`;
}
