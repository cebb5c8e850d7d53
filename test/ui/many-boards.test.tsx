import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test, vi } from "vitest";
import { runCli } from "../commands/run-cli.js";
import { type LiveApp, mountLive } from "./live-harness.js";

const K = { enter: "\r", down: "\u001b[B", up: "\u001b[A", ctrlU: "\u0015" };

let app: LiveApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
	vi.unstubAllEnvs();
});

const dir = mkdtempSync(join(tmpdir(), "bringup-boards-"));

/** The F407 test build followed by 40 KiB of seeded filler: three sectors to erase and write. */
function image(): string {
	const head = readFileSync("test/fixtures/firmware/out/stm32f407.bin");
	const out = Buffer.alloc(40 * 1024);
	head.copy(out);
	let seed = 0x2545f491;
	for (let i = head.length; i < out.length; i++) {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		out[i] = seed & 0xff;
	}
	const file = join(dir, "tray.bin");
	writeFileSync(file, out);
	return file;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Yields until `done`, or fails naming what never happened. Bounded by wall time, not turns:
 * planning loads the chip data from disk, which takes real time however fast the clock runs.
 */
async function until(what: string, done: () => boolean, live?: LiveApp) {
	const deadline = performance.now() + 60_000;
	while (performance.now() < deadline) {
		if (done()) return;
		await turn();
	}
	throw new Error(`never happened: ${what}${live ? `\n${live.frame()}` : ""}`);
}

/** Every line of the frame fits the 80x24 terminal. */
function fits(frame: string) {
	const lines = frame.split("\n");
	expect(lines.length).toBeLessThanOrEqual(24);
	for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
}

/** Flash screen, the image typed in, "all boards like this one" ticked, planned. */
async function planAll(live: LiveApp, file: string) {
	await live.press("2", K.enter, K.ctrlU, file, K.enter);
	await live.press(K.down, K.down, K.down, K.down, K.down);
	expect(live.frame()).toMatch(/> Boards\s+\[ \] all 20 boards like this one/);
	await live.press(K.enter, "p");
	await until(
		"the plan of 20 boards",
		() => live.frame().includes("Plan for flashing 20 boards"),
		live,
	);
}

describe("a tray of 20 simulated boards in the assistant", () => {
	test("each board gets its own row, one failing stops none of the others, every row reaches its result", async () => {
		const configFile = join(dir, "boards-1.json");
		// The first board drops off the bus during its third block.
		app = await mountLive({
			boards: 20,
			fault: "unplug-at-block=3",
			configFile,
			viewIntervalMs: 66,
		});
		const live = app;
		await until("20 boards described", () =>
			live.store.getState().deviceOrder.every((k) => live.store.getState().devices[k]?.description),
		);
		expect(live.store.getState().deviceOrder).toHaveLength(20);
		await planAll(live, image());
		const plan = live.frame();
		fits(plan);
		expect(plan).toMatch(/Boards\s+20 STM32F405\/407 in DFU mode: 20 ready/);
		expect(plan).toMatch(/Supply\s+not given for the 20 boards: byte by byte; v sets it/);
		expect(plan).toMatch(/Time\s+about [\d.]+ s byte-wise; [\d.]+ s with a 2\.7-3\.6 V supply/);
		// Nothing is written before y.
		expect(
			Object.values(live.store.getState().jobs).every((j) =>
				j.phases.every((p) => p.status === "pending"),
			),
		).toBe(true);

		await live.press("y");
		await until("the flash to start", () =>
			live.frame().includes("Flashing tray.bin to 20 boards"),
		);
		const running = live.frame();
		fits(running);
		expect(running).toMatch(/boards 1-\d+ of 20; up\/down scrolls/);
		// While 20 boards flash, a key is answered within a few renders.
		live.stdin.write(K.down);
		let answered = 0;
		while (!live.keyboard.idle() && answered < 200) {
			await turn();
			answered++;
		}
		expect(live.keyboard.idle()).toBe(true);

		const jobs = () => Object.values(live.store.getState().jobs).filter((j) => j.plan.batch);
		await until(
			"every board's result",
			() => jobs().length === 20 && jobs().every((j) => j.result),
		);
		live.view.flush();
		await until("the finished screen", () => live.frame().includes("Flashed tray.bin"));
		const done = live.frame();
		fits(done);
		expect(done).toMatch(/Flashed tray\.bin: 19 of 20 boards done, 1 failed in \d:\d\d/);
		expect(jobs().filter((j) => j.result?.ok)).toHaveLength(19);
		expect(jobs().find((j) => !j.result?.ok)?.result?.error?.kind).toBe("device-gone");

		// Scroll through every row: each board's row says how it ended.
		const rows = new Map<string, string>();
		await live.press(K.up);
		for (let i = 0; i < 20; i++) {
			for (const line of live.frame().split("\n")) {
				const row = /^[> ] (serial \w+)\s+[#.]+\s+(?:\d+%|\s+!)\s+(.*)$/.exec(line);
				if (row) rows.set(row[1]!, row[2]!);
			}
			await live.press(K.down);
		}
		expect(rows.size).toBe(20);
		const ended = [...rows.values()];
		expect(ended.filter((t) => /^done in \d:\d\d, verified$/.test(t))).toHaveLength(19);
		expect(ended.filter((t) => t === "FAILED in program (device-gone)")).toHaveLength(1);
		// The failed board chosen: its error in full below the rows.
		const failed = [...rows].find(([, t]) => t.startsWith("FAILED"))![0];
		expect(failed).toBe("serial 315A28A0B956");
		await live.press(K.up, K.up, K.up, K.up, K.up, K.up, K.up, K.up, K.up, K.up);
		await live.press(K.up, K.up, K.up, K.up, K.up, K.up, K.up, K.up, K.up, K.up);
		expect(live.frame()).toMatch(
			/serial 315A28A0B956: write of block \d+\/\d+ at 0x0800\w+ failed: the device/,
		);

		// Enter puts the whole flash away: the form again, for the 19 boards still on the bus.
		await live.press(K.enter);
		expect(live.frame()).toContain("Write an image to all 19 STM32F405/407 boards");
		// The Log names the board of each job's line.
		await live.press("4");
		expect(live.frame()).toMatch(/serial 315A28A\wB956: done/);
		fits(live.frame());
	}, 120_000);

	test("the supply is asked on the plan, never assumed, and remembered for each board", async () => {
		const configFile = join(dir, "boards-2.json");
		app = await mountLive({ boards: 20, configFile, viewIntervalMs: 66 });
		const live = app;
		await until("20 boards described", () =>
			live.store.getState().deviceOrder.every((k) => live.store.getState().devices[k]?.description),
		);
		const file = image();
		await planAll(live, file);
		const ranges = () =>
			Object.values(live.store.getState().jobs)
				.filter((j) => j.plan.batch && !j.result)
				.map((j) => j.plan.voltageRange);
		expect(ranges()).toEqual(Array(20).fill(undefined));

		await live.press("v");
		expect(live.frame()).toContain("The supply of the 20 boards");
		fits(live.frame());
		await live.press("5", K.enter);
		expect(live.frame()).toContain("Not a supply: type volts from 1.8 to 3.6");
		await live.press(K.ctrlU, "3.3", K.enter);
		await until("the plan again, with the range", () => ranges().every((r) => r === "2.7-3.6V"));
		live.view.flush();
		await live.press("");
		const plan = live.frame();
		fits(plan);
		expect(plan).toMatch(
			/Supply\s+3\.3 V \(2\.7-3\.6V\) for all 20 boards, remembered; v changes it/,
		);
		expect(plan).toMatch(/Time\s+about [\d.]+ s with 2\.7-3\.6V; [\d.]+ s byte-wise/);
		const saved = JSON.parse(readFileSync(configFile, "utf8")) as {
			boards: Record<string, { voltage: number }>;
		};
		expect(Object.keys(saved.boards)).toHaveLength(20);
		expect(Object.values(saved.boards).every((b) => b.voltage === 3.3)).toBe(true);

		// Cancel, plan again: the remembered supply is used and said.
		await live.press("n");
		await live.press("p");
		await until("a second plan", () =>
			live.frame().includes("Plan for flashing 20 boards (batch-2)"),
		);
		expect(live.frame()).toMatch(/Supply\s+3\.3 V \(2\.7-3\.6V\) for all 20 boards, remembered/);
		expect(ranges()).toEqual(Array(20).fill("2.7-3.6V"));

		// "none" forgets it for every board: byte by byte again.
		await live.press("v", K.ctrlU, "none", K.enter);
		await until("the plan without a range", () => ranges().every((r) => r === undefined));
		expect((JSON.parse(readFileSync(configFile, "utf8")) as { boards: object }).boards).toEqual({});
	}, 120_000);
});

describe("the supply of one board", () => {
	test("the plan shows both times and asks; the range chosen is used, and remembered for the command line too", async () => {
		// The assistant and bringup flash read one settings file: this test's own.
		vi.stubEnv("XDG_CONFIG_HOME", mkdtempSync(join(tmpdir(), "bringup-supply-")));
		app = await mountLive({ viewIntervalMs: 66 });
		const live = app;
		await until("the board described", () =>
			live.store.getState().deviceOrder.some((k) => live.store.getState().devices[k]?.description),
		);
		const file = image();
		await live.press("2", K.enter, K.ctrlU, file, K.enter, "p");
		await until("the plan", () => live.frame().includes("nothing written yet"));
		const times = (frame: string) =>
			/Time\s+about ([\d.]+) s (byte-wise|with [\d.-]+V); ([\d.]+) s/.exec(frame);
		expect(live.frame()).toMatch(/Supply\s+not given: the loader writes byte by byte; v sets it/);
		const before = times(live.frame());
		expect(before?.[2]).toBe("byte-wise");
		expect(live.frame()).toMatch(/y\/Enter start\s+n\/Esc cancel\s+v supply/);

		await live.press("v");
		expect(live.frame()).toContain("The supply of this board");
		await live.press(K.ctrlU, "2.5", K.enter);
		const job = () => Object.values(live.store.getState().jobs).at(-1)!;
		await until("the plan with the range", () => job().plan.voltageRange === "2.4-2.7V");
		live.view.flush();
		await live.press("");
		const plan = live.frame();
		fits(plan);
		expect(plan).toMatch(/Supply\s+2\.5 V \(2\.4-2\.7V\), remembered for this board; v changes it/);
		const after = times(plan);
		expect(after?.[2]).toBe("with 2.4-2.7V");
		// 16-bit words: faster than byte by byte, slower than 32-bit words.
		expect(Number(after![1])).toBeLessThan(Number(before![1]));
		expect(Number(after![3])).toBe(Number(before![1]));
		expect(Number(after![1])).toBeGreaterThan(Number(before![3]));

		await live.press("y");
		await until("the flash to end", () => job().result !== undefined);
		expect(job().result?.ok).toBe(true);
		expect(
			live.store.getState().log.some((l) => /voltage range 2\.4-2\.7V written/.test(l.text)),
		).toBe(true);

		const headless = await runCli("flash", file, "-s", "0x08000000", "--sim=f407/blank");
		expect(headless.code).toBe(0);
		expect(headless.stdout).toMatch(
			/supply 2\.5 V \(2\.4-2\.7V\) for serial 315A28A0B956, remembered in .*boards\.json/,
		);
		expect(headless.stdout).toMatch(/expected at most about [\d.]+ s with the supply range/);
	}, 60_000);

	test("a loader without the Device Feature word (G4) has no supply to choose", async () => {
		app = await mountLive({ sim: "g474" });
		const live = app;
		await until("the board described", () =>
			live.store.getState().deviceOrder.some((k) => live.store.getState().devices[k]?.description),
		);
		await live.press("2", K.enter, K.ctrlU, "test/fixtures/firmware/out/stm32g4.bin", K.enter, "p");
		await until("the plan", () => live.frame().includes("nothing written yet"));
		expect(live.frame()).not.toMatch(/Supply|v supply/);
		await live.press("v");
		expect(live.frame()).not.toContain("The supply of");
	}, 60_000);
});
