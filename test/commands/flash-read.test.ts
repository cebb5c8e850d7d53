import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { runCli } from "./run-cli.js";

let seed = 0x1234567;
/** Seeded filler (xorshift32): the same bytes on every run, so any failure reproduces. */
function randomBytes(size: number): Buffer {
	const out = Buffer.alloc(size);
	for (let i = 0; i + 4 <= size; i += 4) {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		out.writeUInt32LE(seed >>> 0, i);
	}
	return out;
}

function f4Image(size: number): Buffer {
	const data = randomBytes(size);
	data.writeUInt32LE(0x20020000, 0); // initial SP: top of F407 SRAM1+2
	data.writeUInt32LE(0x08000189, 4); // reset handler inside the image, Thumb bit set
	for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
	return data;
}

const dir = mkdtempSync(join(tmpdir(), "bringup-cli-"));

describe("flash then read on a persistent simulated board", () => {
	it("gives back the same 300 KiB", async () => {
		const img = join(dir, "img.bin");
		const back = join(dir, "back.bin");
		const board = join(dir, "board.json");
		const bytes = f4Image(300 * 1024);
		writeFileSync(img, bytes);
		const flash = await runCli(
			"flash",
			"--sim",
			"--board-file",
			board,
			"-a",
			"0",
			"-s",
			"0x08000000:leave",
			img,
		);
		expect(flash.stderr).toBe("");
		expect(flash.code).toBe(0);
		expect(flash.stdout).toMatch(/flashed 307200 bytes at 0x08000000, verified, left DFU/);
		// The loader leaving the bus says it jumped, not that the image runs.
		expect(flash.stdout).toMatch(/the bootloader left the bus/);
		expect(flash.stdout).not.toMatch(/running the new image/);
		// The F407 loader answers its first GETSTATUS with dfuERROR/errFIRMWARE; that is normal
		// and cleared without a word, as dfu-util does.
		expect(flash.stdout).not.toMatch(/dfuERROR|errFIRMWARE|CLRSTATUS/);
		const read = await runCli(
			"read",
			"--sim",
			"--board-file",
			board,
			"-a",
			"0",
			"-s",
			`0x08000000:${bytes.length}`,
			back,
		);
		expect(read.code).toBe(0);
		expect(Buffer.compare(readFileSync(back), bytes)).toBe(0);
	});

	it("re-flashing the same image skips every sector; --full erases and writes them again", async () => {
		const img = join(dir, "same.bin");
		const board = join(dir, "same-board.json");
		writeFileSync(img, f4Image(20 * 1024));
		const run = (...extra: string[]) =>
			runCli("flash", "--sim", "--board-file", board, "-s", "0x08000000", img, ...extra);
		const first = await run();
		expect(first.code).toBe(0);
		expect(first.stdout).not.toMatch(/already held/);
		const again = await run("--json");
		expect(again.code).toBe(0);
		const result = JSON.parse(again.stdout.trim().split("\n").at(-1)!);
		expect(result).toMatchObject({ ok: true, verified: true, skippedSectors: 2 });
		const full = await run("--full");
		expect(full.code).toBe(0);
		expect(full.stdout).toMatch(/erase done/);
		expect(full.stdout).not.toMatch(/already held/);
	});

	it("--voltage writes the supply range, is remembered for the board, and none forgets it", async () => {
		const img = join(dir, "volt.bin");
		const board = join(dir, "volt-board.json");
		const config = mkdtempSync(join(tmpdir(), "bringup-xdg-"));
		writeFileSync(img, f4Image(4 * 1024));
		vi.stubEnv("XDG_CONFIG_HOME", config);
		try {
			const run = (...extra: string[]) =>
				runCli(
					"flash",
					"--sim",
					"--board-file",
					board,
					"-s",
					"0x08000000",
					img,
					"--full",
					...extra,
				);
			const planned = (r: Awaited<ReturnType<typeof run>>) =>
				r.json().find((e) => e.type === "flash.planned")?.plan as Record<string, unknown>;
			const bytewise = await run();
			expect(bytewise.stdout).toMatch(
				/expected at most about [\d.]+ s byte-wise; about [\d.]+ s with --voltage/,
			);
			const given = await run("--voltage", "3.3", "--json");
			expect(given.code).toBe(0);
			expect(given.stdout).toMatch(/supply 3\.3 V for serial \w+: remembered in .*boards\.json/);
			expect(planned(given).voltageRange).toBe("2.7-3.6V");
			const remembered = await run("--json");
			expect(remembered.stdout).toMatch(
				/supply 3\.3 V \(2\.7-3\.6V\) for serial \w+, remembered in/,
			);
			expect(planned(remembered).voltageRange).toBe("2.7-3.6V");
			const forgot = await run("--voltage", "none", "--json");
			expect(forgot.stdout).toMatch(/forgot the supply voltage/);
			expect(planned(forgot).voltageRange).toBeUndefined();
			expect(readFileSync(join(config, "bringup", "boards.json"), "utf8")).toMatch(
				/"boards": \{\}/,
			);
		} finally {
			vi.unstubAllEnvs();
		}
	});

	it("Ctrl-C stops between blocks: exit 130, and the error says what the chip holds now", async () => {
		const img = join(dir, "ctrl-c.bin");
		writeFileSync(img, f4Image(48 * 1024));
		const running = runCli("flash", "--sim", "--realtime", "--full", "-s", "0x08000000", img);
		// Real time: three 16 KiB sector erases take 1.2 s; interrupt during the second.
		while (process.listenerCount("SIGINT") === 0) await new Promise((r) => setTimeout(r, 10));
		await new Promise((resolve) => setTimeout(resolve, 600));
		process.emit("SIGINT");
		const run = await running;
		expect(run.code).toBe(130);
		expect(run.stderr).toMatch(/Ctrl-C: stopping after the current block/);
		expect(run.stderr).toMatch(
			/error: (erase|program) \(Ctrl-C\) cancelled at 0x080\w+; on the chip now: .*erased or partly written.*; it does not hold the whole image/,
		);
		expect(run.stderr).toMatch(/what to try: The device is back in dfuIDLE/);
		// The phase line calls it a stop, not a failure.
		expect(run.stdout).toMatch(/^(erase|program) stopped: /m);
		expect(run.stdout).not.toMatch(/ failed: /);
		expect(process.listenerCount("SIGINT")).toBe(0);
	});

	it("Ctrl-C during flash --all stops every board: each says it was stopped, not that it failed", async () => {
		const img = join(dir, "ctrl-c-all.bin");
		writeFileSync(img, f4Image(48 * 1024));
		const running = runCli(
			"flash",
			img,
			"-s",
			"0x08000000",
			"--sim=f407/blank",
			"--boards",
			"2",
			"--all",
			"--realtime",
			"--full",
		);
		while (process.listenerCount("SIGINT") === 0) await new Promise((r) => setTimeout(r, 10));
		await new Promise((resolve) => setTimeout(resolve, 600));
		process.emit("SIGINT");
		const run = await running;
		expect(run.code).toBe(130);
		expect(
			run.stdout.match(
				/^serial \w+: stopped: (erase|program) \(Ctrl-C\) cancelled at 0x080\w+; on the chip now: /gm,
			),
		).toHaveLength(2);
		expect(run.stdout).not.toMatch(/FAILED/);
		expect(process.listenerCount("SIGINT")).toBe(0);
	});

	it("--all flashes every simulated board in parallel; one failing never stops the others", async () => {
		const img = join(dir, "all.bin");
		writeFileSync(img, f4Image(8 * 1024));
		const run = await runCli(
			"flash",
			img,
			"-s",
			"0x08000000",
			"--sim=f407/blank",
			"--boards",
			"4",
			"--all",
			"--fault",
			"unplug-at-block=2",
			"--json",
		);
		const lines = run.json();
		const boards = lines.filter((l) => l.type === "board");
		expect(boards).toHaveLength(4);
		expect(boards.filter((b) => b.ok)).toHaveLength(3);
		expect(boards.find((b) => !b.ok)).toMatchObject({ error: { kind: "device-gone" } });
		expect(new Set(boards.map((b) => b.label)).size).toBe(4);
		const planned = lines.filter((l) => l.type === "flash.planned").map((l) => l.device);
		expect(new Set(planned)).toEqual(new Set(boards.map((b) => b.device)));
		expect(new Set(planned).size).toBe(4);
		expect(lines.at(-1)).toMatchObject({ type: "result", ok: false, boards: 4, failed: 1 });
		expect(run.code).toBe(1);
	});

	it("packs two binaries into a .dfu, flashes it and reads each region back", async () => {
		const a = f4Image(20 * 1024);
		const b = randomBytes(40 * 1024);
		writeFileSync(join(dir, "a.bin"), a);
		writeFileSync(join(dir, "b.bin"), b);
		const dfu = join(dir, "two.dfu");
		const conv = await runCli(
			"convert",
			`${join(dir, "a.bin")}@0x08000000`,
			`${join(dir, "b.bin")}@0x08020000`,
			"-o",
			dfu,
		);
		expect(conv.code).toBe(0);
		expect(readFileSync(dfu).subarray(0, 5).toString()).toBe("DfuSe");
		const board = join(dir, "two.json");
		expect((await runCli("flash", "--sim", "--board-file", board, dfu)).code).toBe(0);
		const backA = join(dir, "back-a.bin");
		const backB = join(dir, "back-b.bin");
		expect(
			(await runCli("read", "--sim", "--board-file", board, "-s", `0x08000000:${a.length}`, backA))
				.code,
		).toBe(0);
		expect(
			(await runCli("read", "--sim", "--board-file", board, "-s", `0x08020000:${b.length}`, backB))
				.code,
		).toBe(0);
		expect(Buffer.compare(readFileSync(backA), a)).toBe(0);
		expect(Buffer.compare(readFileSync(backB), b)).toBe(0);
	});

	it("refuses a .dfu given as raw data at an address, before touching a device", async () => {
		const r = await runCli("flash", "--sim", join(dir, "two.dfu"), "-s", "0x08000000");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/two\.dfu/);
		expect(r.stdout).not.toMatch(/erase/);
	});
});

