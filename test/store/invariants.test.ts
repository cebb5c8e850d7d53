import { describe, expect, it } from "vitest";
import type { NewEvent } from "../../source/store/events.js";
import { invariantViolations, runningJobsOn } from "../../source/store/invariants.js";
import { FINISHED_JOBS_LIMIT } from "../../source/store/reduce.js";
import { createStore } from "../../source/store/store.js";

const planned = (job: string, device: string): NewEvent => ({
	type: "flash.planned",
	source: "dfu",
	job,
	device,
	plan: {
		operation: "download",
		alt: 0,
		ranges: [{ address: 0x08000000, size: 1024 }],
		sectors: [{ address: 0x08000000, size: 16384, erase: true }],
		totalBytes: 1024,
		transferSize: 2048,
		verify: false,
		leave: false,
	},
});
const started = (job: string): NewEvent => ({
	type: "flash.phase",
	source: "dfu",
	job,
	phase: "erase",
	status: "started",
});

describe("store invariants", () => {
	it("hold for one running job per device, jobs on different devices, and planned jobs", () => {
		const store = createStore();
		for (const e of [
			planned("a", "d1"),
			started("a"),
			planned("b", "d2"),
			started("b"),
			planned("c", "d1"),
		])
			store.append(e);
		expect(invariantViolations(store.getState())).toEqual([]);
		expect(runningJobsOn(store.getState(), "d1")).toEqual(["a"]);
	});

	it("name two jobs running at once on one device", () => {
		const store = createStore();
		for (const e of [planned("a", "d1"), started("a"), planned("b", "d1"), started("b")])
			store.append(e);
		expect(invariantViolations(store.getState())).toEqual(["d1 runs 2 jobs at once: a, b"]);
	});

	it("name a job that is done although a phase failed", () => {
		const store = createStore();
		store.append(planned("a", "d1"));
		store.append(started("a"));
		store.append({
			type: "flash.phase",
			source: "dfu",
			job: "a",
			phase: "erase",
			status: "failed",
			error: { kind: "device", message: "stall" },
		});
		store.append({ type: "flash.finished", source: "dfu", job: "a", ok: true });
		expect(invariantViolations(store.getState())).toEqual([
			"a is done although its erase phase failed",
		]);
	});
});

describe("job pruning", () => {
	it("keeps running jobs and the newest finished ones, however many flashes a session makes", () => {
		const store = createStore();
		store.append(planned("long", "d0"));
		store.append(started("long"));
		for (let i = 0; i < 600; i++) {
			const id = `f${i}`;
			store.append(planned(id, "d1"));
			store.append(started(id));
			store.append({ type: "flash.finished", source: "dfu", job: id, ok: true });
		}
		const state = store.getState();
		expect(state.jobOrder.length).toBeLessThanOrEqual(1 + FINISHED_JOBS_LIMIT + 10);
		expect(state.jobOrder[0]).toBe("long");
		expect(state.jobs.long).toBeDefined();
		expect(state.jobOrder.at(-1)).toBe("f599");
		expect(Object.keys(state.jobs)).toHaveLength(state.jobOrder.length);
		expect(invariantViolations(state)).toEqual([]);
	});

	it("keeps every board of the newest flash of many, even past the limit", () => {
		const store = createStore();
		for (let i = 0; i < 100; i++) {
			store.append(planned(`old${i}`, "d0"));
			store.append({ type: "flash.finished", source: "dfu", job: `old${i}`, ok: true });
		}
		const boards = 64;
		for (let i = 0; i < boards; i++) {
			const event = planned(`b${i}`, `d${i}`) as Extract<NewEvent, { type: "flash.planned" }>;
			store.append({
				...event,
				plan: { ...event.plan, batch: "batch-1", board: `path 1-${i + 1}` },
			});
		}
		for (let i = 0; i < boards; i++)
			store.append({ type: "flash.finished", source: "dfu", job: `b${i}`, ok: i !== 7 });
		const state = store.getState();
		expect(state.jobOrder.filter((id) => state.jobs[id]?.plan.batch === "batch-1")).toHaveLength(
			boards,
		);
		// The older single flashes are pruned as always.
		expect(state.jobOrder.filter((id) => id.startsWith("old")).length).toBeLessThanOrEqual(
			FINISHED_JOBS_LIMIT + 10,
		);
		expect(invariantViolations(state)).toEqual([]);
	});
});
