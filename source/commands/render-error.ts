import { BringupError, type ExitCode } from "../errors.js";
import type { ErrorInfo } from "../store/events.js";

/** The one place where failures become words for a person (and JSON for a program). */
export function errorInfo(error: unknown): ErrorInfo {
	if (error instanceof BringupError) return error.toInfo();
	const message = error instanceof Error ? error.message : String(error);
	return { kind: "internal", message };
}

export function exitCodeOf(error: unknown): ExitCode {
	return error instanceof BringupError ? error.exitCode : 1;
}

export function renderError(error: unknown): string {
	const info = errorInfo(error);
	const lines = [`error: ${info.message}`];
	if (info.hint) lines.push(`  what to try: ${info.hint}`);
	if (!(error instanceof BringupError) && error instanceof Error && process.env.BRINGUP_DEBUG) {
		lines.push(error.stack ?? "");
	}
	return lines.join("\n");
}
