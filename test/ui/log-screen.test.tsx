import { afterEach, describe, expect, test } from "vitest";
import { f405Identity, keys, lines, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** The log window: the rows between the header and the status line. */
function afterLastHeading(frame: string): string {
	const rows = frame.split("\n");
	const status = rows.findIndex((r) => / of \d+ lines/.test(r));
	return rows.slice(1, status + 1).join("\n");
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
		expect(shown).toContain("source usb");
		expect(shown).toContain("attached usb-1");
		expect(shown).toContain("no permission on /dev/bus/usb/001/004");
		expect(shown).not.toContain("starting");
		expect(shown).not.toContain("set address");
		expect(app.frame()).toContain("2 of 4 lines, source usb");

		await app.press("e");
		shown = afterLastHeading(app.frame());
		expect(shown).toContain("source usb, errors and warnings only");
		expect(shown).toContain("no permission");
		expect(shown).not.toContain("attached usb-1");

		await app.press("a");
		shown = afterLastHeading(app.frame());
		expect(shown).toContain("all sources");
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

describe("Log screen window", () => {
	const many = (n: number) =>
		Array.from({ length: n }, (_, i) => ({
			type: "log.message" as const,
			source: "cli",
			level: "info" as const,
			text: `line ${i + 1}`,
		}));

	test("visiting it again and again prints nothing into the scrollback", async () => {
		app = await mountApp();
		await app.emit(...many(60));
		for (let visit = 0; visit < 3; visit++) {
			await app.press("4");
			await app.press("1");
		}
		await app.press("4");
		// Ink's debug frames carry everything ever printed above the live region (<Static>).
		for (const frame of app.stdout.frames) expect(frame.split("\n").length).toBeLessThanOrEqual(24);
		expect(app.frame()).toContain("line 60");
		expect(app.frame()).not.toContain("line 1\n");
	});

	test("scrolls with the arrows, PgUp/PgDn, Home and End, and follows new lines at the end", async () => {
		app = await mountApp({ initialScreen: "log" });
		await app.emit(...many(100));
		const shown = () => lines(app!.frame()).filter((l) => /line \d+$/.test(l));
		expect(shown().at(-1)).toMatch(/line 100$/);
		const height = shown().length;
		expect(height).toBeGreaterThan(10);
		await app.press(keys.pageUp);
		expect(shown().at(-1)).toMatch(new RegExp(`line ${100 - (height - 1)}$`));
		await app.press(keys.up);
		expect(shown().at(-1)).toMatch(new RegExp(`line ${100 - height}$`));
		await app.press(keys.home);
		expect(shown()[0]).toMatch(/line 1$/);
		expect(app.frame()).toContain(`rows 1-${height} of 100`);
		// Scrolled back, new lines do not move the window...
		await app.emit(...many(1));
		expect(shown()[0]).toMatch(/line 1$/);
		await app.press(keys.pageDown);
		expect(shown()[0]).toMatch(new RegExp(`line ${height}$`));
		// ...End goes back to the newest and follows them again.
		await app.press(keys.end);
		await app.emit({ type: "log.message", source: "cli", level: "info", text: "line 102" });
		expect(shown().at(-1)).toMatch(/line 102$/);
		await app.press(keys.down);
		expect(shown().at(-1)).toMatch(/line 102$/);
	});

	test("a long line is wrapped, not cut", async () => {
		app = await mountApp({ initialScreen: "log" });
		const text = `${"word ".repeat(30)}END`;
		await app.emit({ type: "log.message", source: "cli", level: "info", text });
		expect(app.frame()).toContain("END");
	});
});
