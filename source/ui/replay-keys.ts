import type { Key } from "ink";
import type { ReplayControls } from "./intents.js";

export type ReplayStep = "next" | "previous" | "nextMarker" | "previousMarker" | "start" | "end";

/**
 * Keys that move through a recording. Punctuation and g/G, so they clash with no screen's
 * letters (s, a, e, p, f, v, w) nor with the digits that switch screens.
 */
export function replayStepFor(input: string, key: Key): ReplayStep | undefined {
	if (key.home || input === "g") return "start";
	if (key.end || input === "G") return "end";
	if (key.ctrl || key.meta) return undefined;
	switch (input) {
		case ".":
			return "next";
		case ",":
			return "previous";
		case ">":
			return "nextMarker";
		case "<":
			return "previousMarker";
		default:
			return undefined;
	}
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
