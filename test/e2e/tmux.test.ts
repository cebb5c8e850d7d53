import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

/**
 * The assistant as a person meets it: `bringup --sim` in a real terminal (tmux, 80x24), keys
 * typed with send-keys, the screen read with capture-pane.
 */
const CLI = resolve("dist/bin/cli.js");
const hasTmux = spawnSync("tmux", ["-V"]).status === 0;
const session = `bringup-e2e-${process.pid}`;
const dir = mkdtempSync(join(tmpdir(), "bringup-tmux-"));

function tmux(...args: string[]): string {
	return execFileSync("tmux", ["-L", session, ...args], { encoding: "utf8" });
}

const screen = () => tmux("capture-pane", "-t", session, "-p");

async function waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
	const end = Date.now() + timeoutMs;
	let text = "";
	while (Date.now() < end) {
		text = screen();
		if (pattern.test(text)) return text;
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`screen never showed ${pattern}; last screen:\n${text}`);
}

/** Typed at a person's pace: keys sent in one burst arrive as one chunk, unlike a keyboard. */
async function keys(...k: string[]) {
	tmux("send-keys", "-t", session, ...k);
	await new Promise((r) => setTimeout(r, 250));
}

afterAll(() => {
	spawnSync("tmux", ["-L", session, "kill-server"]);
});

describe.skipIf(!hasTmux || !existsSync(CLI))("bringup --sim in tmux at 80x24", () => {
	it("shows the F407, flashes an image from the Flash screen with verify, and quits with q", async () => {
		// Shaped like a real F407 build: a full 98-entry vector table, then seeded filler.
		const image = Buffer.alloc(24 * 1024);
		let x = 0x2545f491;
		for (let i = 0; i < image.length; i += 4) {
			x ^= x << 13;
			x ^= x >>> 17;
			x ^= x << 5;
			image.writeUInt32LE(x >>> 0, i);
		}
		image.writeUInt32LE(0x20020000, 0);
		image.writeUInt32LE(0x08000189, 4);
		for (let i = 2; i < 98; i++) image.writeUInt32LE(0x080001a1, i * 4);
		writeFileSync(join(dir, "blink.bin"), image);
		const status = join(dir, "exit-status");
		tmux(
			"new-session",
			"-d",
			"-s",
			session,
			"-x",
			"80",
			"-y",
			"24",
			"-c",
			dir,
			`env -u CI node ${CLI} --sim; echo $? > ${status}; stty -a > ${join(dir, "stty")}; sleep 30`,
		);
		const devices = await waitFor(/STM32F405\/407/);
		expect(devices).toMatch(/0483:df11/);
		expect(devices).toMatch(/Devices/);
		for (const line of devices.split("\n")) expect(line.length).toBeLessThanOrEqual(80);

		await keys("2");
		await waitFor(/Image/);
		await keys("Enter");
		await keys("-l", "blink.bin");
		await keys("Enter");
		await waitFor(/blink\.bin/);
		await keys("p");
		const plan = await waitFor(/Start\?/);
		expect(plan).toMatch(/Erase\s+2 sectors/);
		await keys("y");
		const done = await waitFor(/Done: 24 KiB written and verified/, 30_000);
		expect(done).toMatch(/verify\s+#+\s+100%/);

		await keys("q");
		await waitFor(/./, 1000);
		const end = Date.now() + 10_000;
		const sttyFile = join(dir, "stty");
		// The shell writes the exit status, then stty's report: wait for both to be complete.
		while (
			!(existsSync(sttyFile) && readFileSync(sttyFile, "utf8").includes("\n")) &&
			Date.now() < end
		)
			await new Promise((r) => setTimeout(r, 100));
		expect(readFileSync(status, "utf8").trim()).toBe("0");
		// The terminal is left as it was: cooked mode with echo, not Ink's raw mode.
		const stty = readFileSync(sttyFile, "utf8");
		expect(stty).toMatch(/ icanon/);
		expect(stty).toMatch(/ echo /);
	}, 90_000);
});