describe("pre-flight", () => {
	const f1 = "test/fixtures/firmware/out/stm32f1.bin";

	it("stops an F1 image before erasing an F407, naming both chips", async () => {
		const board = join(dir, "f1.json");
		const r = await runCli(
			"flash",
			"--sim",
			"--board-file",
			board,
			f1,
			"-s",
			"0x08000000",
			"--json",
		);
		expect(r.code).toBe(2);
		const events = r.json();
		expect(events.some((e) => e.type === "flash.phase")).toBe(false);
		const finding = events.find(
			(e) =>
				e.type === "inspect.finding" && (e.finding as { severity: string }).severity === "error",
		);
		expect(finding).toBeDefined();
		expect((finding!.finding as { message: string }).message).toMatch(
			/STM32F1.*0x40021000.*STM32F405\/407.*0x40023800/,
		);
		expect(events.at(-1)).toMatchObject({
			type: "result",
			ok: false,
			error: { kind: "preflight" },
		});
	});

	it("flashes it anyway with --force", async () => {
		const r = await runCli("flash", "--sim", f1, "-s", "0x08000000", "--force");
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/verified/);
	});
});

describe("exit codes and messages", () => {
	it("says there is no USB subsystem and offers --sim (exit 3)", async () => {
		const r = await runCli("list");
		if (r.code === 0) return; // a machine with a real USB bus: nothing to assert here
		expect(r.code).toBe(3);
		expect(r.stderr).toMatch(/USB/);
		expect(r.stderr).toMatch(/--sim/);
		expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
	});

	it("names a missing file (exit 2)", async () => {
		const r = await runCli("flash", "--sim", join(dir, "nope.bin"), "-s", "0x08000000");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/nope\.bin/);
	});

	it("names the block and address when the board is unplugged mid-flash (exit 1)", async () => {
		const img = join(dir, "unplug.bin");
		writeFileSync(img, f4Image(64 * 1024));
		const r = await runCli(
			"flash",
			"--sim",
			"--fault",
			"unplug-at-block=5",
			img,
			"-s",
			"0x08000000",
		);
		expect(r.code).toBe(1);
		expect(r.stderr).toMatch(/disconnected/);
		expect(r.stderr).toMatch(/0x0800/);
		expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
	});

	it("needs confirmation for a mass erase when not on a terminal", async () => {
		const r = await runCli("erase", "--sim");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/--yes/);
		expect((await runCli("erase", "--sim", "--yes")).code).toBe(0);
	});

	it("rejects an ambiguous -s modifier as usage (exit 2)", async () => {
		const r = await runCli("flash", "--sim", "x.bin", "-s", "0x08000000:fuse");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/unknown -s modifier "fuse"/);
	});
});

