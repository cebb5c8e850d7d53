/** Error kinds of a job the user stopped (x, q, Ctrl+C): not a failure of the board or the tool. */
const STOP_KINDS = new Set(["cancelled", "interrupted"]);

/** Whether a job (or its phase) ended because the user stopped it. */
export function stoppedBy(error: { kind: string } | undefined): boolean {
	return error !== undefined && STOP_KINDS.has(error.kind);
}
