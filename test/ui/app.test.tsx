import { afterEach, describe, expect, test } from "vitest";
import { readOnlyIntents } from "../../source/app/intents.js";
import { createStore, replay } from "../../source/store/store.js";
import { renderApp } from "../../source/ui/render-app.js";
import { plannedEvent, runEvents } from "./flash-script.js";
import {
	FakeStdin,
	FakeStdout,
	f405Identity,
	keys,
	type Mounted,
	mountApp,
	settle,
} from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

describe("App", () => {
	test("digits switch screens and the footer marks the current one", async () => {
		app = await mountApp();
		expect(app.frame()).toContain("[1 Devices]");
		await app.press("2");
		expect(app.frame()).toMatch(/^bringup {2}Flash/);
		expect(app.frame()).toContain("[2 Flash]");
		await app.press("3");
		expect(app.frame()).toContain("[3 Checklist]");
		await app.press("4");
		expect(app.frame()).toContain("[4 Log]");
		await app.press("1");
		expect(app.frame()).toContain("No device attached.");
	});

	test("? shows help over the screen; the key that closes it does nothing else", async () => {
		app = await mountApp();
		await app.press("?");
		expect(app.frame()).toContain("Everywhere");
		await app.press("s");
		expect(app.frame()).toContain("No device attached.");
		expect(app.intents.calls).toEqual([]);
	});

	test("q quits at once when nothing is running", async () => {
		app = await mountApp();
		await app.press("q");
		expect(app.intents.named("quit")).toHaveLength(1);
	});

	test("q during a flash asks first; any key but y stays", async () => {
		app = await mountApp({ initialScreen: "flash" });
		const events = runEvents();
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			plannedEvent(),
			...events.slice(0, 5),
		);
		await app.press("q");
		expect(app.frame()).toContain("A flash is running.");
		expect(app.intents.named("quit")).toEqual([]);
		await app.press("n");
		expect(app.frame()).toContain("Flashing blinky.bin");
		await app.press("q", "y");
		expect(app.intents.named("quit")).toHaveLength(1);
	});

	test("Ctrl+C during a flash asks first, as q does; a second Ctrl+C quits", async () => {
		app = await mountApp({ initialScreen: "flash" });
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			plannedEvent(),
			...runEvents().slice(0, 5),
		);
		await app.press("\u0003");
		expect(app.frame()).toContain("A flash is running.");
		expect(app.intents.named("quit")).toEqual([]);
		await app.press("n");
		expect(app.frame()).toContain("Flashing blinky.bin");
		await app.press("\u0003", "\u0003");
		expect(app.intents.named("quit")).toHaveLength(1);
	});

	test("below 40x12 a notice says the terminal is too small; larger again, the screen comes back", async () => {
		app = await mountApp({ columns: 30, rows: 8 });
		expect(app.frame()).toMatch(/terminal too small\s+\(need\s+40x12,\s+have\s+30x8\)/);
		expect(app.frame().split("\n").length).toBeLessThanOrEqual(8);
		app.stdout.columns = 80;
		app.stdout.rows = 24;
		app.stdout.emit("resize");
		await app.press("1");
		expect(app.frame()).toContain("[1 Devices]");
		app.stdout.columns = 40;
		app.stdout.rows = 12;
		app.stdout.emit("resize");
		await app.press("1");
		expect(app.frame()).toContain("Devices");
		expect(app.frame().split("\n").length).toBeLessThanOrEqual(12);
	});

	test("Ctrl+C quits even while a field has the keyboard", async () => {
		app = await mountApp({ initialScreen: "flash" });
		await app.press(keys.enter);
		await app.type("q");
		expect(app.intents.named("quit")).toEqual([]);
		await app.press("\u0003");
		expect(app.intents.named("quit")).toHaveLength(1);
	});
});

describe("renderApp", () => {
	test("opens a replayed recording with read-only intents and exits on q", async () => {
		const recorded = replay([
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1"), at: 1 },
			{ ...plannedEvent(), at: 2 } as never,
			...(runEvents().map((e, i) => ({ ...e, at: e.at ?? 10_000 + i })) as never[]),
		]);
		const stdout = new FakeStdout(80, 24);
		const stdin = new FakeStdin();
		const running = renderApp({
			store: recorded,
			intents: readOnlyIntents,
			initialScreen: "flash",
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			theme: { color: false, accent: "cyan" },
		});
		await settle();
		running.view.flush();
		await settle();
		const text = stdout.frames.join("");
		expect(text).toContain("Done: 36 KiB written and verified");
		expect(text).toContain("(replay)");
		stdin.write("q");
		await expect(running.waitUntilExit()).resolves.toBeUndefined();
	});

	test("a store that changes after mounting is shown once the view publishes", async () => {
		const store = createStore({ now: () => 0 });
		const stdout = new FakeStdout(80, 24);
		const running = renderApp({
			store,
			intents: readOnlyIntents,
			stdout: stdout as unknown as NodeJS.WriteStream,
			stdin: new FakeStdin() as unknown as NodeJS.ReadStream,
			minIntervalMs: 0,
		});
		await settle();
		store.append({ type: "device.attached", source: "usb", device: f405Identity("usb-9") });
		await settle();
		// Ink holds back frames to its own rate; unmounting writes the pending one.
		running.unmount();
		expect(stdout.frames.join("")).toContain("1 device");
	});
});
