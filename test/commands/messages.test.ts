import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-messages-"));

describe("command lines from --help do what it says", () => {
	it("bringup -s :mass-erase:force --sim mass-erases (dfu-util's form of bringup erase --yes)", async () => {
		const r = await runCli("-s", ":mass-erase:force", "--sim");
		expect(r.stderr).toBe("");
		expect(r.stdout).toMatch(/flash erased/);
		expect(r.code).toBe(0);
	});
});

describe("replay of a file that is not a recording", () => {
	it("is refused as bad input (exit 2), not read as 0 events", async () => {
		const file = join(dir, "app.bin");
		writeFileSync(file, Buffer.from([0x00, 0x00, 0x02, 0x20, 0x89, 0x01, 0x00, 0x08]));
		const r = await runCli("replay", file);
		expect(r.code).toBe(2);
		expect(r.stdout).not.toMatch(/0 events/);
		expect(r.stderr).toMatch(
			new RegExp(`^error: ${file.replace(/[.]/g, "\\.")}.*not a bringup recording`, "m"),
		);
	});
});

describe("a failed block in --json", () => {
	it("the details do not contradict the message's block count", async () => {
		const img = join(dir, "blocks.bin");
		const data = Buffer.alloc(40 * 1024, 0x11);
		data.writeUInt32LE(0x20020000, 0);
		data.writeUInt32LE(0x08000189, 4);
		writeFileSync(img, data);
		const r = await runCli(
			"flash",
			"--sim",
			"--fault",
			"status-error-at-block=4",
			"-s",
			"0x08000000",
			"--force",
			"--json",
			img,
		);
		expect(r.code).toBe(1);
		const error = r.json().at(-1)!.error as { message: string; details: Record<string, unknown> };
		expect(error.message).toMatch(/^write of block 4\/20 at 0x08001800 failed/);
		// The 4th of 20 blocks goes out as DFU block 5 (blocks 0 and 1 are commands): named so.
		expect(error.details).toMatchObject({ operation: "write of block 4/20", wBlockNum: 5 });
		expect(error.details.block).toBeUndefined();
	});
});

describe("the README's way to run the built CLI", () => {
	it("npx bringup -- --help prints bringup's help, not npm's", () => {
		const readme = readFileSync("README.md", "utf8");
		expect(readme).toContain("`npx bringup -- ...`");
		for (const npx of [["bringup"], ["--no", "bringup"]]) {
			const r = spawnSync("npx", [...npx, "--", "--help"], { encoding: "utf8" });
			expect(r.stdout).toMatch(/^bringup: bring up STM32 boards over USB DFU/);
			expect(r.status).toBe(0);
		}
	}, 60_000);

	it("a leading -- (as npx and npm start may pass it on) does not turn the flags into files", async () => {
		const r = await runCli("--", "list", "--sim", "--json");
		expect(r.code).toBe(0);
		expect(r.json().at(-1)).toMatchObject({ type: "result", ok: true });
	});
});
