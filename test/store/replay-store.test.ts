import { describe, expect, it } from "vitest";
import type { BringupEvent, DeviceIdentity, NewEvent } from "../../source/store/events.js";
import {
	CHECKPOINT_EVERY,
	createReplayStore,
	isMarker,
	ReadOnlyStoreError,
} from "../../source/store/replay-store.js";
import { createStore } from "../../source/store/store.js";

const board = (key: string): DeviceIdentity => ({
	key,
	backend: "sim",
	vendorId: 0x0483,
	productId: 0xdf11,
	bcdDevice: 0x2200,
	serial: "315A28A0B956",
	mode: "dfu",
});

/**
 * A session long enough to cross several checkpoints and the log's own limit: a board attached,
 * a flash with many progress events and chatter, the board leaving and coming back, a second flash.
 */
function longSession(): BringupEvent[] {
	const events: BringupEvent[] = [];
	let at = 10_000;
	const add = (e: NewEvent) => {
		at += 7;
		events.push({ ...e, at } as BringupEvent);
	};
	add({ type: "backend.status", source: "sim", backend: "sim", available: true });
	add({ type: "device.attached", source: "sim", device: board("sim:1") });
	for (const job of ["j1", "j2"]) {
		add({
			type: "flash.planned",
			source: "dfu",
			job,
			device: "sim:1",
			plan: {
				operation: "download",
				alt: 0,
				ranges: [{ address: 0x08000000, size: 600 * 64 }],
				sectors: [{ address: 0x08000000, size: 65536, erase: true }],
				totalBytes: 600 * 64,
				transferSize: 64,
				verify: false,
				leave: false,
			},
		});
		add({ type: "flash.phase", source: "dfu", job, phase: "program", status: "started" });
		for (let i = 1; i <= 600; i++) {
			add({
				type: "flash.progress",
				source: "dfu",
				job,
				phase: "program",
				done: i * 64,
				total: 600 * 64,
			});
			if (i % 3 === 0)
				add({ type: "log.message", source: "dfu", level: "debug", text: `block ${i}` });
			if (i === 300) add({ type: "log.message", source: "dfu", level: "warn", text: "slow block" });
		}
		add({ type: "flash.phase", source: "dfu", job, phase: "program", status: "finished" });
		add({ type: "flash.finished", source: "dfu", job, ok: true });
		add({ type: "device.detached", source: "sim", key: "sim:1" });
		add({ type: "device.attached", source: "sim", device: board("sim:1") });
	}
	return events;
}

/** What a live store held after the first n events. */
function liveState(events: BringupEvent[], n: number) {
	const live = createStore();
	for (const e of events.slice(0, n)) live.append(e);
	return live.getState();
}

