/**
 * Every failure a user can meet is a BringupError subclass: it carries a kind, the exit code the
 * headless commands use, the facts a user needs (file, offset, address, state) and a hint saying
 * what to try next. They are rendered in one place: source/commands/render-error.ts.
 *
 * Exit codes: 0 done, 1 device or operation failed, 2 bad input or usage, 3 no device or no
 * permission.
 */

/** 130: ended by Ctrl-C (128 + SIGINT), as a shell reports it. */
export type ExitCode = 0 | 1 | 2 | 3 | 130;

export type Details = Record<string, string | number | boolean | null>;

/** A typed error flattened to JSON for events and `--json` output. */
export interface ErrorInfo {
	kind: string;
	message: string;
	hint?: string;
	details?: Details;
}

export abstract class BringupError extends Error {
	abstract readonly kind: string;
	abstract readonly exitCode: ExitCode;
	readonly details: Details;
	readonly hint?: string;

	constructor(message: string, details: Details = {}, hint?: string) {
		super(message);
		this.name = new.target.name;
		// A fact that is not known is left out, so that no one reads "line null, column null".
		this.details = Object.fromEntries(
			Object.entries(details).filter(([, value]) => value !== null && value !== undefined),
		);
		this.hint = hint;
	}

	toInfo(): ErrorInfo {
		return {
			kind: this.kind,
			message: this.message,
			...(this.hint ? { hint: this.hint } : {}),
			...(Object.keys(this.details).length ? { details: this.details } : {}),
		};
	}
}

/** Bad flags or arguments. */
export class UsageError extends BringupError {
	readonly kind: string = "usage";
	readonly exitCode = 2;
}

/** A file that cannot be read or parsed; `details.file` and `details.offset` say where. */
export class InputError extends BringupError {
	readonly kind: string = "input";
	readonly exitCode = 2;
}

/** A destructive operation was not confirmed (--yes, a typed yes, a dialog); nothing was changed. */
export class NotConfirmedError extends UsageError {
	override readonly kind = "not-confirmed";
}

/** The image does not fit the device: outside writable memory, wrong chip, and so on. */
export class ImageRejectedError extends BringupError {
	readonly kind: string = "image-rejected";
	readonly exitCode = 2;
}

/** No matching device, several matching devices, no USB subsystem, no permission. */
export class DeviceSelectionError extends BringupError {
	readonly kind: string = "device-selection";
	readonly exitCode = 3;
}

/** The device or the transfer failed during an operation. */
export class DeviceError extends BringupError {
	readonly kind: string = "device";
	readonly exitCode = 1;
}

export { hex } from "./format.js";

/** Any failure as the plain JSON events, screens and `--json` carry; unknown errors are "internal". */
export function errorInfo(error: unknown): ErrorInfo {
	if (error instanceof BringupError) return error.toInfo();
	return { kind: "internal", message: error instanceof Error ? error.message : String(error) };
}

/** What a failed file system call means for the person who named the file. */
export function fsProblem(error: unknown): { code: string; reason: string } {
	const code = (error as NodeJS.ErrnoException).code ?? "";
	const reasons: Record<string, string> = {
		ENOENT: "its folder does not exist",
		ENOTDIR: "a part of its folder path is a file",
		ENOSPC: "no space is left on that disk",
		EDQUOT: "the disk quota is used up",
		EACCES: "permission denied",
		EPERM: "permission denied",
		EROFS: "that file system is read-only",
		EISDIR: "that path is a folder",
		ENOTEMPTY: "that path is a folder",
	};
	return {
		code,
		reason: reasons[code] ?? (error instanceof Error ? error.message : String(error)),
	};
}
