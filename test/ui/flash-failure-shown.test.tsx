import { afterEach, describe, expect, test } from "vitest";
import { failingEvents, plannedEvent } from "./flash-script.js";
import { f405Identity, keys, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** A leave job as the checklist's boot watch runs it, on the same device, after a failed flash. */
function leaveJob(job: string) {
	return [
		{
			type: "flash.planned" as const,
			source: "dfu",
			job,
			device: "usb-1",
			plan: {
				operation: "leave" as const,
				alt: 0,
				ranges: [{ address: 0x08000000, size: 0 }],
				sectors: [],
				totalBytes: 0,
				transferSize: 2048,
				verify: false,
				leave: true,
			},
		},
		{
			type: "flash.phase" as const,
			source: "dfu",
			job,
			phase: "leave" as const,
			status: "started" as const,
		},
		{
			type: "flash.phase" as const,
			source: "dfu",
			job,
			phase: "leave" as const,
			status: "finished" as const,
		},
		{ type: "flash.finished" as const, source: "dfu", job, ok: true },
	];
}

describe("a failed flash stays on the Flash screen", () => {
	test("later work on the device (a leave) does not replace it with 'Done'", async () => {
		app = await mountApp({ initialScreen: "flash" });
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			plannedEvent(),
			...failingEvents(),
			...leaveJob("leave-1"),
		);
		expect(app.frame()).not.toMatch(/Done: leave finished/);
		expect(app.frame()).toMatch(/fail/i);
		// Enter puts the failure away; only then does the later job show.
		await app.press(keys.enter);
		expect(app.frame()).toMatch(/leave/);
	});
});

describe("the plan at 80x24", () => {
	test("a line longer than the terminal is wrapped, not cut off with ~", async () => {
		app = await mountApp({ initialScreen: "flash" });
		const file = `build/${"very-long-directory-name/".repeat(4)}blinky-release.bin`;
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			plannedEvent("j1", "usb-1", file),
		);
		const frame = app.frame();
		expect(frame).toContain("blinky-release.bin");
		expect(frame).not.toMatch(/~\s*$/m);
		for (const line of frame.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
	});
});
