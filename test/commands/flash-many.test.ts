import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runCli } from "./run-cli.js";

/** An F4 image the inspector accepts: a vector table for the F407 and code that uses its RCC. */
const image = "test/fixtures/firmware/out/stm32f407.bin";
const dir = mkdtempSync(join(tmpdir(), "bringup-many-"));

beforeAll(() => {
	// Remembered supplies go to a file of this test, never the user's.
	vi.stubEnv("XDG_CONFIG_HOME", join(dir, "config"));
});
afterAll(() => {
	vi.unstubAllEnvs();
});

type Line = Record<string, unknown>;
const boardsOf = (lines: Line[]) => lines.filter((l) => l.type === "board");
const plannedDevices = (lines: Line[]) =>
	lines.filter((l) => l.type === "flash.planned").map((l) => l.device as string);

describe("flash of several named boards", () => {
	it("repeated -S flashes the boards with any of those serials, and no other", async () => {
		const run = await runCli(
			"flash",
			image,
			"-s",
			"0x08000000",
			"--sim=f407/blank",
			"--boards",
			"3",
			"-S",
			"315A28A0B956",
			"-S",
			"315A28A2B956",
			"--json",
		);
		expect(run.code).toBe(0);
		const lines = run.json();
		expect(
			boardsOf(lines)
				.map((b) => b.label)
				.sort(),
		).toEqual(["serial 315A28A0B956", "serial 315A28A2B956"]);
		// Planned on those two boards only.
		expect(new Set(plannedDevices(lines))).toEqual(new Set(boardsOf(lines).map((b) => b.device)));
		expect(plannedDevices(lines)).toHaveLength(2);
		// Each plan names its board and the flash of many it is part of (a replay draws the rows).
		const plans = lines.filter((l) => l.type === "flash.planned").map((l) => l.plan);
		expect(plans.map((p) => (p as { board: string }).board).sort()).toEqual([
			"serial 315A28A0B956",
			"serial 315A28A2B956",
		]);
		expect(new Set(plans.map((p) => (p as { batch: string }).batch)).size).toBe(1);
		expect(lines.at(-1)).toMatchObject({ type: "result", ok: true, boards: 2, failed: 0 });
	});

	it("repeated -p picks boards whose loaders all report one serial, labelled by USB path", async () => {
		const run = await runCli(
			"flash",
			"test/fixtures/firmware/out/stm32f446.bin",
			"-s",
			"0x08000000",
			"--sim=f446/blank",
			"--boards",
			"3",
			"-p",
			"1-1",
			"-p",
			"1-3",
		);
		expect(run.stderr).toBe("");
		expect(run.code).toBe(0);
		expect(run.stdout).toMatch(/^path 1-1: flashed, verified$/m);
		expect(run.stdout).toMatch(/^path 1-3: flashed, verified$/m);
		expect(run.stdout).not.toMatch(/path 1-2/);
		expect(run.stdout).toMatch(/2 of 2 boards flashed/);
	});

	it("-p and -S narrow --all too, as in dfu-util (a board must match both kinds)", async () => {
		const run = await runCli(
			"flash",
			image,
			"-s",
			"0x08000000",
			"--sim=f407/blank",
			"--boards",
			"3",
			"--all",
			"-S",
			"315A28A1B956",
			"-p",
			"1-2",
			"--json",
		);
		expect(run.code).toBe(0);
		expect(boardsOf(run.json()).map((b) => b.label)).toEqual(["serial 315A28A1B956"]);
	});

	it("a named board that is not attached stops the flash before any board is written", async () => {
		const run = await runCli(
			"flash",
			image,
			"-s",
			"0x08000000",
			"--sim=f407/blank",
			"--boards",
			"2",
			"-p",
			"1-1",
			"-p",
			"1-7",
			"--json",
		);
		expect(run.code).toBe(3);
		const lines = run.json();
		expect(lines.some((l) => l.type === "flash.planned" || l.type === "flash.phase")).toBe(false);
		expect(lines.at(-1)).toMatchObject({
			type: "result",
			ok: false,
			error: { kind: "no-device", message: expect.stringMatching(/-p 1-7; nothing was flashed/) },
		});
	});

	it("other commands take one -S: a second is refused before any device is opened", async () => {
		const run = await runCli(
			"read",
			join(dir, "r.bin"),
			"-s",
			"0x08000000:16",
			"--sim",
			"-S",
			"A",
			"-S",
			"B",
		);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/-S is given 2 times: read works on one board/);
	});
});

describe("every flag means the same for one board and for many", () => {
	const many = (...more: string[]) =>
		runCli("flash", image, "--sim=f407/blank", "--boards", "3", "--all", "--json", ...more);

	it(":leave: each board is told to leave and is watched leaving the bus", async () => {
		const run = await many("-s", "0x08000000:leave");
		expect(run.code).toBe(0);
		const lines = run.json();
		const planned = lines.filter((l) => l.type === "flash.planned");
		expect(planned).toHaveLength(3);
		for (const p of planned) expect((p.plan as { leave: boolean }).leave).toBe(true);
		const left = lines.filter((l) => l.type === "device.detached").map((l) => l.key);
		expect(new Set(left)).toEqual(new Set(boardsOf(lines).map((b) => b.device)));
		expect(left).toHaveLength(3);
	});

	it(":will-reset: no read-back and no leave on any board, as for one", async () => {
		const run = await many("-s", "0x08000000:will-reset");
		expect(run.code).toBe(0);
		const planned = run.json().filter((l) => l.type === "flash.planned");
		expect(planned).toHaveLength(3);
		for (const p of planned) expect(p.plan).toMatchObject({ verify: false, leave: false });
	});

	it("-c/-i naming another interface fail each board before anything is written", async () => {
		const run = await many("-s", "0x08000000", "-i", "1");
		const lines = run.json();
		expect(boardsOf(lines)).toHaveLength(3);
		for (const b of boardsOf(lines))
			expect(b).toMatchObject({ ok: false, error: { kind: "usage" } });
		expect(lines.some((l) => l.type === "flash.phase")).toBe(false);
		expect(run.code).toBe(3);
		// The matching interface is accepted, as for one board.
		expect((await many("-s", "0x08000000", "-c", "1", "-i", "0")).code).toBe(0);
	});

	it("--voltage is remembered for each board, and used from then on", async () => {
		const first = await many("-s", "0x08000000", "--voltage", "3.3");
		expect(first.code).toBe(0);
		const remembered = JSON.parse(
			readFileSync(join(dir, "config", "bringup", "boards.json"), "utf8"),
		) as { boards: Record<string, { voltage: number }> };
		expect(Object.keys(remembered.boards).sort()).toEqual([
			"serial:315A28A0B956",
			"serial:315A28A1B956",
			"serial:315A28A2B956",
		]);
		const again = await many("-s", "0x08000000");
		for (const p of again.json().filter((l) => l.type === "flash.planned"))
			expect((p.plan as { voltageRange?: string }).voltageRange).toBe("2.7-3.6V");
	});

	it("the inspector judges each kind of board once, and blocks every board it blocks", async () => {
		const f1 = "test/fixtures/firmware/out/stm32f1.bin";
		const run = await runCli(
			"flash",
			f1,
			"-s",
			"0x08000000",
			"--sim=f407/blank",
			"--boards",
			"3",
			"--all",
		);
		expect(run.code).toBe(3);
		expect(run.stdout.match(/error: Built for STM32F1/g)).toHaveLength(1);
		expect(run.stdout.match(/FAILED: not flashing .*Nothing was written/g)).toHaveLength(3);
	});
});
