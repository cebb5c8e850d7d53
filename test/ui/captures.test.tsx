import { afterEach, describe, expect, test } from "vitest";
import { keys, lines, type Mounted, mountApp } from "./harness.js";
import { checklistSteps, scenes } from "./scenes.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/**
 * Every screen fits the terminal: no line wider than it, the header first, the footer last and
 * visible, and at most rows - 1 lines so Ink never falls back to clearing the whole screen.
 * At 80x24 the frames are kept in __captures__/ for the README.
 */
describe.each([
	{ columns: 80, rows: 24 },
	{ columns: 60, rows: 24 },
])("at $columns x $rows", ({ columns, rows }) => {
	test.each(scenes)("$name fits", async (scene) => {
		app = await mountApp({
			initialScreen: scene.screen,
			columns,
			rows,
			checklistSteps,
			simProfiles: ["healthy", "rdp1"],
		});
		await scene.setup(app);
		const frame = app.frame();
		// The Log screen prints through <Static>: only its live region is bounded.
		const live = scene.screen === "log" ? frame.slice(frame.lastIndexOf("\nbringup") + 1) : frame;
		const rowsOf = lines(live);
		for (const line of lines(frame)) expect(line.length, line).toBeLessThanOrEqual(columns);
		expect(rowsOf.length).toBeLessThanOrEqual(rows - 1);
		expect(rowsOf[0]).toMatch(/^bringup {2}/);
		expect(rowsOf.at(-1)).toMatch(/1 Devices.*q quit$/);
		if (columns === 80)
			await expect(`${lines(frame).join("\n")}\n`).toMatchFileSnapshot(
				`__captures__/${scene.name}.txt`,
			);
	});

	test("help fits", async () => {
		app = await mountApp({ columns, rows });
		await app.press("?");
		const rowsOf = lines(app.frame());
		expect(rowsOf.length).toBeLessThanOrEqual(rows - 1);
		expect(rowsOf.at(-1)).toMatch(/q quit$/);
		expect(app.frame()).toContain("mass erase / unprotect (type yes)");
		await app.press(keys.escape);
		expect(app.frame()).toContain("No device attached.");
	});
});
