import { closeSync, openSync } from "node:fs";
import { InputError } from "../errors.js";

export class OutputFileError extends InputError {
	override readonly kind = "output-file";
}

/**
 * Opens (creating or truncating) a file the command will write, before any device work: a typo in
 * the path must not be found out after a flash or a long read.
 */
export function openOutput(path: string, what: string, flags: "w" | "a" = "w"): number {
	try {
		return openSync(path, flags);
	} catch (error) {
		throw new OutputFileError(
			`cannot write ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
			{ file: path },
			"Check that the folder exists and that you may write there.",
		);
	}
}

/** Checks a file can be written, without truncating it (it may also be an input). */
export function checkWritable(path: string, what: string): void {
	closeSync(openOutput(path, what, "a"));
}
