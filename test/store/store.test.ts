import { describe, expect, it } from "vitest";
import type { NewEvent } from "../../source/store/events.js";
import {
	createStore,
	parseRecording,
	RECORDING_FORMAT,
	RecordingFormatError,
	RecordingVersionError,
	recordingHeader,
	replay,
} from "../../source/store/store.js";

const f407 = {
	key: "sim:1",
	backend: "sim" as const,
	vendorId: 0x0483,
	productId: 0xdf11,
	bcdDevice: 0x2200,
	serial: "315A28A0B956",
	mode: "dfu" as const,
};

function session(): NewEvent[] {
	return [
		{ type: "device.attached", source: "sim", at: 1, device: f407 },
		{
			type: "flash.planned",
			source: "dfu",
			at: 2,
			job: "j1",
			device: "sim:1",
			plan: {
				operation: "download",
				alt: 0,
				ranges: [{ address: 0x08000000, size: 4096 }],
				sectors: [{ address: 0x08000000, size: 16384, erase: true }],
				totalBytes: 4096,
				transferSize: 2048,
				verify: true,
				leave: true,
			},
		},
		{ type: "flash.phase", source: "dfu", at: 3, job: "j1", phase: "erase", status: "started" },
		{
			type: "flash.sector",
			source: "dfu",
			at: 4,
			job: "j1",
			address: 0x08000000,
			size: 16384,
			state: "erased",
		},
		{ type: "flash.phase", source: "dfu", at: 5, job: "j1", phase: "erase", status: "finished" },
		{
			type: "flash.progress",
			source: "dfu",
			at: 6,
			job: "j1",
			phase: "program",
			done: 2048,
			total: 4096,
		},
		{ type: "flash.finished", source: "dfu", at: 7, job: "j1", ok: true },
		{ type: "device.detached", source: "sim", at: 8, key: "sim:1" },
	];
}

