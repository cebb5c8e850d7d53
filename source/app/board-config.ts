/**
 * What the user told bringup about a board, kept between runs: its supply voltage (--voltage),
 * in $XDG_CONFIG_HOME/bringup/boards.json (~/.config/bringup/boards.json without it). A board is
 * known by its USB serial, or by its USB path when the serial does not tell boards apart (some
 * loaders report the same serial on every board, e.g. "STM32FxSTM32" on F446/F72x).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

export interface BoardSettings {
	/** Supply voltage in volts, as given with --voltage. */
	voltage?: number;
}

interface ConfigFile {
	boards: Record<string, BoardSettings>;
}

/** Where a board is plugged and what it says it is. */
export interface BoardIdentity {
	serial?: string;
	path?: string;
}

/** Serials that ROM loaders report on every board of a family (the F446 and F72x loaders). */
const SHARED_SERIALS = new Set(["STM32FXSTM32"]);

export function configPath(env: NodeJS.ProcessEnv = process.env): string {
	const base = env.XDG_CONFIG_HOME?.trim() ? env.XDG_CONFIG_HOME : join(homedir(), ".config");
	return join(base, "bringup", "boards.json");
}

/**
 * The key a board's settings live under: its serial when that names one board, else its USB
 * path. `sameSerialAttached`: another attached device reports the same serial.
 */
export function boardKey(board: BoardIdentity, sameSerialAttached = false): string | undefined {
	const serial = board.serial?.trim();
	if (serial && !sameSerialAttached && !SHARED_SERIALS.has(serial.toUpperCase()))
		return `serial:${serial}`;
	return board.path ? `path:${board.path}` : undefined;
}

function read(file: string): ConfigFile {
	try {
		const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<ConfigFile>;
		if (parsed && typeof parsed.boards === "object" && parsed.boards !== null)
			return { boards: parsed.boards };
	} catch {
		// Missing or unreadable: nothing remembered. A damaged file is replaced on the next save.
	}
	return { boards: {} };
}

export function loadBoardSettings(key: string, file = configPath()): BoardSettings | undefined {
	return read(file).boards[key];
}

/** Saves (or with `undefined`, forgets) one board's settings; written whole, then renamed. */
export function saveBoardSettings(
	key: string,
	settings: BoardSettings | undefined,
	file = configPath(),
): void {
	const config = read(file);
	if (settings) config.boards[key] = settings;
	else delete config.boards[key];
	mkdirSync(dirname(file), { recursive: true });
	const temporary = `${file}.${process.pid}.tmp`;
	writeFileSync(temporary, `${JSON.stringify(config, null, "\t")}\n`);
	renameSync(temporary, file);
}
