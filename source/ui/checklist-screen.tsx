import { Box, Text } from "ink";
import { useState } from "react";
import type { CheckStatus, ErrorInfo } from "../store/events.js";
import { runningJobsOn } from "../store/invariants.js";
import type { CheckState, State } from "../store/reduce.js";
import { Accent } from "./accent.js";
import { type ChecklistStepSource, stepsFrom } from "./checklist-source.js";
import type { ChecklistStep } from "./checklist-steps.js";
import { useIntents } from "./contexts.js";
import { ErrorBox } from "./error-box.js";
import { truncate } from "./format.js";
import { type Hint, KeyHints } from "./key-hints.js";
import { useKeys } from "./keyboard.js";
import { Prose } from "./prose.js";
import { ScreenBody } from "./screen-body.js";
import { TextField } from "./text-field.js";
import { glyphs } from "./theme.js";
import { useStore } from "./use-store.js";

const STATUS_LABEL: Record<CheckStatus, string> = {
	pending: "....",
	running: "now",
	pass: "pass",
	fail: "FAIL",
	warn: "warn",
	skip: "skip",
};

const selectChecks = (s: State) => s;

/** Step ids in order: the definitions' order, then any step the engine reported that has none. */
export function stepOrder(steps: readonly ChecklistStep[], state: State): string[] {
	const ids = steps.map((s) => s.id);
	for (const id of state.checkOrder) if (!ids.includes(id)) ids.push(id);
	return ids;
}

/** The step waiting for the user: the running one, else the first that is still pending. */
export function currentStep(ids: readonly string[], state: State): string | undefined {
	const running = [...ids].reverse().find((id) => state.checks[id]?.status === "running");
	return running ?? ids.find((id) => (state.checks[id]?.status ?? "pending") === "pending");
}

function rangeText(measure?: ChecklistStep["measure"]): string | undefined {
	if (!measure || (measure.min === undefined && measure.max === undefined)) return undefined;
	const unit = measure.unit ? ` ${measure.unit}` : "";
	if (measure.min !== undefined && measure.max !== undefined)
		return `${measure.min} to ${measure.max}${unit}`;
	return measure.min !== undefined
		? `at least ${measure.min}${unit}`
		: `at most ${measure.max}${unit}`;
}

/** A measured value as typed: "3.3", "3,3" (decimal comma), "-0.2", "3.3 V"; undefined otherwise. */
export function parseMeasured(text: string): number | undefined {
	const m = /^([-+]?\d+(?:[.,]\d+)?)\s*[a-zA-Zµ°Ω%]*$/.exec(text.trim());
	if (!m) return undefined;
	const n = Number(m[1]!.replace(",", "."));
	return Number.isFinite(n) ? n : undefined;
}

function answerText(check?: CheckState): string {
	const last = check?.answers.at(-1);
	if (!last) return "";
	return last.value !== undefined ? `${last.answer} ${last.value}` : last.answer;
}

type Prompt = { kind: "value"; step: string } | { kind: "report" } | null;

/**
 * Checklist: each step's state, the highlighted step's instructions and expected values, and the
 * answer keys. Answers go to the highlighted step (the current one unless the user moved).
 */
