import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-files-"));
const leftovers = () => readdirSync(dir).filter((name) => name.endsWith(".tmp"));

/** An image whose vector table boots on the simulated F407. */
function f4Image(size: number): Buffer {
	const data = Buffer.alloc(size, 0x5a);
	data.writeUInt32LE(0x20020000, 0);
	data.writeUInt32LE(0x08000189, 4);
	for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
	return data;
}

describe("read's output file", () => {
	it("refuses to overwrite an existing file without --force, and replaces it with --force", async () => {
		const out = join(dir, "existing.bin");
		writeFileSync(out, "keep me");
		const refused = await runCli("read", "--sim", "-s", "0x08000000:16", out);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toContain(`the output file ${out} already exists: not overwriting it`);
		expect(refused.stderr).toContain("--force");
		expect(readFileSync(out, "utf8")).toBe("keep me");
		const forced = await runCli("read", "--sim", "-s", "0x08000000:16", "--force", out);
		expect(forced.code).toBe(0);
		expect(readFileSync(out).length).toBe(16);
	});

	it("leaves no file at all when the read fails", async () => {
		const out = join(dir, "failed.bin");
		const r = await runCli("read", "--sim", "-s", "0x30000000:16", out);
		expect(r.code).not.toBe(0);
		expect(existsSync(out)).toBe(false);
		expect(leftovers()).toEqual([]);
	});

	it("names a missing folder before opening the device (exit 2)", async () => {
		const out = join(dir, "nodir", "r.bin");
		const r = await runCli("read", "--sim", "-s", "0x08000000:16", out);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain(`cannot write the output file ${out}: its folder does not exist`);
		expect(r.stdout).toBe("");
	});
});

describe("convert's output file", () => {
	it("leaves no output after an input error", async () => {
		const out = join(dir, "bad-input.dfu");
		const r = await runCli("convert", `${join(dir, "missing.bin")}@0x08000000`, "-o", out);
		expect(r.code).toBe(2);
		expect(existsSync(out)).toBe(false);
		expect(leftovers()).toEqual([]);
	});

	it("refuses to overwrite an existing output without --force", async () => {
		const input = join(dir, "in.bin");
		writeFileSync(input, f4Image(1024));
		const out = join(dir, "twice.dfu");
		expect((await runCli("convert", `${input}@0x08000000`, "-o", out)).code).toBe(0);
		const before = readFileSync(out);
		const again = await runCli("convert", `${input}@0x08004000`, "-o", out);
		expect(again.code).toBe(2);
		expect(again.stderr).toContain(`the output file ${out} already exists`);
		expect(readFileSync(out)).toEqual(before);
		expect((await runCli("convert", `${input}@0x08004000`, "-o", out, "--force")).code).toBe(0);
		expect(readFileSync(out)).not.toEqual(before);
	});
});

describe("doctor checks its inputs and outputs before the device", () => {
	it("--report in a missing folder fails before the board leaves DFU mode", async () => {
		const report = join(dir, "nodir", "r.md");
		const r = await runCli("doctor", "--sim", "--report", report, "--json");
		expect(r.code).toBe(2);
		const events = r.json();
		expect(events.some((e) => e.type !== "result")).toBe(false);
		expect(events.at(-1)).toMatchObject({
			type: "result",
			ok: false,
			error: {
				kind: "output-file",
				message: `cannot write the report ${report}: its folder does not exist (ENOENT)`,
			},
		});
	});

	it("--sha256 that is not 64 hex digits is a usage error", async () => {
		const r = await runCli("doctor", "--sim", "--sha256", "nothex");
		expect(r.code).toBe(2);
		expect(r.stderr).toContain("--sha256 nothex: a SHA-256 is 64 hex digits");
		expect(r.stdout).toBe("");
	});

	it("--json ends with the result line the other commands use", async () => {
		const r = await runCli("doctor", "--sim", "--json");
		expect(r.json().at(-1)).toMatchObject({ type: "result", ok: true, verdict: null });
	});
});

describe("--record on a disk that is full", () => {
	it.skipIf(!existsSync("/dev/full"))(
		"the flash goes on to its end, then the incomplete recording is reported (exit 1)",
		async () => {
			const img = join(dir, "record.bin");
			writeFileSync(img, f4Image(256 * 1024));
			const r = await runCli("flash", "--sim", "--record", "/dev/full", "-s", "0x08000000", img);
			expect(r.stdout).toMatch(/flashed 262144 bytes at 0x08000000, verified/);
			expect(r.stderr).toContain(
				"error: the recording /dev/full is incomplete: no space is left on that disk (ENOSPC)",
			);
			expect(r.code).toBe(1);
		},
	);
});

describe("two processes on one --board-file", () => {
	it("the second is told the simulated board is busy (exit 3) while the first holds it", async () => {
		const board = join(dir, "shared.json");
		const first = spawn(
			process.execPath,
			["dist/bin/cli.js", "sim", "--usbip", "--listen", "127.0.0.1:0", "--board-file", board],
			{ stdio: ["ignore", "ignore", "pipe"] },
		);
		try {
			await new Promise<void>((resolve, reject) => {
				first.stderr.on("data", (chunk: Buffer) => {
					if (chunk.toString().includes("usbip attach")) resolve();
				});
				first.once("exit", (code) => reject(new Error(`the first process exited ${code}`)));
			});
			const second = await runCli(
				"read",
				"--sim",
				"--board-file",
				board,
				"-s",
				"0x08000000:16",
				join(dir, "second.bin"),
			);
			expect(second.code).toBe(3);
			expect(second.stderr).toContain(
				`error: board file ${board} is in use by process ${first.pid}: the simulated board is busy`,
			);
		} finally {
			first.kill("SIGTERM");
			await new Promise((resolve) => first.once("exit", resolve));
		}
		expect(existsSync(`${board}.lock`)).toBe(false);
		const after = await runCli(
			"read",
			"--sim",
			"--board-file",
			board,
			"-s",
			"0x08000000:16",
			join(dir, "after.bin"),
		);
		expect(after.code).toBe(0);
	}, 30_000);
});
