import { BringupError, type ExitCode, errorInfo } from "../errors.js";

/** The one place where failures become words for a person (`errorInfo` is their JSON form). */
export { errorInfo };

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
