import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { syntheticImage } from "../doctor/inspect-synthetic-image.js";
import { keys } from "./harness.js";
import { type LiveApp, mountLive } from "./live-harness.js";

let app: LiveApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** A raw F4 image linked at `link`, its handlers near its start, its code pointing at its tail. */
function image(link: number): string {
	const size = 98 * 4 + 96 + 3000 * 4;
	const tail = Array.from({ length: 3000 }, (_, k) =>
		k % 3 === 0 ? link + size - 4 * (k + 1) : 0x20000100 + k * 4,
	);
	const built = syntheticImage({ base: link, initialSp: 0x20020000, vectors: 98, literals: tail });
	const file = join(mkdtempSync(join(tmpdir(), "bringup-address-")), "app.bin");
	writeFileSync(file, built.segments[0]!.data);
	return file;
}

/** Planning reads the file and loads chip data: real time, not only the board's virtual time. */
async function until(live: LiveApp, text: string) {
	for (let i = 0; i < 1_000 && !live.frame().includes(text); i++)
		await new Promise((resolve) => setTimeout(resolve, 5));
	expect(live.frame()).toContain(text);
}

/** Flash screen, Image field: the path, then the Address field emptied or set. */
async function fillForm(live: LiveApp, file: string, address: string) {
	await until(live, "STM32F405/407");
	await live.press("2", keys.enter, "\u0015", ...file.split(""), keys.enter);
	await live.press(keys.down, keys.enter, "\u0015", ...address.split(""), keys.enter);
}

describe("the Flash form's Address field on the assistant's own terms", () => {
	test("an emptied Address field plans at the default it shows, not 'give -s'", async () => {
		app = await mountLive();
		await fillForm(app, image(0x08000000), "");
		expect(app.frame()).toMatch(/Address\s+\(default 0x08000000\)/);
		await app.press("p");
		await until(app, "Plan for flashing");
		expect(app.frame()).toMatch(/Write\s+[\d.]+ KiB at 0x08000000/);
		expect(app.frame()).not.toMatch(/-s\b/);
	});

	test("an image linked elsewhere: the plan names the Address field, never -s", async () => {
		app = await mountLive({ columns: 120, rows: 40 });
		await fillForm(app, image(0x08002000), "0x08000000");
		await app.press("p");
		await until(app, "Plan for flashing");
		const frame = app.frame();
		expect(frame).toContain("linked to run at 0x08002000 but the Address field writes it at");
		expect(frame).not.toMatch(/(^|\s)-s\b/m);
	});
});
