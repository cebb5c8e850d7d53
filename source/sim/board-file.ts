/**
 * A board's persistent state as JSON, so that a flash in one process and a read in the next see
 * the same chip: profile, scenario, flash (sparse: only 2 KiB pages that are not all 0xFF, base64),
 * option bytes, OTP and the Device Feature word.
 *
 * When it is written (index.ts): at every checkpoint — the loader leaves or the chip resets, the
 * cable is pulled, a WebUSB device is closed, save(), the simulation's close() and process exit —
 * and, while memory keeps changing, at most once a second of wall time, so that a process killed
 * mid-flash loses at most a second. Not after every block: that would rewrite megabytes per block.
 */
import {
	closeSync,
	existsSync,
	openSync,
	readFileSync,
	renameSync,
	rmSync,
	writeFileSync,
	writeSync,
} from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../errors.js";
import { BoardFileBusyError, BoardFileSaveError } from "./board-file-errors.js";
import type { Chip } from "./chip.js";

export { BoardFileBusyError, BoardFileSaveError } from "./board-file-errors.js";

export const BOARD_FILE_PAGE = 2048;

export interface BoardFile {
	format: "bringup-sim-board";
	version: 1;
	profile: string;
	scenario: string;
	uid: [number, number, number];
	flash: { pageSize: number; pages: Record<string, string> };
	optionBytes: string[];
	otp: string[];
	deviceFeature: string;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");
const unb64 = (text: string) => new Uint8Array(Buffer.from(text, "base64"));
/** Node's decoder skips characters that are not base64; a damaged file must be refused instead. */
const isBase64 = (text: string) => text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);

export function boardToJson(chip: Chip, scenario: string): BoardFile {
	const pages: Record<string, string> = {};
	for (let at = 0; at < chip.flash.length; at += BOARD_FILE_PAGE) {
		const page = chip.flash.subarray(at, at + BOARD_FILE_PAGE);
		if (page.some((b) => b !== chip.erasedByte)) pages[`0x${at.toString(16)}`] = b64(page);
	}
	return {
		format: "bringup-sim-board",
		version: 1,
		profile: chip.profile.id,
		scenario,
		uid: [...chip.uid],
		flash: { pageSize: BOARD_FILE_PAGE, pages },
		optionBytes: chip.optionBytes.map(b64),
		otp: chip.otp.map(b64),
		deviceFeature: b64(chip.deviceFeature),
	};
}

/** Puts a saved state into a chip of the same profile; a file that does not fit the chip is refused. */
export function restoreChip(chip: Chip, file: BoardFile, path: string): void {
	const refuse = (what: string) =>
		new InputError(
			`board file ${path} does not fit the simulated ${chip.profile.id}: ${what}`,
			{ file: path },
			"Delete it to start from a new simulated board, or point --board-file elsewhere.",
		);
	const damaged = [
		...Object.entries(file.flash.pages).map(([key, data]) => [`flash page ${key}`, data]),
		...file.optionBytes.map((data, i) => [`option bytes run ${i}`, data]),
		...file.otp.map((data, i) => [`OTP run ${i}`, data]),
		["the Device Feature word", file.deviceFeature],
	].find(([, data]) => !isBase64(data!));
	if (damaged) throw refuse(`${damaged[0]} is not valid base64`);
	const pages = Object.entries(file.flash.pages).map(([key, data]) => {
		const offset = Number(key);
		const bytes = unb64(data);
		if (!Number.isInteger(offset) || offset < 0 || offset + bytes.length > chip.flash.length)
			throw refuse(`flash page ${key} lies outside its ${chip.flash.length} bytes of flash`);
		return { offset, bytes };
	});
	const optionBytes = file.optionBytes.map(unb64);
	if (
		optionBytes.length !== chip.optionBytes.length ||
		optionBytes.some((run, i) => run.length !== chip.optionBytes[i]?.length)
	)
		throw refuse(
			`option bytes of ${optionBytes.map((r) => r.length).join("+") || "0"} bytes, the chip has ${chip.optionBytes.map((r) => r.length).join("+")}`,
		);
	chip.flash.fill(chip.erasedByte);
	for (const { offset, bytes } of pages) chip.flash.set(bytes, offset);
	chip.optionBytes = optionBytes;
	file.otp.forEach((data, i) => {
		const run = chip.otp[i];
		if (run) run.set(unb64(data).subarray(0, run.length));
	});
	chip.deviceFeature.set(unb64(file.deviceFeature).subarray(0, 4));
}

