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