describe("list", () => {
	it("decodes the simulated F407", async () => {
		const r = await runCli("list", "--sim");
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/0483:df11\s+DFU/);
		expect(r.stdout).toMatch(/STM32F405\/407/);
		expect(r.stdout).toMatch(/bootloader 2\.2/);
		expect(r.stdout).toMatch(/alt 1: @Option Bytes/);
	});

	it("ends --json output with a result listing the device", async () => {
		const r = await runCli("list", "--sim=f429", "--json");
		const result = r.json().at(-1)!;
		expect(result.type).toBe("result");
		const [device] = result.devices as {
			productId: number;
			description: { chip: { name: string } };
		}[];
		expect(device!.productId).toBe(0xdf11);
		expect(device!.description.chip.name).toMatch(/F42/);
	});
});

describe("dfu-util's -e and -R", () => {
	it("-e sends DFU_DETACH as its own job", async () => {
		const r = await runCli("-e", "--sim", "--json");
		expect(r.code).toBe(0);
		const phases = r.json().filter((e) => e.type === "flash.phase");
		expect(phases.map((e) => `${e.phase} ${e.status}`)).toEqual([
			"detach started",
			"detach finished",
		]);
	});

	it("-R resets the device after a flash", async () => {
		const img = join(dir, "reset.bin");
		writeFileSync(img, f4Image(8 * 1024));
		const r = await runCli("flash", "--sim", img, "-s", "0x08000000", "-R");
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(/USB reset sent/);
	});
});

