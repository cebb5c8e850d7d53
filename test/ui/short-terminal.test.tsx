import { afterEach, describe, expect, test } from "vitest";
import { type LiveApp, mountLive } from "./live-harness.js";

const K = { enter: "\r", ctrlU: "\u0015" };

let app: LiveApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

describe("a plan refused on a short terminal", () => {
	test("at 60x16 the reason shows under the form, so p visibly answers", async () => {
		app = await mountLive({ columns: 60, rows: 16 });
		await app.press("2", K.enter, K.ctrlU, "/nonexistent/blinky.bin", K.enter, "p");
		const deadline = performance.now() + 30_000;
		while (!app.frame().includes("Could not plan") && performance.now() < deadline)
			await new Promise((resolve) => setImmediate(resolve));
		const frame = app.frame();
		expect(frame).toContain("Could not plan this flash");
		expect(frame).toContain("cannot read /nonexistent/blinky.bin: no such file");
		const lines = frame.split("\n");
		expect(lines.length).toBeLessThanOrEqual(16);
		expect(lines.at(-1)).toMatch(/1 Devices.*q quit/);
	});
});
