import type { Key } from "ink";
import type { ReplayControls } from "../app/intents.js";

export type ReplayStep = "next" | "previous" | "nextMarker" | "previousMarker" | "start" | "end";

/**
 * Keys that move through a recording. Punctuation and g/G, so they clash with no screen's
 * letters (s, a, e, p, f, v, w) nor with the digits that switch screens.
 */
export function replayStepFor(input: string, key: Key): ReplayStep | undefined {
	if (key.home) return "start";
	if (key.end) return "end";
	if (key.ctrl || key.meta) return undefined;
	return STEP_KEYS[input];
}

const STEP_KEYS: Record<string, ReplayStep> = {
	".": "next",
	",": "previous",
	">": "nextMarker",
	"<": "previousMarker",
	g: "start",
	G: "end",
};

/**
 * The steps a key press asks for. Keys typed faster than Ink reads them (a held key, a terminal
 * multiplexer sending a burst) arrive as one input such as "....": each character is a step.
 */
export function replayStepsFor(input: string, key: Key): ReplayStep[] {
	const one = replayStepFor(input, key);
	if (one) return [one];
	if (input.length < 2 || key.ctrl || key.meta) return [];
	const steps = [...input].map((ch) => STEP_KEYS[ch]);
	return steps.every((s) => s !== undefined) ? (steps as ReplayStep[]) : [];
}

export function applyReplayStep(controls: ReplayControls, step: ReplayStep): void {
	if (step === "start") controls.seek(0);
	else if (step === "end") controls.seek(controls.length());
	else controls[step]();
}

/** "replay 123/456  12.3 s": how far into the recording, in events and in session time. */
export function replayPositionText(
	position: number,
	length: number,
	now: number,
	startedAt: number | undefined,
): string {
	const seconds = position > 0 && startedAt !== undefined ? Math.max(0, now - startedAt) / 1000 : 0;
	return `replay ${position}/${length}  ${seconds.toFixed(1)} s`;
}

/** The step keys, for the footer and the help screen. */
export const REPLAY_KEYS: [key: string, label: string][] = [
	[". ,", "step fwd/back"],
	["> <", "next/prev marker"],
	["g G", "start/end"],
];
