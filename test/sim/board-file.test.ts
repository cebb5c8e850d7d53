import {
	existsSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { InputError } from "../../source/errors.js";
import {
	BoardFileBusyError,
	BoardFileSaveError,
	createSimulation,
	PROFILES,
	serialFromUid,
} from "../../source/sim/index.js";
import { bytes, sim } from "./helpers.js";

let dir: string | undefined;
afterEach(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
	dir = undefined;
});

describe("board file", () => {
	it("a flash in one simulation is seen by the next one reading the same file", async () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		const first = sim({ profile: "f411", scenario: "blank", boardFile: file });
		await first.dfu.erase(0x08020000);
		await first.dfu.write(0x08020000, bytes(0xde, 0xad, 0xbe, 0xef));
		await first.dfu.selectAlt(1);
		await first.dfu.setAddress(0x1fffc000);
		// An option-byte write resets the chip, which is a checkpoint.
		await first.dfu.dnload(2, bytes(0xef, 0xbb, 0, 0, 0, 0, 0, 0, 0xff, 0x0f, 0, 0, 0, 0, 0, 0));
		await first.dfu.getStatus();
		await Promise.resolve();
		first.simulation.close();

		const saved = JSON.parse(readFileSync(file, "utf8"));
		expect(saved).toMatchObject({
			format: "bringup-sim-board",
			version: 1,
			profile: "f411",
			scenario: "blank",
		});
		// sparse: only the one non-blank 2 KiB page
		expect(Object.keys(saved.flash.pages)).toEqual(["0x20000"]);

		// A new process: profile and scenario come from the file, not from the options.
		const second = createSimulation({
			clock: new VirtualClock(),
			boardFile: file,
			profile: "f407",
		});
		const board = second.boards[0]!;
		expect(board.profile.id).toBe("f411");
		expect(board.readMemory(0x08020000, 4)).toEqual(bytes(0xde, 0xad, 0xbe, 0xef));
		expect(board.optionBytes[0]![1]).toBe(0xbb);
		// The UID (and so the serial) travels with the file too.
		expect(board.device?.serialNumber).toBe(serialFromUid(PROFILES.f411!.uid.words));
		second.close();
	});

	it("unplugging and close() write pending changes", async () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		const a = sim({ scenario: "blank", boardFile: file });
		a.board.writeMemory(0x08000000, bytes(1, 2, 3, 4));
		await a.dfu.write(0x08000100, bytes(9, 9, 9, 9));
		a.simulation.unplug(a.board);
		const b = createSimulation({ clock: new VirtualClock(), boardFile: file });
		expect(b.boards[0]!.readMemory(0x08000000, 4)).toEqual(bytes(1, 2, 3, 4));
		expect(b.boards[0]!.readMemory(0x08000100, 4)).toEqual(bytes(9, 9, 9, 9));
		b.close();
		a.simulation.close();
	});

	it("a file that is not a board file is refused", () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "x.json");
		writeFileSync(file, "{}");
		expect(() => createSimulation({ boardFile: file })).toThrow(/not a simulator board file/);
	});
});

describe("a damaged board file", () => {
	const refused = (content: string) => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		writeFileSync(file, content);
		let caught: unknown;
		try {
			createSimulation({ boardFile: file }).close();
		} catch (error) {
			caught = error;
		}
		return { caught: caught as InputError, file };
	};
	const header = '"format":"bringup-sim-board","version":1,"profile":"f407","scenario":"healthy"';

	it.each([
		["JSON null", "null"],
		["a header with no memory", `{${header}}`],
		[
			"a flash page past the end of the chip's flash",
			`{${header},"uid":[1,2,3],"flash":{"pageSize":2048,"pages":{"0x200000":"AAAA"}},"optionBytes":["7+oQVf////8=","/w8A8P////8="],"otp":[],"deviceFeature":"AAAAAA=="}`,
		],
		[
			"option bytes for a different chip",
			`{${header},"uid":[1,2,3],"flash":{"pageSize":2048,"pages":{}},"optionBytes":[],"otp":[],"deviceFeature":"AAAAAA=="}`,
		],
	])("%s is refused as an input error that names the file", (_, content) => {
		const { caught, file } = refused(content);
		expect(caught).toBeInstanceOf(InputError);
		expect(caught.message).toContain(file);
		expect(caught.details.file).toBe(file);
	});
});

describe("a board file that cannot be written or is in use", () => {
	it("a save that fails leaves no temporary file and is reported, not thrown into the board", async () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		const a = sim({ scenario: "blank", boardFile: file });
		// The path turns into a non-empty folder: the temporary file is written, the rename fails.
		rmSync(file);
		mkdirSync(join(file, "inside"), { recursive: true });
		await a.dfu.write(0x08000100, bytes(9, 9, 9, 9));
		a.simulation.close();
		const error = a.simulation.saveError;
		expect(error).toBeInstanceOf(BoardFileSaveError);
		expect(error?.message).toBe(
			`cannot save the simulated board in ${file}: that path is a folder (EISDIR)`,
		);
		expect(error?.exitCode).toBe(1);
		expect(readdirSync(dir).filter((name) => name.endsWith(".tmp"))).toEqual([]);
	});

	it("a board file in a folder that does not exist is refused before the board is used", () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "nodir", "board.json");
		let caught: BoardFileSaveError | undefined;
		try {
			createSimulation({ boardFile: file }).close();
		} catch (error) {
			caught = error as BoardFileSaveError;
		}
		expect(caught).toBeInstanceOf(BoardFileSaveError);
		expect(caught?.message).toBe(
			`cannot keep the simulated board in ${file}: its folder does not exist (ENOENT)`,
		);
		expect(caught?.exitCode).toBe(2);
	});

	it("a board file another running process holds is refused as busy", () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		// The parent of this test process is alive and is not this process.
		writeFileSync(`${file}.lock`, `${process.ppid}\n`);
		let caught: BoardFileBusyError | undefined;
		try {
			createSimulation({ boardFile: file }).close();
		} catch (error) {
			caught = error as BoardFileBusyError;
		}
		expect(caught).toBeInstanceOf(BoardFileBusyError);
		expect(caught?.message).toBe(
			`board file ${file} is in use by process ${process.ppid}: the simulated board is busy`,
		);
		expect(caught?.exitCode).toBe(3);
		expect(existsSync(file)).toBe(false);
	});

	it("holds the lock while open, gives it back on close, and takes over a dead process's lock", () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		writeFileSync(`${file}.lock`, "2147483646\n");
		const a = createSimulation({ boardFile: file });
		expect(readFileSync(`${file}.lock`, "utf8").trim()).toBe(String(process.pid));
		a.close();
		expect(existsSync(`${file}.lock`)).toBe(false);
	});

	it("a flash page that is not base64 is refused", () => {
		dir = mkdtempSync(join(tmpdir(), "sim-board-"));
		const file = join(dir, "board.json");
		const good = createSimulation({ boardFile: file });
		good.close();
		const saved = JSON.parse(readFileSync(file, "utf8"));
		saved.flash.pages["0x0"] = "this is not base64!";
		writeFileSync(file, JSON.stringify(saved));
		expect(() => createSimulation({ boardFile: file })).toThrow(
			`board file ${file} does not fit the simulated f407: flash page 0x0 is not valid base64`,
		);
	});
});
