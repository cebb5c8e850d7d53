import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import type { JobState } from "../../source/store/reduce.js";
import { type LiveApp, mountLive } from "./live-harness.js";

const K = { enter: "\r", down: "\u001b[B", ctrlU: "\u0015" };
const dir = mkdtempSync(join(tmpdir(), "bringup-stop-"));

let app: LiveApp | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

/** The F407 test build padded to 256 KiB: long enough to be stopped part-way. */
function image(): string {
	const out = Buffer.alloc(256 * 1024, 0x5a);
	readFileSync("test/fixtures/firmware/out/stm32f407.bin").copy(out);
	const file = join(dir, "big.bin");
	writeFileSync(file, out);
	return file;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

async function until(what: string, done: () => boolean, live: LiveApp) {
	const deadline = performance.now() + 60_000;
	while (performance.now() < deadline) {
		if (done()) return;
		await turn();
	}
	throw new Error(`never happened: ${what}\n${live.frame()}`);
}

const flashJobs = (live: LiveApp): JobState[] =>
	Object.values(live.store.getState().jobs).filter((j) => j.plan.operation === "download");
const programming = (j: JobState) =>
	j.phases.some((p) => p.phase === "program" && p.status === "running");

/** Flash screen: the image typed in, the boards box ticked when asked, planned and started. */
async function startFlash(live: LiveApp, allBoards: boolean) {
	await until(
		"the boards described",
		() =>
			live.store.getState().deviceOrder.every((k) => live.store.getState().devices[k]?.description),
		live,
	);
	await live.press("2", K.enter, K.ctrlU, image(), K.enter);
	if (allBoards) await live.press(K.down, K.down, K.down, K.down, K.down, K.enter);
	await live.press("p");
	await until("the plan", () => /Plan for flashing/.test(live.frame()), live);
	await live.press("y");
	await until("programming", () => flashJobs(live).some(programming), live);
}

describe("x stops a running flash between two blocks", () => {
	test("one board: asked first, any other key lets it run on, y stops it and says what the chip holds", async () => {
		app = await mountLive({ configFile: join(dir, "one.json") });
		const live = app;
		await startFlash(live, false);
		await live.press("x");
		expect(live.frame()).toContain("Stop the flash after the current block?");
		await live.press("n");
		expect(live.frame()).not.toContain("Stop the flash");
		expect(flashJobs(live).every((j) => j.result === undefined)).toBe(true);

		await live.press("x", "y");
		await until("the job's end", () => flashJobs(live).every((j) => j.result), live);
		const [job] = flashJobs(live);
		expect(job?.result?.ok).toBe(false);
		expect(job?.result?.error?.kind).toBe("cancelled");
		expect(job?.result?.error?.message).toMatch(/cancelled at 0x080\w+; /);
		// The board is still there, in DFU mode, for the next flash.
		const device = live.store.getState().devices[job!.device];
		expect(device?.identity.mode).toBe("dfu");
		live.view.flush();
		await live.press("");
		expect(live.frame()).toMatch(/cancelled at 0x080\w+/);
		expect(live.frame()).toContain("Flash again before leaving DFU mode");
		// Stopped by the user: not called a failure, and no details line repeating the message.
		expect(live.frame()).toMatch(/Stopped during program/);
		expect(live.frame()).toMatch(/program\s+[#.]+\s+!\s+stopped/);
		expect(live.frame()).not.toMatch(/onChip|Failed/);
	}, 120_000);

	test("a flash that ends while the question stands: the question goes, and Enter opens a new flash", async () => {
		app = await mountLive({ configFile: join(dir, "ends.json") });
		const live = app;
		await startFlash(live, false);
		await live.press("x");
		expect(live.frame()).toContain("Stop the flash after the current block?");
		await until("the flash's end", () => flashJobs(live).every((j) => j.result), live);
		live.view.flush();
		await live.press("");
		expect(live.frame()).not.toContain("Stop the flash");
		expect(live.frame()).toMatch(/Done: 256 KiB written and verified/);
		await live.press(K.enter);
		expect(live.frame()).toContain("Write an image to");
		expect(flashJobs(live).every((j) => j.result?.ok)).toBe(true);
	}, 120_000);

	test("a tray: y stops every board, none is left running", async () => {
		app = await mountLive({ boards: 3, configFile: join(dir, "tray.json"), viewIntervalMs: 66 });
		const live = app;
		await startFlash(live, true);
		expect(flashJobs(live)).toHaveLength(3);
		await live.press("x");
		expect(live.frame()).toContain("Stop all 3 boards after the current block?");
		await live.press("y");
		await until("every board's end", () => flashJobs(live).every((j) => j.result), live);
		expect(flashJobs(live).map((j) => j.result?.error?.kind)).toEqual([
			"cancelled",
			"cancelled",
			"cancelled",
		]);
		for (const job of flashJobs(live))
			expect(job.result?.error?.message).toMatch(/cancelled at 0x080\w+; on the chip now: /);
		// The chosen board's line says what its chip holds, and the title counts stops apart from failures.
		live.view.flush();
		await live.press("");
		expect(live.frame()).toMatch(/: program cancelled at 0x080\w+; on the chip now/);
		expect(live.frame()).toMatch(/Stopped flashing big\.bin: 0 of 3 boards done, 3 stopped/);
		expect(live.frame()).toMatch(/stopped in \w+/);
	}, 120_000);
});
