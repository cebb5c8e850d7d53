import { afterEach, describe, expect, test } from "vitest";
import { f405Identity, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** Everything printed after the last log heading: what the current filter shows. */
function afterLastHeading(frame: string): string {
	const at = frame.lastIndexOf("-- log:");
	return at < 0 ? "" : frame.slice(at);
}

describe("Log screen", () => {
	test("prints every event line, newest last, including ones that arrive while open", async () => {
		app = await mountApp({ initialScreen: "log" });
		await app.emit(
			{
				type: "log.message",
				source: "cli",
				level: "info",
				text: "bringup 0.1.0 starting",
				at: 1000,
			},
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1"), at: 1250 },
		);
		await app.emit({
			type: "log.message",
			source: "dfu",
			level: "error",
			text: "control transfer stalled",
			at: 2500,
		});
		const shown = afterLastHeading(app.frame());
		expect(shown).toContain("-- log: all sources --");
		const order = [
			"bringup 0.1.0 starting",
			"attached usb-1",
			"error: control transfer stalled",
		].map((t) => shown.indexOf(t));
		expect(order.every((i) => i >= 0)).toBe(true);
		expect([...order].sort((a, b) => a - b)).toEqual(order);
		expect(shown).toMatch(/0\.250\s+usb\s+attached usb-1/);
		expect(app.frame()).toContain("3 of 3 lines, all sources");
	});

	test("s filters by source, e keeps errors and warnings, a shows everything again", async () => {
		app = await mountApp({ initialScreen: "log" });
		await app.emit(
			{ type: "log.message", source: "cli", level: "info", text: "starting" },
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			{
				type: "backend.status",
				source: "usb",
				backend: "usb",
				available: false,
				message: "no permission on /dev/bus/usb/001/004",
			},
			{ type: "log.message", source: "dfu", level: "info", text: "set address 0x08000000" },
		);
		await app.press("s"); // cli
		await app.press("s"); // usb
		let shown = afterLastHeading(app.frame());
		expect(shown).toContain("-- log: source usb --");
		expect(shown).toContain("attached usb-1");
		expect(shown).toContain("no permission on /dev/bus/usb/001/004");
		expect(shown).not.toContain("starting");
		expect(shown).not.toContain("set address");
		expect(app.frame()).toContain("2 of 4 lines, source usb");

		await app.press("e");
		shown = afterLastHeading(app.frame());
		expect(shown).toContain("-- log: source usb, errors and warnings only --");
		expect(shown).toContain("no permission");
		expect(shown).not.toContain("attached usb-1");

		await app.press("a");
		shown = afterLastHeading(app.frame());
		expect(shown).toContain("-- log: all sources --");
		expect(shown).toContain("starting");
		expect(shown).toContain("set address 0x08000000");
	});

	test("progress events are not log lines; failures are", async () => {
		app = await mountApp({ initialScreen: "log" });
		await app.emit(
			{
				type: "flash.progress",
				source: "dfu",
				job: "j1",
				phase: "program",
				done: 2048,
				total: 4096,
			},
			{
				type: "flash.finished",
				source: "dfu",
				job: "j1",
				ok: false,
				error: { kind: "device", message: "device gone" },
			},
		);
		const shown = afterLastHeading(app.frame());
		expect(shown).toContain("failed: device gone");
		expect(app.frame()).toContain("1 of 1 lines");
	});
});
