import { readFile } from "node:fs/promises";
import { InputError } from "../errors.js";
import { describeEvent } from "../store/describe-event.js";
import { parseRecording, replay } from "../store/store.js";
import type { Args } from "./args.js";
import { createOutput } from "./output.js";

export async function loadRecording(file: string) {
	let text: string;
	try {
		text = await readFile(file, "utf8");
	} catch (error) {
		throw new InputError(`cannot read recording ${file}: ${(error as Error).message}`, { file });
	}
	// The parser forgives a cut-off last line (a killed process); a file whose first line is not
	// JSON at all is something else, not a recording with 0 events.
	const first = text.split("\n").find((line) => line.trim() !== "");
	let looksLikeJson = first !== undefined;
	try {
		if (first !== undefined) JSON.parse(first);
	} catch {
		looksLikeJson = false;
	}
	if (!looksLikeJson)
		throw new InputError(
			`${file} is not a bringup recording: ${first === undefined ? "it is empty" : "its first line is not JSON"}`,
			{ file },
			"A recording is the NDJSON file that --record FILE writes.",
		);
	return parseRecording(text, file);
}

/** Prints a recorded session as the live command printed it, and what state it ended in. */
export async function runReplay(args: Args): Promise<number> {
	const file = args.inputs[0] ?? args.replay;
	if (!file) throw new InputError("replay needs a recording: bringup replay FILE");
	const events = await loadRecording(file);
	const out = createOutput(args.json);
	const store = replay(events);
	if (args.json) {
		for (const e of events) process.stdout.write(`${JSON.stringify(e)}\n`);
	} else {
		for (const e of events) {
			const line = describeEvent(e);
			if (line) out.line(`${(e.at - (events[0]?.at ?? 0)).toFixed(0).padStart(7)} ms  ${line}`);
		}
	}
	const state = store.getState();
	const jobs = state.jobOrder.map((id) => state.jobs[id]!);
	out.line(
		`${events.length} events, ${state.deviceOrder.length} device(s) attached at the end, ${jobs.length} job(s): ${jobs.map((j) => `${j.id} ${j.result ? (j.result.ok ? "ok" : "failed") : "unfinished"}`).join(", ") || "none"}`,
	);
	out.result({
		ok: true,
		events: events.length,
		jobs: jobs.map((j) => ({ id: j.id, ok: j.result?.ok ?? null })),
	});
	return 0;
}
