import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeDfuse } from "../../source/image/dfuse-file.js";
import { writeIhex } from "../../source/image/ihex.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-flash-checks-"));

/** An F407 firmware of `size` bytes filled with `fill` after its vector table. */
function f407Firmware(size: number, fill: number): Buffer {
	const data = Buffer.alloc(size, fill);
	data.writeUInt32LE(0x20020000, 0);
	data.writeUInt32LE(0x08000189, 4);
	for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
	return data;
}

/** F4 option bytes with RDP byte 0x55: writing them sets read protection level 1. */
const RDP_LEVEL_1 = Uint8Array.from([
	0xef, 0x55, 0x10, 0xaa, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0xf0, 0xff, 0xff, 0xff, 0xff,
]);

/** A board file holding `old` at 0x08000000, and a way to read it back. */
async function boardWith(name: string, old: Buffer) {
	const board = join(dir, `${name}.json`);
	const oldFile = join(dir, `${name}-old.bin`);
	writeFileSync(oldFile, old);
	const first = await runCli("flash", "--sim", "--board-file", board, "-s", "0x08000000", oldFile);
	expect(first.code).toBe(0);
	return {
		board,
		async read(): Promise<Buffer> {
			const out = join(dir, `${name}-back-${Math.random().toString(36).slice(2)}.bin`);
			const r = await runCli(
				"read",
				"--sim",
				"--board-file",
				board,
				"-s",
				`0x08000000:${old.length}`,
				out,
			);
			expect(r.code).toBe(0);
			return readFileSync(out);
		},
	};
}

function phasesStarted(run: Awaited<ReturnType<typeof runCli>>): string[] {
	return run
		.json()
		.filter((e) => e.type === "flash.phase" && e.status === "started")
		.map((e) => String(e.phase));
}

function errorOf(run: Awaited<ReturnType<typeof runCli>>): {
	kind: string;
	message: string;
	hint?: string;
} {
	const result = run.json().at(-1) as {
		type: string;
		error: { kind: string; message: string; hint?: string };
	};
	expect(result.type).toBe("result");
	return result.error;
}

describe("confirmations come from what the file writes", () => {
	const ob = join(dir, "ob-only.dfu");
	writeFileSync(
		ob,
		writeDfuse({
			format: "dfuse",
			source: ob,
			segments: [{ address: 0x1fffc000, data: RDP_LEVEL_1, alt: 1, name: "Option Bytes" }],
		}),
	);

	it("an option-bytes .dfu flashed with -a 3 still needs confirmation, and says what RDP it sets", async () => {
		const r = await runCli("flash", "--sim", "-a", "3", ob, "--json");
		expect(r.code).toBe(2);
		expect(errorOf(r).message).toMatch(
			/option bytes write at 0x1FFFC000 \(RDP byte 0x55 = level 1: read protection\) needs confirmation/,
		);
		expect(phasesStarted(r)).toEqual([]);
	});

	it("--force is not a confirmation (it overrides the inspector); --yes is", async () => {
		const forced = await runCli("flash", "--sim", "-a", "3", ob, "--force", "--json");
		expect(forced.code).toBe(2);
		expect(errorOf(forced)).toMatchObject({ kind: "not-confirmed" });
		expect(errorOf(forced).hint).toMatch(/--force overrides the inspector, it does not confirm/);
		expect(phasesStarted(forced)).toEqual([]);
		const yes = await runCli("flash", "--sim", "-a", "3", ob, "--yes", "--json");
		expect(yes.code).toBe(0);
		expect(phasesStarted(yes)).toEqual(["erase", "program"]);
	});
});

