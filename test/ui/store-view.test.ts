import { describe, expect, test } from "vitest";
import { createStore } from "../../source/store/store.js";
import { createStoreView, type FrameTimer } from "../../source/ui/store-view.js";

/** A timer that only fires when the test says so. */
function manualTimer() {
	let now = 0;
	const pending = new Map<number, { at: number; fn: () => void }>();
	let next = 1;
	const timer: FrameTimer = {
		now: () => now,
		set(fn, ms) {
			const id = next++;
			pending.set(id, { at: now + ms, fn });
			return id;
		},
		clear(handle) {
			pending.delete(handle as number);
		},
	};
	return {
		timer,
		pending: () => pending.size,
		advance(ms: number) {
			now += ms;
			for (const [id, t] of [...pending]) {
				if (t.at <= now) {
					pending.delete(id);
					t.fn();
				}
			}
		},
	};
}

const log = (text: string) => ({ type: "log.message", source: "t", level: "info", text }) as const;

describe("store view", () => {
	test("coalesces a burst into one immediate and one trailing publish", () => {
		const store = createStore({ now: () => 0 });
		const t = manualTimer();
		const view = createStoreView(store, { minIntervalMs: 66, timer: t.timer });
		let notified = 0;
		view.subscribe(() => notified++);

		for (let i = 0; i < 300; i++) store.append(log(`line ${i}`));
		// The first change publishes at once; the other 299 wait for one trailing publish.
		expect(notified).toBe(1);
		expect(view.getState().seq).toBe(1);
		expect(view.pending()).toBe(true);

		t.advance(66);
		expect(notified).toBe(2);
		expect(view.getState().seq).toBe(300);
		expect(view.pending()).toBe(false);
		expect(view.publishes()).toBe(2);
	});

	test("keeps the snapshot stable between publishes and flushes on demand", () => {
		const store = createStore({ now: () => 0 });
		const t = manualTimer();
		const view = createStoreView(store, { minIntervalMs: 66, timer: t.timer });
		store.append(log("a"));
		const first = view.getState();
		store.append(log("b"));
		store.append(log("c"));
		expect(view.getState()).toBe(first);
		view.flush();
		expect(view.getState().seq).toBe(3);
		expect(t.pending()).toBe(0);
	});

	test("publishes every event when the interval is 0", () => {
		const store = createStore({ now: () => 0 });
		const view = createStoreView(store, { minIntervalMs: 0 });
		let notified = 0;
		view.subscribe(() => notified++);
		for (let i = 0; i < 5; i++) store.append(log(`${i}`));
		expect(notified).toBe(5);
	});

	test("eventsSince returns the events up to the snapshot, not beyond", () => {
		const store = createStore({ now: () => 0 });
		const t = manualTimer();
		const view = createStoreView(store, { minIntervalMs: 66, timer: t.timer });
		store.append(log("a"));
		store.append(log("b"));
		// Snapshot is at seq 1: "b" is not published yet.
		expect(view.eventsSince(0).map((e) => (e.type === "log.message" ? e.text : ""))).toEqual(["a"]);
		t.advance(66);
		expect(view.eventsSince(1).map((e) => (e.type === "log.message" ? e.text : ""))).toEqual(["b"]);
	});

	test("stops listening to the store when disposed", () => {
		const store = createStore({ now: () => 0 });
		const view = createStoreView(store, { minIntervalMs: 0 });
		view.dispose();
		store.append(log("a"));
		expect(view.getState().seq).toBe(0);
	});
});
