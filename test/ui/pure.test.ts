import { describe, expect, test } from "vitest";
import type { JobState, PhaseState } from "../../source/store/reduce.js";
import { emptyDraft } from "../../source/ui/flash-draft.js";
import { requestFromDraft } from "../../source/ui/flash-screen.js";
import {
	attributes,
	formatBytes,
	formatDuration,
	formatRate,
	layoutSummary,
	parseAddress,
	truncate,
} from "../../source/ui/format.js";
import { jobStage, phaseView, sectorCells } from "../../source/ui/job-view.js";
import { matches, nextSource } from "../../source/ui/log-entries.js";
import { completePath, splitPath } from "../../source/ui/path-completion.js";
import { themeFromEnv } from "../../source/ui/theme.js";

describe("path completion", () => {
	const entries = [
		{ name: "blinky.bin", directory: false },
		{ name: "blinky.hex", directory: false },
		{ name: "build", directory: true },
		{ name: ".cache", directory: true },
	];
	test("splits directory and prefix", () => {
		expect(splitPath("out/fw/bl")).toEqual({ dir: "out/fw/", prefix: "bl" });
		expect(splitPath("bl")).toEqual({ dir: "", prefix: "bl" });
	});
	test("a single match completes, directories get a slash", () => {
		expect(completePath("out/bu", entries)).toEqual({ text: "out/build/", candidates: [] });
	});
	test("several matches extend to the common prefix and are listed", () => {
		expect(completePath("bl", entries)).toEqual({
			text: "blinky.",
			candidates: ["blinky.bin", "blinky.hex"],
		});
	});
	test("hidden entries only match a dot prefix; no match leaves the text", () => {
		expect(completePath("", entries).candidates).not.toContain(".cache/");
		expect(completePath(".c", entries).text).toBe(".cache/");
		expect(completePath("zz", entries)).toEqual({ text: "zz", candidates: [] });
	});
});

describe("format", () => {
	test("bytes, rates, durations", () => {
		expect(formatBytes(512)).toBe("512 B");
		expect(formatBytes(36 * 1024)).toBe("36 KiB");
		expect(formatBytes(1536)).toBe("1.5 KiB");
		expect(formatBytes(3 * 1024 * 1024)).toBe("3 MiB");
		expect(formatRate(40 * 1024)).toBe("40 KiB/s");
		expect(formatRate(0)).toBe("");
		expect(formatDuration(61_000)).toBe("1:01");
		expect(formatDuration(3_723_000)).toBe("1:02:03");
	});
	test("addresses as users type them", () => {
		expect(parseAddress("0x08000000")).toBe(0x08000000);
		expect(parseAddress("08004000h")).toBe(0x08004000);
		expect(parseAddress("134217728")).toBe(0x08000000);
		expect(parseAddress("0x8zz")).toBeUndefined();
		expect(parseAddress("0x1FFFFFFFF")).toBeUndefined();
	});
	test("memory layout in one line, attributes as r/e/w", () => {
		const seg = (start: number, count: number, pageSize: number, w = true) => ({
			start,
			count,
			pageSize,
			readable: true,
			erasable: w,
			writable: w,
		});
		expect(
			layoutSummary({
				name: "Internal Flash",
				segments: [
					seg(0x08000000, 4, 16384),
					seg(0x08010000, 1, 65536),
					seg(0x08020000, 7, 131072),
				],
			}),
		).toBe("0x08000000 4x16K 1x64K 7x128K = 1 MiB rew");
		expect(attributes(seg(0, 1, 1, false))).toBe("r--");
	});
	test("truncate marks the cut", () => {
		expect(truncate("abcdef", 4)).toBe("abc~");
		expect(truncate("abc", 4)).toBe("abc");
	});
});

function job(sectors: Record<number, JobState["sectors"][number]>, count: number): JobState {
	return {
		id: "j",
		device: "d",
		plan: {
			operation: "download",
			alt: 0,
			ranges: [],
			sectors: Array.from({ length: count }, (_, i) => ({
				address: i * 2048,
				size: 2048,
				erase: true,
			})),
			totalBytes: count * 2048,
			transferSize: 2048,
			verify: true,
			leave: false,
		},
		phases: [],
		sectors,
		startedAt: 0,
	};
}