describe("nothing destructive before every check that needs no device", () => {
	it("a -t that is not a multiple of the write unit stops before :mass-erase (exit 2, flash intact)", async () => {
		const old = f407Firmware(16 * 1024, 0x11);
		const board = await boardWith("t1023", old);
		const img = join(dir, "new.bin");
		writeFileSync(img, f407Firmware(16 * 1024, 0x22));
		const r = await runCli(
			"flash",
			"--sim",
			"--board-file",
			board.board,
			"-s",
			"0x08000000:mass-erase",
			"--yes",
			"-t",
			"1023",
			img,
		);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(/transfer size 1023 is not a multiple of the 4-byte flash write unit/);
		expect(await board.read()).toEqual(old);
	});

	it("a .dfu whose suffix names another device stops before :mass-erase", async () => {
		const old = f407Firmware(16 * 1024, 0x33);
		const board = await boardWith("suffix", old);
		const img = join(dir, "other-device.dfu");
		writeFileSync(
			img,
			writeDfuse(
				{
					format: "dfuse",
					source: img,
					segments: [{ address: 0x08000000, data: f407Firmware(16 * 1024, 0x44), alt: 0 }],
				},
				{ vendorId: 0x1209, productId: 0x0001 },
			),
		);
		const r = await runCli(
			"flash",
			"--sim",
			"--board-file",
			board.board,
			"-s",
			":mass-erase",
			"--yes",
			img,
		);
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(
			/is for USB device 1209:0001 \(its DFU suffix\), not the connected 0483:df11/,
		);
		expect(await board.read()).toEqual(old);
	});
});

describe("-t larger than the loader's wTransferSize", () => {
	it("is clamped to it, said so, and the flash verifies", async () => {
		const img = join(dir, "t4096.bin");
		writeFileSync(img, f407Firmware(20 * 1024, 0x55));
		const r = await runCli("flash", "--sim", "-t", "4096", "-s", "0x08000000", img);
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		expect(r.stdout).toMatch(
			/-t 4096 is larger than the loader's wTransferSize: using 2048-byte blocks/,
		);
		expect(r.stdout).toMatch(/flashed 20480 bytes at 0x08000000, verified/);
	});
});

describe("the flash write unit comes from the chip", () => {
	it("G474: 64 bytes at 0x0807F804 are widened to double words and written", async () => {
		const hex = join(dir, "g4-tail.hex");
		const data = new Uint8Array(64).map((_, i) => i + 1);
		writeFileSync(
			hex,
			writeIhex({ format: "ihex", source: hex, segments: [{ address: 0x0807f804, data }] }),
		);
		const r = await runCli("flash", "--sim=g474", hex, "--force", "--json");
		expect(r.stderr).toBe("");
		expect(r.code).toBe(0);
		const planned = r.json().find((e) => e.type === "flash.planned") as {
			plan: { ranges: { address: number; size: number }[]; checks: { message: string }[] };
		};
		expect(planned.plan.ranges).toEqual([{ address: 0x0807f800, size: 72 }]);
		expect(planned.plan.checks.map((c) => c.message)).toContain(
			"flash written in 8-byte units (G4)",
		);
		expect(r.json().at(-1)).toMatchObject({ type: "result", ok: true, verified: true });
	});
});

describe("an erase the device never confirmed", () => {
	it("is read back even with --no-verify, and the output does not promise a verify that never runs", async () => {
		const img = join(dir, "h7.bin");
		const data = Buffer.alloc(256 * 1024, 0x6b);
		data.writeUInt32LE(0x24080000, 0);
		data.writeUInt32LE(0x08000299, 4);
		writeFileSync(img, data);
		const r = await runCli(
			"flash",
			"--sim=h743",
			"--fault",
			"wedged-busy=1",
			"--no-verify",
			"-s",
			"0x08000000",
			img,
			"--force",
		);
		expect(r.stdout).not.toMatch(/the verify phase checks it/);
		expect(r.stdout).toMatch(/treated as erased after the device wedged/);
		expect(r.stdout).toMatch(
			/1 sector never confirmed erased \(the device wedged\): reading back the \d+ bytes written there although verify is off/,
		);
		expect(r.code).toBe(0);
	});
});
