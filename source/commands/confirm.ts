import { createInterface } from "node:readline/promises";
import { UsageError } from "../errors.js";

export class NotConfirmedError extends UsageError {
	override readonly kind = "not-confirmed";
}

/**
 * Destructive operations (mass erase, read unprotect, option bytes) go ahead only when the user
 * says so: a flag in headless use, or typing "yes" at a terminal.
 */
export async function confirmDestructive(
	what: string,
	consequence: string,
	given: boolean,
): Promise<void> {
	if (given) return;
	if (!process.stdin.isTTY || !process.stderr.isTTY)
		throw new NotConfirmedError(
			`${what} needs confirmation: ${consequence}`,
			{ operation: what },
			"Add --yes (or dfu-util's :force) to confirm.",
		);
	const rl = createInterface({ input: process.stdin, output: process.stderr });
	try {
		const answer = await rl.question(`${what}: ${consequence}.\nType "yes" to go ahead: `);
		if (answer.trim().toLowerCase() !== "yes")
			throw new NotConfirmedError(`${what} cancelled; nothing was changed`, { operation: what });
	} finally {
		rl.close();
	}
}
