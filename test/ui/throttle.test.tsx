import { describe, expect, test } from "vitest";
import { createStore } from "../../source/store/store.js";
import { mountForBench } from "../../source/ui/bench-mount.js";
import type { FrameTimer } from "../../source/ui/store-view.js";
import { plannedEvent, runEvents } from "./flash-script.js";
import { f405Identity, mountApp, settle } from "./harness.js";

function manualTimer() {
	let now = 0;
	let pending: { at: number; fn: () => void } | undefined;
	const timer: FrameTimer = {
		now: () => now,
		set(fn, ms) {
			pending = { at: now + ms, fn };
			return pending;
		},
		clear(handle) {
			if (pending === handle) pending = undefined;
		},
	};
	return {
		timer,
		fire() {
			const p = pending;
			pending = undefined;
			if (p) {
				now = Math.max(now, p.at);
				p.fn();
			}
		},
	};
}

describe("redraw throttle", () => {
	test("a burst of flash events renders the Flash screen twice, not once per event", async () => {
		const t = manualTimer();
		const app = await mountApp({
			initialScreen: "flash",
			view: { minIntervalMs: 66, timer: t.timer },
		});
		await app.emit({ type: "device.attached", source: "usb", device: f405Identity("usb-1") });
		t.fire();
		await settle();
		const before = app.stdout.frames.length;

		const events = [plannedEvent(), ...runEvents()];
		await app.emit(...events);
		// The first event published at once; the rest wait for the timer.
		const afterBurst = app.stdout.frames.length;
		expect(afterBurst - before).toBeLessThanOrEqual(1);
		expect(app.frame()).not.toContain("Done:");

		t.fire();
		await settle();
		expect(app.stdout.frames.length - before).toBeLessThanOrEqual(2);
		expect(events.length).toBeGreaterThan(50);
		expect(app.frame()).toContain("Done: 36 KiB written and verified");
		app.unmount();
	});

	test("mountForBench renders the Flash screen through Ink's real renderer and counts output", async () => {
		const store = createStore({ now: () => 0 });
		const t = manualTimer();
		const bench = mountForBench(store, { timer: t.timer, minIntervalMs: 66 });
		await settle();
		store.append({ type: "device.attached", source: "usb", device: f405Identity("usb-1") });
		for (const e of [plannedEvent(), ...runEvents()]) store.append(e);
		t.fire();
		await settle();
		expect(store.getState().jobs.j1?.result?.ok).toBe(true);
		expect(bench.view.publishes()).toBeLessThanOrEqual(2);
		expect(bench.renders()).toBeGreaterThan(0);
		expect(bench.renders()).toBeLessThan(10);
		expect(bench.terminal.bytes).toBeGreaterThan(0);
		bench.unmount();
	});
});
