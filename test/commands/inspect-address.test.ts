import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const OUT = "test/fixtures/firmware/out";
const dir = mkdtempSync(join(tmpdir(), "bringup-inspect-"));

describe("inspect: where a raw binary goes", () => {
	it("reads the address of a raw binary from its vector table and says so", async () => {
		const r = await runCli(
			"inspect",
			`${OUT}/stm32f407-at-0x08008000.bin`,
			"--chip",
			"F407",
			"--json",
		);
		expect(r.code).toBe(0);
		const result = r.json().at(-1)!;
		expect(result).toMatchObject({ type: "result", ok: true, inferredAddress: 0x08008000 });
		expect(result.segments).toEqual([{ address: 0x08008000, size: expect.any(Number) }]);
		const plain = await runCli("inspect", `${OUT}/stm32f407.bin`);
		expect(plain.code).toBe(0);
		expect(plain.stdout).toMatch(/address: 0x08000000, inferred from the vector table/);
	});

	it("inspects bytes without a vector table at 0 and says the table is missing", async () => {
		const noise = join(dir, "noise.bin");
		writeFileSync(noise, Buffer.alloc(64, 0x5a));
		const r = await runCli("inspect", noise);
		expect(r.code).toBe(2);
		expect(r.stdout).toMatch(/no Cortex-M vector table to read one from/);
		expect(r.stdout).toMatch(/does not start with a Cortex-M vector table/);
	});

	it("blocks an -s that disagrees with the link address, naming both", async () => {
		const r = await runCli("inspect", `${OUT}/stm32f407-at-0x08008000.bin`, "-s", "0x08000000");
		expect(r.code).toBe(2);
		expect(r.stdout).toMatch(/linked to run at 0x08008000.*written at 0x08000000/);
	});

	it("blocks --address 0x08000001: the core cannot read its vector table there", async () => {
		const r = await runCli("inspect", `${OUT}/stm32f407.bin`, "--address", "0x08000001", "--json");
		expect(r.code).toBe(2);
		const result = r.json().at(-1) as { findings: { id: string; severity: string }[] };
		expect(result.findings).toContainEqual(
			expect.objectContaining({ id: "vector-table.misaligned", severity: "error" }),
		);
	});

	it("blocks a table that VTOR cannot point at (0x08000100 for 98 entries)", async () => {
		const r = await runCli("inspect", `${OUT}/stm32f407.bin`, "-s", "0x08000100", "--chip", "F407");
		expect(r.code).toBe(2);
		expect(r.stdout).toMatch(/aligned to 0x00000200/);
	});
});

describe("flash: an address the vector table cannot boot from", () => {
	it("refuses -s 0x08000001 before writing anything", async () => {
		const board = join(dir, "board.json");
		const r = await runCli(
			"flash",
			"--sim",
			"--board-file",
			board,
			`${OUT}/stm32f407.bin`,
			"-s",
			"0x08000001",
			"--json",
		);
		expect(r.code).toBe(2);
		const events = r.json();
		expect(events.some((e) => e.type === "flash.phase")).toBe(false);
		expect(events.at(-1)).toMatchObject({
			type: "result",
			ok: false,
			error: { kind: "preflight" },
		});
		expect(JSON.stringify(events)).toMatch(/vector-table\.misaligned/);
	});
});