describe("memory that is not firmware, and files that cannot be written", () => {
	it("asks before writing OTP memory, and never runs the firmware inspector on it", async () => {
		const otp = join(dir, "otp.bin");
		writeFileSync(otp, Buffer.alloc(32));
		const refused = await runCli("flash", "--sim", "-a", "2", "-s", "0x1FFF7800", otp);
		expect(refused.code).toBe(2);
		expect(refused.stderr).toMatch(/OTP write at 0x1FFF7800 .* needs confirmation/);
		const written = await runCli(
			"flash",
			"--sim",
			"-a",
			"2",
			"-s",
			"0x1FFF7800",
			otp,
			"--yes",
			"--json",
		);
		expect(written.code).toBe(0);
		expect(written.json().some((e) => e.type === "inspect.finding")).toBe(false);
	});

	it("does not claim a verify it could not do (option bytes reset the chip)", async () => {
		const ob = join(dir, "ob.bin");
		writeFileSync(
			ob,
			Buffer.from([
				0xef, 0xaa, 0x10, 0x55, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0xf0, 0xff, 0xff, 0xff,
				0xff,
			]),
		);
		const r = await runCli(
			"flash",
			"--sim",
			"-a",
			"1",
			"-s",
			"0x1FFFC000:will-reset",
			ob,
			"--yes",
			"--json",
		);
		expect(r.code).toBe(0);
		expect(r.json().at(-1)).toMatchObject({ type: "result", ok: true, verified: false });
	});

	it("refuses an output path it cannot write before reading the device", async () => {
		const r = await runCli(
			"read",
			"--sim",
			join(dir, "no-such-dir", "out.bin"),
			"-s",
			"0x08000000:16",
			"--json",
		);
		expect(r.code).toBe(2);
		expect(r.json().some((e) => e.type === "flash.planned")).toBe(false);
		expect(r.json().at(-1)).toMatchObject({ ok: false, error: { kind: "output-file" } });
	});

	it("refuses a --record path it cannot write before touching the device", async () => {
		const r = await runCli("list", "--sim", "--record", join(dir, "no-such-dir", "r.ndjson"));
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/cannot write the recording/);
	});
});

describe("dfu-util's -c, -i and -t", () => {
	it("stops on a -i that names another interface instead of ignoring it", async () => {
		const r = await runCli("read", "--sim", join(dir, "c.bin"), "-s", "0x08000000:16", "-i", "3");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/interface 0 of configuration 1/);
		expect(
			(
				await runCli(
					"read",
					"--sim",
					join(dir, "c.bin"),
					"-s",
					"0x08000000:16",
					"-c",
					"1",
					"-i",
					"0",
				)
			).code,
		).toBe(0);
	});

	it("rejects -t 0", async () => {
		const r = await runCli("read", "--sim", join(dir, "t.bin"), "-s", "0x08000000:16", "-t", "0");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/-t 0/);
	});
});

describe("a board file and --sim that disagree", () => {
	it("says which chip the file holds instead of quietly using it", async () => {
		const board = join(dir, "kept-f407.json");
		expect((await runCli("list", "--sim=f407", "--board-file", board)).code).toBe(0);
		const r = await runCli("list", "--sim=g474", "--board-file", board);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/holds a simulated f407, but --sim asks for g474/);
		expect((await runCli("list", "--sim", "--board-file", board)).code).toBe(0);
	});
});
