import { EventEmitter } from "node:events";

/** Escape sequences Ink writes before a frame: erase lines, cursor moves, clear screen, hide cursor. */
const LEADING_CONTROL = /^(?:\u001b\[[0-9;?]*[A-Za-z])+/;
const STYLES = /\u001b\[[0-9;]*m/g;

/**
 * The terminal the soak's assistant draws on: Ink writes to it exactly what it would write to a
 * real one (its log-update frames, erase sequences first), and it keeps what the user sees after
 * each write, the last frame's text, instead of the bytes.
 */
export class SoakTerminal extends EventEmitter {
	readonly isTTY = true;
	/** Writes that put a new frame on screen. */
	frames = 0;
	private text = "";

	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write(chunk: string | Uint8Array): boolean {
		const data = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
		// A frame is its erase sequence and the new lines; a write of control sequences only
		// (cursor shown or hidden) leaves the screen as it was.
		const frame = data.replace(LEADING_CONTROL, "");
		if (frame) {
			this.text = frame;
			this.frames++;
		}
		return true;
	}

	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit("resize");
	}

	/** The lines on screen, without styles. */
	lines(): string[] {
		const text = this.text.replace(STYLES, "");
		const lines = text.split("\n");
		if (lines.at(-1) === "") lines.pop();
		return lines;
	}
}

/**
 * What must hold for every frame the user sees: at the smallest supported size and above, the
 * header and the screen keys are on screen and nothing wraps or scrolls; below it, the notice
 * that the terminal is too small. Returns what is wrong, or undefined.
 */
export function frameProblem(
	lines: readonly string[],
	columns: number,
	rows: number,
	min: { columns: number; rows: number },
): string | undefined {
	if (columns < min.columns || rows < min.rows) {
		if (!lines.join(" ").includes("terminal too small"))
			return `at ${columns}x${rows} the frame does not say the terminal is too small`;
		return undefined;
	}
	// Ink repaints the whole screen once its output reaches the terminal's height: the screens
	// keep one line spare.
	if (lines.length > rows - 1) return `${lines.length} lines on a ${rows}-row terminal`;
	// All glyphs are one column wide (theme.ts), so code points are columns.
	const wide = lines.findIndex((line) => [...line].length > columns);
	if (wide >= 0)
		return `line ${wide + 1} is ${[...lines[wide]!].length} columns wide on a ${columns}-column terminal: ${lines[wide]}`;
	if (!lines[0]?.startsWith("bringup")) return "the header is not on the first line";
	if (!/\b1 Devices\b/.test(lines.at(-1) ?? "")) return "the screen keys are not on the last line";
	return undefined;
}
