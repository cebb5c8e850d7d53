import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { RECORDING_FORMAT } from "../../source/store/store.js";
import { runCli } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-recording-"));

describe("recordings carry their format", () => {
	it("--record starts the file with the format header, and replay reads it back", async () => {
		const file = join(dir, "list.ndjson");
		const list = await runCli("list", "--sim", "--record", file);
		expect(list.code).toBe(0);
		const lines = readFileSync(file, "utf8").trim().split("\n");
		expect(JSON.parse(lines[0]!)).toEqual({
			type: "recording",
			format: RECORDING_FORMAT,
			program: "bringup",
		});
		expect(lines.length).toBeGreaterThan(1);

		const replayed = await runCli("replay", file, "--json");
		expect(replayed.code).toBe(0);
		expect(replayed.json().at(-1)).toMatchObject({
			type: "result",
			ok: true,
			events: lines.length - 1,
		});
	});

	it("replay refuses a recording from a newer bringup with exit 2 and says why", async () => {
		const file = join(dir, "newer.ndjson");
		writeFileSync(file, `${JSON.stringify({ type: "recording", format: RECORDING_FORMAT + 1 })}\n`);
		const r = await runCli("replay", file);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain(`format ${RECORDING_FORMAT + 1}`);
		expect(r.stderr).toMatch(/newer bringup/);
	});
});
