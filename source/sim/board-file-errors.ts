import { BringupError, DeviceSelectionError, type ExitCode, fsProblem } from "../errors.js";

/**
 * The simulated board's state could not be written to its board file. Before the board was used
 * (`"open"`) that is bad input, exit 2; afterwards (`"save"`) the simulated chip did what it was
 * asked but the file still holds the state from before, exit 1.
 */
export class BoardFileSaveError extends BringupError {
	readonly kind = "board-file-save";
	readonly exitCode: ExitCode;
	constructor(path: string, cause: unknown, when: "open" | "save" = "save") {
		const { code, reason } = fsProblem(cause);
		super(
			`cannot ${when === "open" ? "keep" : "save"} the simulated board in ${path}: ${reason}${code ? ` (${code})` : ""}`,
			{ file: path, ...(code ? { code } : {}) },
			when === "open"
				? "Point --board-file at a folder that exists and where you may write."
				: "Free some space or point --board-file at a place where you may write. The file keeps the board as it was before this save.",
		);
		this.exitCode = when === "open" ? 2 : 1;
	}
}

/** Another process holds the board file's lock, as another program would hold a real board. */
export class BoardFileBusyError extends DeviceSelectionError {
	override readonly kind = "board-file-busy";
	constructor(path: string, lock: string, pid: number | undefined) {
		super(
			`board file ${path} is in use by ${pid === undefined ? "another process" : `process ${pid}`}: the simulated board is busy`,
			{ file: path, lock, ...(pid === undefined ? {} : { pid }) },
			`Wait for that command to finish, or use another --board-file. If no bringup is running, delete ${lock}.`,
		);
	}
}
