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
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { InputError } from "../errors.js";
import type { Chip } from "./chip.js";

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

export function boardToJson(chip: Chip, scenario: string): BoardFile {
	const pages: Record<string, string> = {};
	for (let at = 0; at < chip.flash.length; at += BOARD_FILE_PAGE) {
		const page = chip.flash.subarray(at, at + BOARD_FILE_PAGE);
		if (page.some((b) => b !== 0xff)) pages[`0x${at.toString(16)}`] = b64(page);
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

/** Puts a saved state into a chip of the same profile. */
export function restoreChip(chip: Chip, file: BoardFile): void {
	chip.flash.fill(0xff);
	for (const [offset, data] of Object.entries(file.flash.pages))
		chip.flash.set(unb64(data), Number(offset));
	chip.optionBytes = file.optionBytes.map(unb64);
	file.otp.forEach((data, i) => {
		chip.otp[i]?.set(unb64(data));
	});
	chip.deviceFeature.set(unb64(file.deviceFeature).subarray(0, 4));
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
	const file = parsed as Partial<BoardFile>;
	if (file.format !== "bringup-sim-board" || file.version !== 1 || typeof file.profile !== "string")
		throw new InputError(
			`${path} is not a simulator board file (format/version missing)`,
			{ file: path },
			"Delete it to start from a new simulated board, or point --board-file elsewhere.",
		);
	return file as BoardFile;
}

/** Atomic write: a reader in another process never sees half a file. */
export function writeBoardFile(path: string, content: BoardFile): void {
	const temp = `${path}.${process.pid}.tmp`;
	writeFileSync(temp, `${JSON.stringify(content)}\n`);
	renameSync(temp, path);
}
