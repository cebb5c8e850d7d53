import { createInterface } from "node:readline/promises";
import { NotConfirmedError } from "../errors.js";
import type { ConfirmationInfo } from "../store/events.js";

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

/**
 * The confirmations a flash proposal lists, answered headless: all of them with --yes, else each
 * asked at a terminal ("type yes"). Returns the ids given; the flash service refuses to start
 * without every one, so a missing answer stops the flash before anything is written.
 */
export async function confirmAll(
	confirmations: readonly ConfirmationInfo[],
	options: { yes: boolean; also?: readonly string[] },
): Promise<string[]> {
	if (options.yes) return confirmations.map((c) => c.id);
	const given = confirmations.filter((c) => options.also?.includes(c.id)).map((c) => c.id);
	const asked = confirmations.filter((c) => !given.includes(c.id));
	if (asked.length === 0 || !process.stdin.isTTY || !process.stderr.isTTY) return given;
	const rl = createInterface({ input: process.stdin, output: process.stderr });
	try {
		for (const c of asked) {
			const answer = await rl.question(
				`needs confirmation: ${c.message}.\nType "yes" to go ahead: `,
			);
			if (answer.trim().toLowerCase() !== "yes") break;
			given.push(c.id);
		}
	} finally {
		rl.close();
	}
	return given;
}