function isStringArray(value: unknown): value is string[] {
	return Array.isArray(value) && value.every((v) => typeof v === "string");
}

/** The shape a board file must have before any of it is used. */
function isBoardFile(value: unknown): value is BoardFile {
	if (typeof value !== "object" || value === null) return false;
	const file = value as Partial<BoardFile>;
	return (
		file.format === "bringup-sim-board" &&
		file.version === 1 &&
		typeof file.profile === "string" &&
		typeof file.scenario === "string" &&
		Array.isArray(file.uid) &&
		file.uid.length === 3 &&
		file.uid.every((w) => Number.isInteger(w)) &&
		typeof file.flash === "object" &&
		file.flash !== null &&
		typeof file.flash.pages === "object" &&
		file.flash.pages !== null &&
		Object.values(file.flash.pages).every((v) => typeof v === "string") &&
		isStringArray(file.optionBytes) &&
		isStringArray(file.otp) &&
		typeof file.deviceFeature === "string"
	);
}

export function readBoardFile(path: string): BoardFile | undefined {
	if (!existsSync(path)) return undefined;
	let parsed: unknown;
	try {
		parsed = JSON.parse(readFileSync(path, "utf8"));
	} catch (error) {
		throw new InputError(
			`board file ${path} is not JSON: ${(error as Error).message}`,
			{ file: path },
			"Delete it to start from a new simulated board, or point --board-file elsewhere.",
		);
	}
	if (!isBoardFile(parsed))
		throw new InputError(
			`${path} is not a simulator board file (format, version or memory missing)`,
			{ file: path },
			"Delete it to start from a new simulated board, or point --board-file elsewhere.",
		);
	return parsed;
}

/**
 * Atomic write: a reader in another process never sees half a file. A failed write (no space,
 * no permission, no folder) removes its temporary file and says which file could not be saved.
 */
export function writeBoardFile(
	path: string,
	content: BoardFile,
	when: "open" | "save" = "save",
): void {
	const temp = `${path}.${process.pid}.tmp`;
	try {
		writeFileSync(temp, `${JSON.stringify(content)}\n`);
		renameSync(temp, path);
	} catch (error) {
		rmSync(temp, { force: true });
		throw new BoardFileSaveError(path, error, when);
	}
}

/** Board files this process holds, with how many simulations use each. */
const held = new Map<string, number>();

/**
 * Takes `PATH.lock` for this process, like a real board that one program at a time can claim: two
 * processes flashing one board file would each save their own copy of the chip and lose the
 * other's writes. A lock left by a process that no longer runs (killed) is taken over. Several
 * simulations in one process share the lock. Returns the function that gives it back.
 */
export function lockBoardFile(path: string): () => void {
	const lock = `${path}.lock`;
	const count = held.get(lock) ?? 0;
	if (count === 0) takeLock(path, lock);
	held.set(lock, count + 1);
	let released = false;
	return () => {
		if (released) return;
		released = true;
		const left = (held.get(lock) ?? 1) - 1;
		if (left > 0) held.set(lock, left);
		else {
			held.delete(lock);
			rmSync(lock, { force: true });
		}
	};
}

function takeLock(path: string, lock: string): void {
	if (!existsSync(dirname(path)))
		throw new BoardFileSaveError(
			path,
			Object.assign(new Error("no folder"), { code: "ENOENT" }),
			"open",
		);
	for (let attempt = 0; attempt < 2; attempt++) {
		let fd: number;
		try {
			fd = openSync(lock, "wx");
		} catch (error) {
			const code = (error as NodeJS.ErrnoException).code;
			if (code !== "EEXIST") throw new BoardFileSaveError(path, error, "open");
			const owner = Number.parseInt(readLockOwner(lock), 10);
			if (Number.isInteger(owner) && owner > 0 && isRunning(owner))
				throw new BoardFileBusyError(path, lock, owner);
			rmSync(lock, { force: true });
			continue;
		}
		writeSync(fd, `${process.pid}\n`);
		closeSync(fd);
		return;
	}
	throw new BoardFileBusyError(path, lock, undefined);
}

function readLockOwner(lock: string): string {
	try {
		return readFileSync(lock, "utf8").trim();
	} catch {
		return "";
	}
}

function isRunning(pid: number): boolean {
	if (pid === process.pid) return true;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === "EPERM";
	}
}