describe("replay store", () => {
	const events = longSession();

	it("opens before the first event, with the initial state", () => {
		const replay = createReplayStore(events);
		expect(replay.position()).toBe(0);
		expect(replay.length()).toBe(events.length);
		expect(replay.getState()).toEqual(createStore().getState());
		expect(replay.history()).toEqual([]);
		expect(replay.startedAt()).toBe(events[0]!.at);
	});

	it("seeks forward and back to exactly the state a live store had after that prefix", () => {
		expect(events.length).toBeGreaterThan(4 * CHECKPOINT_EVERY);
		const replay = createReplayStore(events);
		// Forward, far back, across checkpoints, onto and next to checkpoint boundaries.
		const stops = [
			5,
			events.length,
			3,
			CHECKPOINT_EVERY,
			CHECKPOINT_EVERY - 1,
			2 * CHECKPOINT_EVERY + 1,
			700,
			events.length - 1,
			1,
			0,
			900,
		];
		for (const n of stops) {
			replay.seek(n);
			expect(replay.position()).toBe(n);
			expect(replay.getState(), `at ${n}`).toEqual(liveState(events, n));
			expect(replay.history()).toEqual(events.slice(0, n));
		}
	});

	it("next and previous step one event and stop at the ends", () => {
		const replay = createReplayStore(events);
		replay.previous();
		expect(replay.position()).toBe(0);
		replay.next();
		replay.next();
		expect(replay.position()).toBe(2);
		expect(replay.getState().deviceOrder).toEqual(["sim:1"]);
		replay.previous();
		expect(replay.getState().deviceOrder).toEqual([]);
		replay.seek(events.length + 50);
		expect(replay.position()).toBe(events.length);
		replay.next();
		expect(replay.position()).toBe(events.length);
		replay.seek(-3);
		expect(replay.position()).toBe(0);
	});

	it("jumps to the next and previous interesting event, skipping progress and debug lines", () => {
		const replay = createReplayStore(events);
		const expected = events.flatMap((e, i) => (isMarker(e) ? [i + 1] : []));
		// The recording ends on a re-attach, itself a marker, so the walk ends exactly there.
		expect(expected.at(-1)).toBe(events.length);
		const visited: number[] = [];
		while (replay.position() < events.length) {
			replay.nextMarker();
			visited.push(replay.position());
		}
		expect(visited).toEqual(expected);
		const stops = visited.map((n) => events[n - 1]!);
		expect(stops.some((e) => e.type === "flash.progress")).toBe(false);
		expect(stops.filter((e) => e.type === "log.message")).toHaveLength(2);
		expect(stops.filter((e) => e.type === "flash.finished")).toHaveLength(2);

		// Back from the end visits the same stops in reverse, then the start.
		replay.seek(events.length);
		const back: number[] = [];
		while (replay.position() > 0) {
			replay.previousMarker();
			back.push(replay.position());
		}
		expect(back).toEqual([...expected.filter((n) => n < events.length)].reverse().concat(0));
	});

	it("counts inspector warnings and errors as markers, not its info findings nor debug lines", () => {
		const finding = (severity: "error" | "warning" | "info"): BringupEvent => ({
			type: "inspect.finding",
			source: "inspect",
			at: 1,
			subject: "fw.bin",
			finding: { id: "x", severity, message: "m" },
		});
		const log = (level: "debug" | "info" | "warn" | "error"): BringupEvent => ({
			type: "log.message",
			source: "dfu",
			at: 1,
			level,
			text: "t",
		});
		expect([finding("error"), finding("warning"), finding("info")].map(isMarker)).toEqual([
			true,
			true,
			false,
		]);
		expect([log("error"), log("warn"), log("info"), log("debug")].map(isMarker)).toEqual([
			true,
			true,
			false,
			false,
		]);
	});

	it("stepping to the warning shows it in the log, stepping before it does not", () => {
		const replay = createReplayStore(events);
		const warning = events.findIndex((e) => e.type === "log.message" && e.level === "warn") + 1;
		replay.seek(warning - 1);
		replay.nextMarker();
		expect(replay.position()).toBe(warning);
		expect(replay.getState().log.at(-1)?.text).toBe("slow block");
		replay.previous();
		expect(replay.getState().log.some((l) => l.text === "slow block")).toBe(false);
	});

	it("tells subscribers about every move, and not about a seek that goes nowhere", () => {
		const replay = createReplayStore(events);
		let calls = 0;
		const off = replay.subscribe(() => calls++);
		replay.next();
		replay.seek(40);
		replay.seek(40);
		replay.previous();
		replay.previous();
		expect(calls).toBe(4);
		off();
		replay.next();
		expect(calls).toBe(4);
	});

	it("refuses to append", () => {
		const replay = createReplayStore(events);
		expect(() =>
			replay.append({ type: "log.message", source: "ui", level: "info", text: "x" }),
		).toThrowError(ReadOnlyStoreError);
		expect(replay.position()).toBe(0);
	});

	it("an empty recording stays at 0", () => {
		const replay = createReplayStore([]);
		replay.next();
		replay.nextMarker();
		replay.previousMarker();
		expect(replay.position()).toBe(0);
		expect(replay.length()).toBe(0);
		expect(replay.startedAt()).toBeUndefined();
	});
});
