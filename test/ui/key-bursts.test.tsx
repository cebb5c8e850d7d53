import { afterEach, describe, expect, test } from "vitest";
import { NO_KEY, splitKeys } from "../../source/ui/key-split.js";
import { f405Identity, keys, type Mounted, mountApp, settle } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** Writes keys as one read from the terminal, as a fast typist or a key held down delivers them. */
async function burst(m: Mounted, chunk: string) {
	m.stdin.write(chunk);
	for (let i = 0; i < 40; i++) await settle();
}

describe("keys that arrive together", () => {
	test("a burst of Down arrows moves as many rows", async () => {
		app = await mountApp();
		await app.emit(
			...["usb-1", "usb-2", "usb-3", "usb-4", "usb-5"].map((key) => ({
				type: "device.attached" as const,
				source: "usb",
				device: { ...f405Identity(key), serial: `SERIAL${key.slice(-1)}` },
			})),
		);
		expect(app.store.getState().selected).toBe("usb-1");
		await burst(app, keys.down.repeat(3));
		expect(app.store.getState().selected).toBe("usb-4");
		expect(app.frame()).toMatch(/> .*SERIAL4/);
	});

	test("a burst of Backspaces deletes as many characters and leaves nothing invisible", async () => {
		app = await mountApp({ initialScreen: "flash" });
		await app.press(keys.enter);
		await app.type("blinky.bin");
		await burst(app, keys.backspace.repeat(4));
		expect(app.frame()).toMatch(/Image\s+blinky\s*$/m);
		await app.press(keys.enter);
		expect(app.frame()).not.toMatch(/[\u0000-\u0008\u007f]/);
	});

	test("digits typed together each count: 2 then 4 switches to Flash, then Log", async () => {
		app = await mountApp();
		await burst(app, "24");
		expect(app.frame()).toContain("[4 Log]");
	});
});

describe("splitKeys", () => {
	const none = NO_KEY;
	test("splits a run of characters into keys Ink would report one by one", () => {
		const got = splitKeys("aB\u007f\r\t\u0003", none);
		expect(got.map((k) => k.input)).toEqual(["a", "B", "", "", "", "c"]);
		expect(got[1]!.key.shift).toBe(true);
		expect(got[2]!.key.backspace).toBe(true);
		expect(got[3]!.key.return).toBe(true);
		expect(got[4]!.key.tab).toBe(true);
		expect(got[5]!.key.ctrl).toBe(true);
	});
	test("passes single keys and escape sequences through unchanged", () => {
		expect(splitKeys("q", none)).toEqual([{ input: "q", key: none }]);
		const up = { ...none, upArrow: true };
		expect(splitKeys("", up)).toEqual([{ input: "", key: up }]);
	});
});
