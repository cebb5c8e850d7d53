import { describe, expect, test } from "vitest";
import type { NewEvent } from "../../source/store/events.js";
import { createStore } from "../../source/store/store.js";
import { latestJobId } from "../../source/ui/job-view.js";
import { failingEvents, plannedEvent, runEvents } from "./flash-script.js";

function state(...events: NewEvent[]) {
	const store = createStore({ now: () => 1_000 });
	for (const event of events) store.append(event);
	return store.getState();
}

describe("the job the Flash screen shows", () => {
	test("Enter on a finished flash opens a new one, not the flash before it", () => {
		const two = state(
			plannedEvent("j1"),
			...runEvents("j1"),
			plannedEvent("j2"),
			...runEvents("j2"),
		);
		expect(latestJobId(two, new Set())).toBe("j2");
		expect(latestJobId(two, new Set(["j2"]))).toBeUndefined();
	});

	test("a failure stays until it is dismissed, under newer jobs too", () => {
		const s = state(
			plannedEvent("j1"),
			...failingEvents("j1"),
			plannedEvent("j2"),
			...runEvents("j2"),
		);
		expect(latestJobId(s, new Set())).toBe("j1");
		expect(latestJobId(s, new Set(["j1"]))).toBe("j2");
		expect(latestJobId(s, new Set(["j1", "j2"]))).toBeUndefined();
	});

	test("a flash still running shows when the newer job on screen is put away", () => {
		const s = state(
			plannedEvent("j1", "usb-1"),
			...runEvents("j1", "usb-1").slice(0, 4),
			plannedEvent("j2", "usb-2"),
			...runEvents("j2", "usb-2"),
		);
		expect(latestJobId(s, new Set(["j2"]))).toBe("j1");
	});
});
