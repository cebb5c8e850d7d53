import type { BringupError } from "../errors.js";

/**
 * Failures found while a command winds down, after its own result: the recording or the simulated
 * board's file could not be written. They must not replace the command's own error (a failed
 * flash stays the headline), so main() says them after it and raises the exit code.
 */
const late: BringupError[] = [];

export function reportAtEnd(error: BringupError): void {
	late.push(error);
}

export function takeLateErrors(): BringupError[] {
	return late.splice(0);
}
