import { afterEach, describe, expect, test } from "vitest";
import { replayIntents } from "../../source/app/intents.js";
import type { BringupEvent, NewEvent } from "../../source/store/events.js";
import { createReplayStore, type ReplayStore } from "../../source/store/replay-store.js";
import {
	f405Description,
	f405Identity,
	keys,
	lines,
	type Mounted,
	type MountOptions,
	mountApp,
} from "./harness.js";

const JOB = "j1";
const START = 50_000;

/**
 * A session as `--record` writes it: a board plugged, an 8 KiB flash (erase, program in four
 * blocks, no verify), a warning, then the board leaving the bus. Each event 250 ms after the last.
 */
function recording(): BringupEvent[] {
	const out: NewEvent[] = [
		{ type: "backend.status", source: "usb", backend: "usb", available: true },
		{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
		{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
		{
			type: "flash.planned",
			source: "dfu",
			job: JOB,
			device: "usb-1",
			plan: {
				operation: "download",
				alt: 0,
				ranges: [{ address: 0x08000000, size: 8192 }],
				sectors: [{ address: 0x08000000, size: 0x4000, erase: true }],
				totalBytes: 8192,
				transferSize: 2048,
				file: "fw/blinky.bin",
				verify: false,
				leave: false,
			},
		},
		{ type: "flash.phase", source: "dfu", job: JOB, phase: "erase", status: "started" },
		{
			type: "flash.sector",
			source: "dfu",
			job: JOB,
			address: 0x08000000,
			size: 0x4000,
			state: "erased",
		},
		{ type: "flash.phase", source: "dfu", job: JOB, phase: "erase", status: "finished" },
		{ type: "flash.phase", source: "dfu", job: JOB, phase: "program", status: "started" },
	];
	for (let done = 2048; done <= 8192; done += 2048)
		out.push({
			type: "flash.progress",
			source: "dfu",
			job: JOB,
			phase: "program",
			done,
			total: 8192,
		});
	out.push(
		{ type: "log.message", source: "dfu", level: "warn", text: "slow GETSTATUS answer" },
		{
			type: "flash.sector",
			source: "dfu",
			job: JOB,
			address: 0x08000000,
			size: 0x4000,
			state: "written",
		},
		{ type: "flash.phase", source: "dfu", job: JOB, phase: "program", status: "finished" },
		{ type: "flash.finished", source: "dfu", job: JOB, ok: true },
		{ type: "device.detached", source: "usb", key: "usb-1" },
	);
	return out.map((e, i) => ({ ...e, at: START + i * 250 }) as BringupEvent);
}

const events = recording();
const N = events.length;
/** 1-based position of the first event of a type (and phase/status, for flash.phase). */
const at = (type: string, extra: Record<string, unknown> = {}) =>
	events.findIndex(
		(e) =>
			e.type === type &&
			Object.entries(extra).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v),
	) + 1;

let app: Mounted | undefined;
let replay: ReplayStore;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

async function mountReplay(options: MountOptions = {}) {
	replay = createReplayStore(events);
	app = await mountApp({
		...options,
		store: replay,
		intents: () => replayIntents(replay),
	});
	return app;
}

/** The row of a flash phase, e.g. "program  ##########.......... 50% ...". */
function phaseRow(frame: string, phase: string): string {
	return lines(frame).find((l) => l.startsWith(phase)) ?? "";
}

describe("stepping through a recording", () => {
	test("opens at the start: nothing happened yet, the header says 0 of N", async () => {
		const a = await mountReplay({ initialScreen: "flash" });
		expect(lines(a.frame())[0]).toContain(`replay 0/${N}  0.0 s`);
		expect(a.frame()).toContain("No flash at this point of the recording.");
		expect(a.frame()).toContain(". , step fwd/back");
		expect(lines(a.frame()).at(-1)).toMatch(/1 Devices.*q quit$/);
	});

	test(". steps forward through a flash job, , steps back and undoes it", async () => {
		const a = await mountReplay({ initialScreen: "flash" });
		const planned = at("flash.planned");
		await a.press(...Array(planned).fill("."));
		expect(replay.position()).toBe(planned);
		expect(a.frame()).toContain(`replay ${planned}/${N}  ${((planned - 1) * 0.25).toFixed(1)} s`);
		expect(a.frame()).toContain("nothing written yet");

		const half = at("flash.progress", { done: 4096 });
		await a.press(...Array(half - planned).fill("."));
		expect(phaseRow(a.frame(), "erase")).toContain("100%");
		expect(phaseRow(a.frame(), "program")).toContain("50%");

		await a.press(".");
		expect(phaseRow(a.frame(), "program")).toContain("75%");
		await a.press(",", ",");
		expect(phaseRow(a.frame(), "program")).toContain("25%");
		expect(a.frame()).toContain(`replay ${half - 1}/${N}`);

		// Back before the plan: the job is gone again, the screen says so.
		await a.press(...Array(half - planned).fill(","));
		expect(replay.position()).toBe(planned - 1);
		expect(a.frame()).not.toContain("nothing written yet");
		expect(a.frame()).toContain("No flash at this point of the recording.");
	});

	test("> and < jump between markers; G and g go to the end and the start", async () => {
		const a = await mountReplay({ initialScreen: "flash" });
		await a.press(">");
		expect(replay.position()).toBe(at("device.attached"));
		await a.press(">");
		expect(replay.position()).toBe(at("flash.planned"));
		await a.press(">", ">");
		expect(replay.position()).toBe(at("flash.phase", { phase: "erase", status: "finished" }));
		// Progress is not a marker: the next stop after "program started" is the warning.
		await a.press(">", ">");
		expect(replay.position()).toBe(at("log.message"));
		expect(phaseRow(a.frame(), "program")).toContain("100%");
		await a.press("<");
		expect(replay.position()).toBe(at("flash.phase", { phase: "program", status: "started" }));
		expect(phaseRow(a.frame(), "program")).not.toContain("100%");

		await a.press("G");
		expect(lines(a.frame())[0]).toContain(`replay ${N}/${N}  ${((N - 1) * 0.25).toFixed(1)} s`);
		expect(a.frame()).toContain("Done:");
		await a.press("g");
		expect(replay.position()).toBe(0);
		expect(a.frame()).toContain(`replay 0/${N}  0.0 s`);
		await a.press("\u001b[F"); // End
		expect(replay.position()).toBe(N);
		await a.press("\u001b[H"); // Home
		expect(replay.position()).toBe(0);
	});

	test("keys that arrive in one burst each take a step", async () => {
		const a = await mountReplay();
		await a.press("...");
		expect(replay.position()).toBe(3);
		await a.press(">>,");
		expect(replay.position()).toBe(at("flash.phase", { phase: "erase", status: "started" }) - 1);
	});

	test("a device that left comes back when stepping back over its detach", async () => {
		const a = await mountReplay({ initialScreen: "devices" });
		expect(a.frame()).toContain("No device attached at this point of the recording.");
		await a.press("G");
		expect(a.frame()).not.toContain("3574364C3034");
		await a.press(",");
		expect(a.frame()).toContain("3574364C3034");
		expect(a.frame()).toContain("1 device");
	});

	test("the Log shows the lines up to the position, and loses them again stepping back", async () => {
		const a = await mountReplay({ initialScreen: "log" });
		expect(a.frame()).toContain("no log lines yet at this point of the recording");
		const warning = at("log.message");
		await a.press(...Array(warning).fill("."));
		expect(a.frame()).toContain("slow GETSTATUS answer");
		expect(a.frame()).toMatch(/attached usb-1/);
		await a.press(",");
		expect(a.frame()).not.toContain("slow GETSTATUS answer");
		expect(a.frame()).toMatch(/attached usb-1/);
		await a.press("G");
		expect(a.frame()).toContain("slow GETSTATUS answer");
		expect(a.frame()).toContain("detached usb-1");
		// The log is drawn in the live region (not Static): it fits the terminal like any screen.
		expect(lines(a.frame()).length).toBeLessThanOrEqual(23);
		expect(lines(a.frame())[0]).toMatch(/^bringup {2}Log/);
	});

	test("every screen fits 80x24 with the step keys above the screen keys; help lists them", async () => {
		const a = await mountReplay();
		await a.press("G");
		for (const screen of ["1", "2", "3", "4"]) {
			await a.press(screen);
			const rows = lines(a.frame());
			expect(rows.length).toBeLessThanOrEqual(23);
			for (const row of rows) expect(row.length).toBeLessThanOrEqual(80);
			expect(rows.at(-2)).toContain("> < next/prev marker");
			expect(rows.at(-1)).toMatch(/1 Devices.*q quit$/);
		}
		await a.press("?");
		expect(a.frame()).toContain("one event forward / back");
		expect(a.frame()).toContain("start / end of the recording");
		await a.press(keys.escape);
		expect(a.frame()).not.toContain("one event forward / back");
	});

	test("the step keys do nothing in a live session", async () => {
		app = await mountApp({ initialScreen: "flash" });
		await app.emit({ type: "device.attached", source: "usb", device: f405Identity("usb-1") });
		await app.press(",", "g", "<");
		expect(app.store.getState().seq).toBe(1);
		expect(app.frame()).not.toContain("replay");
		expect(app.frame()).not.toContain("step fwd/back");
	});
});

test("a narrow terminal keeps the replay position on one header line", async () => {
	// Four-digit counts and minutes of session time: too long for a 40-column header.
	const chatter: BringupEvent[] = Array.from({ length: 1000 }, (_, i) => ({
		type: "log.message",
		source: "dfu",
		level: "debug",
		text: `poll ${i}`,
		at: START + N * 250 + i * 250,
	}));
	const long = [...events, ...chatter];
	const replay = createReplayStore(long);
	app = await mountApp({
		columns: 40,
		initialScreen: "checklist",
		store: replay,
		intents: () => replayIntents(replay),
	});
	await app.press("G");
	const header = lines(app.frame())[0]!;
	expect(header).toContain(`${long.length}/${long.length}`);
	expect(header.length).toBeLessThanOrEqual(40);
	expect(lines(app.frame())[1]).toContain("Boot checklist");
});