export function ChecklistScreen({
	width,
	height,
	steps: source,
}: {
	width: number;
	height: number;
	/** Step definitions; by default the doctor's checklist for the selected chip's family. */
	steps?: ChecklistStepSource;
}) {
	const intents = useIntents();
	const state = useStore(selectChecks);
	const steps = stepsFrom(source, state);
	const ids = stepOrder(steps, state);
	const current = currentStep(ids, state);
	const [reviewing, setReviewing] = useState<string | null>(null);
	const [prompt, setPrompt] = useState<Prompt>(null);
	const [typed, setTyped] = useState("");
	const [notice, setNotice] = useState<{ text: string; error?: ErrorInfo } | null>(null);
	const highlighted = reviewing ?? current ?? ids.at(-1);
	const started = state.checkOrder.length > 0;
	const readOnly = intents.readOnly;

	// A new current step takes the highlight back from a step being reviewed.
	const [followed, setFollowed] = useState(current);
	if (followed !== current) {
		setFollowed(current);
		setReviewing(null);
	}

	useKeys(
		(input, key) => {
			if (key.upArrow || key.downArrow) {
				const at = highlighted ? ids.indexOf(highlighted) : -1;
				const next = ids[Math.max(0, Math.min(ids.length - 1, at + (key.upArrow ? -1 : 1)))];
				if (next) setReviewing(next);
				return;
			}
			if (readOnly) return;
			if (!started && key.return) {
				const running = state.selected ? runningJobsOn(state, state.selected) : [];
				if (running.length === 0) return intents.startChecklist();
				// The checks talk to the loader; in the middle of a download they would break it.
				return setNotice({
					text: "The checklist waits for the flash",
					error: {
						kind: "device-busy",
						message: `${running.join(", ")} is running on this device; the checks would interrupt it`,
						hint: "start the checklist when the Flash screen shows the result",
					},
				});
			}
			if (input === "w") {
				setTyped("bringup-report.md");
				setPrompt({ kind: "report" });
				return;
			}
			if (!highlighted || !started) return;
			const auto = steps.find((x) => x.id === highlighted)?.kind === "auto";
			const result = state.checks[highlighted]?.status;
			if (auto && result && result !== "pending" && "pfs".includes(input) && input !== "") {
				// The check's own result and findings are the diagnosis: an answer must not replace it.
				setNotice({ text: "This step was checked automatically; its result stays as found." });
				return;
			}
			if (input === "p") intents.answerCheck(highlighted, "pass");
			else if (input === "f") intents.answerCheck(highlighted, "fail");
			else if (input === "s") intents.answerCheck(highlighted, "skip");
			else if (input === "v") {
				setTyped("");
				setPrompt({ kind: "value", step: highlighted });
			}
		},
		{ isActive: prompt === null },
	);

	const submit = (text: string) => {
		const p = prompt;
		setPrompt(null);
		if (!p) return;
		if (p.kind === "value") {
			const t = text.trim();
			if (!t) return;
			const n = parseMeasured(t);
			if (n === undefined) {
				setNotice({
					text: "Not sent",
					error: {
						kind: "input",
						message: `"${t}" is not a measured value`,
						hint: "type a number, like 3.3 or 3,3 (a unit after it is fine: 3.3 V)",
					},
				});
				return;
			}
			setNotice(null);
			intents.answerCheck(p.step, "value", n);
			return;
		}
		const path = text.trim();
		if (!path) return;
		intents.writeReport(path).then(
			(r) =>
				setNotice(
					r.ok
						? { text: `Report written to ${r.path}` }
						: { text: "The report was not written", error: r.error },
				),
			(e: unknown) =>
				setNotice({
					text: "The report was not written",
					error: { kind: "internal", message: String(e) },
				}),
		);
	};

	const done = ids.filter((id) => {
		const s = state.checks[id]?.status;
		return s === "pass" || s === "fail" || s === "warn" || s === "skip";
	});
	const counts = (["pass", "fail", "warn", "skip"] as const)
		.map((s) => [s, ids.filter((id) => state.checks[id]?.status === s).length] as const)
		.filter(([, n]) => n > 0)
		.map(([s, n]) => `${n} ${s}`)
		.join(", ");

	const def = steps.find((s) => s.id === highlighted);
	const check = highlighted ? state.checks[highlighted] : undefined;
	// The diagnosis first: on a small terminal what did not fit is the rest, not the result.
	const detail: string[] = [];
	if (check?.summary) detail.push(`Result: ${check.summary}`);
	for (const f of check?.findings ?? []) detail.push(`${f.severity}: ${f.message}`);
	if (def?.why) detail.push(def.why);
	for (const line of def?.instructions ?? []) detail.push(line);
	const expected = def?.expect ?? rangeText(def?.measure);
	if (expected) detail.push(`Expected: ${expected}`);
	if (def?.measure)
		detail.push(
			`Measure: ${def.measure.what}${def.measure.unit ? ` (${def.measure.unit})` : ""}, then press v`,
		);
	if (check?.answers.length) {
		detail.push(`Answered: ${answerText(check)}`);
		const key = check.answers.at(-1)!.answer;
		const outcome =
			key === "pass" || key === "fail" || key === "skip" ? def?.answers?.[key] : undefined;
		if (outcome)
			detail.push(outcome.advice ? `${outcome.meaning} ${outcome.advice}` : outcome.meaning);
	}

	const detailRows = 8;
	// Title, intro (until started), prompt or notice: what is left is shared by list and details.
	const fixedRows = 2 + (started ? 0 : 4) + (prompt || notice ? 2 : 0);
	// A step with a diagnosis gives the list fewer rows, so the diagnosis is seen at 80x24.
	const share = check?.summary || check?.findings.length ? 0.35 : 0.55;
	const listRows = Math.max(3, Math.min(ids.length, Math.floor((height - 1 - fixedRows) * share)));
	const at = highlighted ? Math.max(0, ids.indexOf(highlighted)) : 0;
	const start = Math.max(0, Math.min(at - Math.floor(listRows / 2), ids.length - listRows));
	const visible = ids.slice(start, start + listRows);

	let hints: Hint[];
	if (prompt)
		hints = [
			["Enter", "send"],
			["Esc", "cancel"],
		];
	else if (readOnly) hints = [["up/down", "review"]];
	else if (!started)
		hints = [
			["Enter", "start the checklist"],
			["w", "write report"],
		];
	else
		hints = [
			["p", "pass"],
			["f", "fail"],
			["s", "skip"],
			["v", "value"],
			["up/down", "step"],
			["w", "report"],
		];

	return (
		<ScreenBody height={height} footer={<KeyHints hints={hints} width={width} />}>
			<Text bold>
				{ids.length === 0
					? "Boot checklist"
					: `Boot checklist: ${done.length} of ${ids.length} done${counts ? ` (${counts})` : ""}`}
			</Text>
			{ids.length === 0 || !started ? (
				<Box flexDirection="column" marginTop={1}>
					<Prose>
						Step by step through why a board does not run after flashing: what the tool can check
						itself, and what to measure or look at on the board.
					</Prose>
					{readOnly ? null : <Text>Press Enter to start.</Text>}
				</Box>
			) : null}
			<Box flexDirection="column" marginTop={1}>
				{visible.map((id) => {
					const s = state.checks[id];
					const d = steps.find((x) => x.id === id);
					const label = STATUS_LABEL[s?.status ?? "pending"].padEnd(5);
					const answer = answerText(s);
					const text = truncate(
						`${label} ${d?.title ?? id}${answer ? `  [${answer}]` : ""}`,
						width - 2,
					);
					return id === highlighted ? (
						<Accent key={id}>
							{glyphs.pointer} {text}
						</Accent>
					) : (
						<Text key={id}>
							{"  "}
							{text}
						</Text>
					);
				})}
			</Box>
			{prompt ? (
				<Box marginTop={1}>
					<Text>
						{prompt.kind === "value"
							? `Measured value${def?.measure?.unit ? ` (${def.measure.unit})` : ""}: `
							: "Write report to: "}
					</Text>
					<TextField
						value={typed}
						onChange={setTyped}
						editing
						width={Math.max(10, width - 30)}
						onSubmit={submit}
						onCancel={() => setPrompt(null)}
					/>
				</Box>
			) : null}
			{notice ? (
				<Box marginTop={1}>
					{notice.error ? (
						<ErrorBox title={notice.text} error={notice.error} width={width} />
					) : (
						<Text>{notice.text}</Text>
					)}
				</Box>
			) : null}
			{highlighted && (def || check) ? (
				<Box flexDirection="column" marginTop={1}>
					<Text bold>{truncate(def?.title ?? highlighted, width)}</Text>
					{detail.slice(0, detailRows).map((line) => (
						<Prose key={line}>{line}</Prose>
					))}
				</Box>
			) : null}
		</ScreenBody>
	);
}