describe("job view", () => {
	test("sector cells aggregate runs and never claim more than the least advanced sector", () => {
		const states: JobState["sectors"] = {};
		for (let i = 0; i < 256; i++)
			states[i * 2048] = i < 100 ? "verified" : i < 200 ? "written" : "erased";
		states[150 * 2048] = "failed";
		const cells = sectorCells(job(states, 256), 64);
		expect(cells).toHaveLength(64);
		expect(cells[0]).toBe("verified");
		expect(cells[25]).toBe("written"); // sectors 100-103
		expect(cells[37]).toBe("failed"); // sectors 148-151
		expect(cells[63]).toBe("erased");
		expect(sectorCells(job({}, 3), 64)).toEqual(["planned", "planned", "planned"]);
	});

	test("phase rate, elapsed and ETA come from event times", () => {
		const p: PhaseState = {
			phase: "program",
			status: "running",
			done: 20_480,
			total: 40_960,
			startedAt: 1000,
			updatedAt: 2000,
		};
		const v = phaseView(p, 2000);
		expect(v.fraction).toBe(0.5);
		expect(v.rate).toBe(20_480);
		expect(v.etaMs).toBe(1000);
		expect(v.elapsedMs).toBe(1000);
		expect(
			phaseView({ phase: "leave", status: "pending", done: 0, total: 0 }, 5).fraction,
		).toBeUndefined();
	});

	test("stage follows phases and result", () => {
		const j = job({}, 1);
		expect(jobStage(j)).toBe("planned");
		expect(
			jobStage({ ...j, phases: [{ phase: "erase", status: "running", done: 0, total: 1 }] }),
		).toBe("running");
		expect(jobStage({ ...j, result: { ok: false } })).toBe("failed");
		expect(jobStage({ ...j, result: { ok: true } })).toBe("done");
		// A failed phase is never outweighed by a later "ok" result.
		const failedPhase = [
			{ phase: "program" as const, status: "failed" as const, done: 0, total: 1 },
		];
		expect(jobStage({ ...j, phases: failedPhase, result: { ok: true } })).toBe("failed");
	});
});

describe("flash request from the form", () => {
	test("a raw binary sends its address; formats with addresses do not", () => {
		const bin = requestFromDraft({
			...emptyDraft,
			file: "fw.bin",
			address: "0x08004000",
			alt: "0",
		});
		expect(bin).toEqual({
			ok: true,
			request: { file: "fw.bin", address: 0x08004000, alt: 0, verify: true, leave: false },
		});
		const hex = requestFromDraft({ ...emptyDraft, file: "fw.hex", address: "0x08004000" }, true);
		expect(hex).toEqual({
			ok: true,
			request: {
				file: "fw.hex",
				address: undefined,
				alt: undefined,
				verify: true,
				leave: false,
				force: true,
			},
		});
	});
	test("empty file, bad address, bad alt are refused with a hint", () => {
		expect(requestFromDraft(emptyDraft)).toMatchObject({
			ok: false,
			error: { message: "no image chosen" },
		});
		expect(requestFromDraft({ ...emptyDraft, file: "a.bin", alt: "x" })).toMatchObject({
			ok: false,
			error: { message: '"x" is not an alt setting number' },
		});
	});
});

describe("log filter", () => {
	const e = (source: string, level: "info" | "error") => ({
		seq: 1,
		at: 0,
		source,
		level,
		text: "",
	});
	test("source and level", () => {
		expect(matches(e("usb", "info"), { source: "usb", problemsOnly: false })).toBe(true);
		expect(matches(e("dfu", "info"), { source: "usb", problemsOnly: false })).toBe(false);
		expect(matches(e("usb", "info"), { source: null, problemsOnly: true })).toBe(false);
		expect(matches(e("usb", "error"), { source: null, problemsOnly: true })).toBe(true);
	});
	test("source cycle: all, each source, all", () => {
		expect(nextSource(null, ["cli", "usb"])).toBe("cli");
		expect(nextSource("cli", ["cli", "usb"])).toBe("usb");
		expect(nextSource("usb", ["cli", "usb"])).toBeNull();
	});
});

describe("theme", () => {
	test("NO_COLOR and TERM=dumb turn colour off", () => {
		expect(themeFromEnv({}).color).toBe(true);
		expect(themeFromEnv({ NO_COLOR: "1" }).color).toBe(false);
		expect(themeFromEnv({ NO_COLOR: "" }).color).toBe(true);
		expect(themeFromEnv({ TERM: "dumb" }).color).toBe(false);
	});
});