describe("store", () => {
	it("derives devices, jobs and phases from events", () => {
		const store = createStore();
		const [attached, planned, ...rest] = session();
		store.append(attached!);
		expect(store.getState().deviceOrder).toEqual(["sim:1"]);
		expect(store.getState().selected).toBe("sim:1");
		store.append(planned!);
		const job = store.getState().jobs.j1!;
		expect(job.phases.map((p) => p.phase)).toEqual(["erase", "program", "verify", "leave"]);
		for (const e of rest.slice(0, 4)) store.append(e);
		const after = store.getState().jobs.j1!;
		expect(after.sectors[0x08000000]).toBe("erased");
		expect(after.phases[0]!.status).toBe("done");
		expect(after.phases[1]).toMatchObject({ status: "running", done: 2048, total: 4096 });
	});

	it("forgets a detached device and moves the selection", () => {
		const store = createStore();
		for (const e of session()) store.append(e);
		expect(store.getState().devices).toEqual({});
		expect(store.getState().selected).toBeNull();
	});

	it("notifies subscribers and stops after unsubscribe", () => {
		const store = createStore();
		let calls = 0;
		const off = store.subscribe(() => calls++);
		store.append({ type: "log.message", source: "cli", level: "info", text: "a" });
		off();
		store.append({ type: "log.message", source: "cli", level: "info", text: "b" });
		expect(calls).toBe(1);
		expect(store.getState().log.map((l) => l.text)).toEqual(["a", "b"]);
	});

	it("stamps events with the store's clock when they have no time", () => {
		const store = createStore({ now: () => 42 });
		const e = store.append({ type: "log.message", source: "cli", level: "info", text: "x" });
		expect(e.at).toBe(42);
	});

	it("keeps a bounded history", () => {
		const store = createStore({ historyLimit: 10 });
		for (let i = 0; i < 100; i++)
			store.append({ type: "log.message", source: "t", level: "info", text: `${i}` });
		const h = store.history();
		expect(h).toHaveLength(10);
		expect(h.at(-1)).toMatchObject({ text: "99" });
	});

	it("replays a recording into the same state", () => {
		const lines: string[] = [];
		const live = createStore({ sink: { write: (l) => lines.push(l) } });
		for (const e of session()) live.append(e);
		const replayed = replay(parseRecording(lines.join(""), "rec.ndjson"));
		expect(replayed.getState()).toEqual(live.getState());
	});

	it("replays a recording cut off in its last line (the process was killed mid-write)", () => {
		const lines: string[] = [];
		const live = createStore({ sink: { write: (l) => lines.push(l) } });
		for (const e of session()) live.append(e);
		const whole = lines.join("");
		const cut = whole.slice(0, whole.length - 20);
		const events = parseRecording(cut, "rec.ndjson");
		expect(events).toHaveLength(lines.length - 1);
		expect(events).toEqual(parseRecording(lines.slice(0, -1).join(""), "rec.ndjson"));
	});

	it("names the line of a broken recording", () => {
		const good = JSON.stringify({
			type: "log.message",
			source: "t",
			at: 1,
			level: "info",
			text: "ok",
		});
		expect(() => parseRecording(`${good}\n{oops\n`, "r.ndjson")).toThrowError(RecordingFormatError);
		expect(() => parseRecording(`${good}\n{oops\n`, "r.ndjson")).toThrow("r.ndjson:2: not JSON");
		expect(() => parseRecording(`{"type":"nope","at":1,"source":"x"}`, "r")).toThrow(
			"r:1: not a bringup event",
		);
	});

	it("reads a recording that starts with its format header", () => {
		const lines: string[] = [recordingHeader()];
		const live = createStore({ sink: { write: (l) => lines.push(l) } });
		for (const e of session()) live.append(e);
		expect(JSON.parse(lines[0]!)).toMatchObject({ type: "recording", format: RECORDING_FORMAT });
		expect(replay(parseRecording(lines.join(""), "rec.ndjson")).getState()).toEqual(
			live.getState(),
		);
	});

	it("refuses a recording from a newer format, saying which and what to do", () => {
		const newer = `${JSON.stringify({ type: "recording", format: RECORDING_FORMAT + 1 })}\n`;
		expect(() => parseRecording(newer, "new.ndjson")).toThrowError(RecordingVersionError);
		try {
			parseRecording(newer, "new.ndjson");
		} catch (error) {
			const e = error as RecordingVersionError;
			expect(e.message).toContain(`format ${RECORDING_FORMAT + 1}`);
			expect(e.message).toContain(`up to ${RECORDING_FORMAT}`);
			expect(e.exitCode).toBe(2);
			expect(e.hint).toMatch(/newer bringup/);
		}
	});

	it("refuses a header without a format number, and a header after events", () => {
		expect(() => parseRecording(`{"type":"recording"}\n`, "r")).toThrow(
			"r:1: the header names no format number",
		);
		const event = JSON.stringify({
			type: "log.message",
			source: "t",
			at: 1,
			level: "info",
			text: "ok",
		});
		expect(() => parseRecording(`${event}\n{"type":"recording","format":1}\n`, "r")).toThrow(
			"r:2: not a bringup event",
		);
	});
});

describe("inspections", () => {
	it("a file inspected again has the new inspection's findings only", () => {
		const store = createStore();
		const inspect = (target: string, message: string) => {
			store.append({
				type: "inspect.result",
				source: "dfu",
				subject: "fw.bin",
				format: "bin",
				segments: [],
				target,
			});
			store.append({
				type: "inspect.finding",
				source: "dfu",
				subject: "fw.bin",
				finding: { id: "family.mismatch", severity: "error", message },
			});
		};
		inspect("STM32G474", "built for STM32F4");
		inspect("STM32F407", "something else");
		inspect("STM32F407", "something else");
		const inspection = store.getState().inspections["fw.bin"]!;
		expect(inspection.target).toBe("STM32F407");
		expect(inspection.findings.map((f) => f.message)).toEqual(["something else"]);
	});
});
