import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
	boardKey,
	configPath,
	loadBoardSettings,
	saveBoardSettings,
} from "../../source/app/board-config.js";

describe("board settings file", () => {
	it("lives under XDG_CONFIG_HOME, else ~/.config", () => {
		expect(configPath({ XDG_CONFIG_HOME: "/x/conf" })).toBe("/x/conf/bringup/boards.json");
		expect(configPath({ HOME: "/home/u" })).toMatch(/\.config\/bringup\/boards\.json$/);
	});

	it("keys a board by serial, or by USB path when the serial does not tell boards apart", () => {
		expect(boardKey({ serial: "315A28A0B956", path: "1-1.2" })).toBe("serial:315A28A0B956");
		expect(boardKey({ serial: "STM32FxSTM32", path: "1-1.2" })).toBe("path:1-1.2");
		expect(boardKey({ serial: "315A28A0B956", path: "1-1.3" }, true)).toBe("path:1-1.3");
		expect(boardKey({ serial: "STM32FxSTM32" })).toBeUndefined();
	});

	it("remembers, replaces and forgets one board without touching the others", () => {
		const file = join(mkdtempSync(join(tmpdir(), "bringup-conf-")), "sub", "boards.json");
		expect(loadBoardSettings("serial:A", file)).toBeUndefined();
		saveBoardSettings("serial:A", { voltage: 3.3 }, file);
		saveBoardSettings("path:1-1", { voltage: 2.5 }, file);
		saveBoardSettings("serial:A", { voltage: 3 }, file);
		expect(loadBoardSettings("serial:A", file)).toEqual({ voltage: 3 });
		saveBoardSettings("serial:A", undefined, file);
		expect(loadBoardSettings("serial:A", file)).toBeUndefined();
		expect(JSON.parse(readFileSync(file, "utf8"))).toEqual({
			boards: { "path:1-1": { voltage: 2.5 } },
		});
	});

	it("treats a damaged file as empty and replaces it on the next save", () => {
		const file = join(mkdtempSync(join(tmpdir(), "bringup-conf-")), "boards.json");
		writeFileSync(file, "{not json");
		expect(loadBoardSettings("serial:A", file)).toBeUndefined();
		saveBoardSettings("serial:A", { voltage: 3.3 }, file);
		expect(loadBoardSettings("serial:A", file)).toEqual({ voltage: 3.3 });
	});
});
