import { closeSync, existsSync, openSync, rmSync, statSync } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { BringupError, fsProblem, InputError } from "../errors.js";

/** An output file that cannot be created: found before any device work, so exit 2. */
export class OutputFileError extends InputError {
	override readonly kind = "output-file";
}

/** The output file is already there and --force was not given (dfu-util -U refuses too). */
export class OutputExistsError extends InputError {
	override readonly kind = "output-exists";
}

/** The output could not be written at the end, after the work was done: exit 1. */
export class OutputWriteError extends BringupError {
	readonly kind = "output-write";
	readonly exitCode = 1;
}

function cannot(what: string, path: string, error: unknown): OutputFileError {
	const { code, reason } = fsProblem(error);
	return new OutputFileError(
		`cannot write ${what} ${path}: ${reason}${code ? ` (${code})` : ""}`,
		{ file: path, ...(code ? { code } : {}) },
		"Check that the folder exists and that you may write there.",
	);
}

/**
 * Opens (creating or truncating) a file the command will write, before any device work: a typo in
 * the path must not be found out after a flash or a long read.
 */
export function openOutput(path: string, what: string, flags: "w" | "a" = "w"): number {
	try {
		return openSync(path, flags);
	} catch (error) {
		throw cannot(what, path, error);
	}
}

export interface PendingOutput {
	readonly path: string;
	/** Writes the bytes to a temporary file beside the output, then renames it into place. */
	commit(bytes: Uint8Array | string): Promise<void>;
}

/**
 * An output file the command fills at its end. Checked before any device work (the folder exists,
 * a file can be created in it, no file of that name is overwritten without --force), written whole
 * or not at all: an error or a kill never leaves an empty or half-written file under its name.
 */
export function prepareOutput(
	path: string,
	what: string,
	options: { force: boolean },
): PendingOutput {
	if (existsSync(path)) {
		if (statSync(path).isDirectory())
			throw cannot(what, path, Object.assign(new Error(), { code: "EISDIR" }));
		if (!options.force)
			throw new OutputExistsError(
				`${what} ${path} already exists: not overwriting it`,
				{ file: path },
				"Add --force to replace it, or choose another name.",
			);
	}
	const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
	try {
		closeSync(openSync(temp, "wx"));
		rmSync(temp, { force: true });
	} catch (error) {
		throw cannot(what, path, error);
	}
	return {
		path,
		async commit(bytes) {
			try {
				await writeFile(temp, bytes, { flag: "wx" });
				await rename(temp, path);
			} catch (error) {
				await rm(temp, { force: true });
				const { code, reason } = fsProblem(error);
				throw new OutputWriteError(
					`cannot write ${what} ${path}: ${reason}${code ? ` (${code})` : ""}`,
					{ file: path, ...(code ? { code } : {}) },
					"Free some space or choose another place, then run the command again.",
				);
			}
		},
	};
}
