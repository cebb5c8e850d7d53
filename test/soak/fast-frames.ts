/**
 * Ink lays every frame out as a grid of styled-character objects and tokenizes each line for
 * ANSI codes (ink/build/output.js): about 3 ms for an 80x24 frame, most of the soak's time. On
 * a terminal without styles (TERM=dumb, or the soak's FORCE_COLOR=0) the text holds no escape
 * codes, and the same frame is a grid of plain characters. The soak's bundle hands Ink's Output
 * class to withPlainFrames (soak.test.ts), which builds frames of plain text that way (any other
 * frame takes Ink's own path) and checks it: every FRAME_CHECK_EVERY-th frame is built both ways
 * and must come out the same, or the soak fails. The frame Ink hands to the terminal is the one
 * the user sees either way.
 */

/** Printable ASCII and the two one-column glyphs the screens draw (rule, Ink's truncation mark). */
const PLAIN = /^[\n\u0020-\u007e\u2026\u2500]*$/;

interface Clip {
	x1?: number;
	x2?: number;
	y1?: number;
	y2?: number;
}
type Operation =
	| {
			type: "write";
			x: number;
			y: number;
			text: string;
			transformers: ((line: string, index: number) => string)[];
	  }
	| { type: "clip"; clip: Clip }
	| { type: "unclip" };
interface InkOutput {
	width: number;
	height: number;
	operations: Operation[];
	get(): { output: string; height: number };
}

/** Every so many plain-text frames is also laid out by Ink's own code and compared. */
export const FRAME_CHECK_EVERY = 50;

/** Frames built as plain text, built by Ink's own code, and built both ways and compared. */
export const frameStats = { plain: 0, ink: 0, verified: 0 };

/** The same frame as Output.get(), for operations whose text (transformed) is plain; else undefined. */
function plainFrame(output: InkOutput): { output: string; height: number } | undefined {
	const rows: string[][] = [];
	for (let y = 0; y < output.height; y++) rows.push(new Array<string>(output.width).fill(" "));
	const clips: Clip[] = [];
	for (const operation of output.operations) {
		if (operation.type === "clip") {
			clips.push(operation.clip);
			continue;
		}
		if (operation.type === "unclip") {
			clips.pop();
			continue;
		}
		const { text, transformers } = operation;
		if (!PLAIN.test(text)) return undefined;
		let { x, y } = operation;
		let lines = text.split("\n");
		const clip = clips.at(-1);
		if (clip) {
			const horizontally = typeof clip.x1 === "number" && typeof clip.x2 === "number";
			const vertically = typeof clip.y1 === "number" && typeof clip.y2 === "number";
			if (horizontally) {
				const widest = Math.max(...lines.map((line) => line.length));
				if (x + widest < clip.x1! || x > clip.x2!) continue;
			}
			if (vertically && (y + lines.length < clip.y1! || y > clip.y2!)) continue;
			if (horizontally) {
				lines = lines.map((line) => {
					const from = x < clip.x1! ? clip.x1! - x : 0;
					const to = x + line.length > clip.x2! ? clip.x2! - x : line.length;
					return line.slice(Math.max(0, from), Math.max(0, to));
				});
				if (x < clip.x1!) x = clip.x1!;
			}
			if (vertically) {
				const from = y < clip.y1! ? clip.y1! - y : 0;
				const to = y + lines.length > clip.y2! ? clip.y2! - y : lines.length;
				lines = lines.slice(from, to);
				if (y < clip.y1!) y = clip.y1!;
			}
		}
		let offsetY = 0;
		for (let [index, line] of lines.entries()) {
			const row = rows[y + offsetY];
			if (!row) continue;
			for (const transform of transformers) line = transform(line, index);
			if (!PLAIN.test(line)) return undefined;
			for (let i = 0; i < line.length; i++) row[x + i] = line[i]!;
			offsetY++;
		}
	}
	return {
		output: rows
			.map((row) =>
				row
					.filter((c) => c !== undefined)
					.join("")
					.trimEnd(),
			)
			.join("\n"),
		height: rows.length,
	};
}

/** Ink's Output class, its frames of plain text built as plain text (and checked). */
export function withPlainFrames<T extends { prototype: Pick<InkOutput, "get"> }>(Output: T): T {
	const prototype = Output.prototype as InkOutput;
	const inkGet = prototype.get;
	prototype.get = function (this: InkOutput) {
		const plain = plainFrame(this);
		if (!plain) {
			frameStats.ink++;
			return inkGet.call(this);
		}
		frameStats.plain++;
		if (frameStats.plain % FRAME_CHECK_EVERY === 1) {
			frameStats.verified++;
			const own = inkGet.call(this);
			if (own.output !== plain.output || own.height !== plain.height)
				throw new Error(
					`the plain-text frame differs from Ink's:\n${JSON.stringify(own.output)}\n${JSON.stringify(plain.output)}`,
				);
		}
		return plain;
	};
	return Output;
}
