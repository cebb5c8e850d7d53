/**
 * Printable text inside binary data: ASCII runs and UTF-16LE runs (USB string descriptors store
 * their text that way: USB 2.0 §9.6.7). Only runs that match `keep` are returned, so a
 * multi-megabyte image yields a handful of strings, not every byte run that happens to be
 * printable.
 */
export interface TextRun {
	text: string;
	/** Which of the scanned chunks it is in, and its byte offset there. */
	chunk: number;
	offset: number;
	utf16: boolean;
}

/** Characters a part number, file path or product string is made of. */
const WORD = new Uint8Array(256);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+- ")
	WORD[c.charCodeAt(0)] = 1;

const MIN_RUN = 4;

/**
 * Byte pairs every kept name contains one of (case-insensitive): "32" (STM32, ESP32, GD32,
 * CH32V, AT32), "5x" (nRF51/52, SAMD51, SAME5x), "21" (SAMD21), "20" (RP2040), "pc" (LPC),
 * "mk" (Kinetis MKxx). Callers' patterns must contain one of them.
 */
const ANCHOR = new Uint8Array(1 << 16);
for (const pair of ["32", "50", "51", "52", "53", "54", "21", "20", "pc", "mk"]) {
	for (const a of [pair[0]!, pair[0]!.toUpperCase()])
		for (const b of [pair[1]!, pair[1]!.toUpperCase()])
			ANCHOR[(a.charCodeAt(0) << 8) | b.charCodeAt(0)] = 1;
}
const MAX_RUN = 160;

export interface ScanOptions {
	/** Runs kept when this matches them. */
	keep: RegExp;
	/** Stop after this many kept runs. */
	limit?: number;
}

function decodeAscii(data: Uint8Array, from: number, to: number): string {
	let text = "";
	for (let i = from; i < to; i++) text += String.fromCharCode(data[i]!);
	return text;
}

function decodeUtf16(data: Uint8Array, from: number, count: number): string {
	let text = "";
	for (let k = 0; k < count; k++) text += String.fromCharCode(data[from + 2 * k]!);
	return text;
}

/** Pure: the kept text runs in `chunks`, in chunk and offset order (ASCII before UTF-16). */
export function scanText(chunks: readonly Uint8Array[], options: ScanOptions): TextRun[] {
	const limit = options.limit ?? 256;
	const out: TextRun[] = [];
	const keep = (text: string, chunk: number, offset: number, utf16: boolean) => {
		const trimmed = text.trim();
		if (trimmed.length >= MIN_RUN && options.keep.test(trimmed))
			out.push({ text: trimmed, chunk, offset, utf16 });
	};
	chunks.forEach((data, chunk) => {
		// ASCII: maximal runs of word characters, long ones cut into MAX_RUN pieces. Only runs
		// with a digit and an anchor pair (see ANCHOR) are decoded: most runs in code are not.
		let start = -1;
		let anchored = false;
		let prev = 0;
		for (let i = 0; i <= data.length && out.length < limit; i++) {
			const c = i < data.length ? data[i]! : 0;
			const word = WORD[c] === 1;
			if (word) {
				if (start < 0) {
					start = i;
					anchored = false;
				} else if (!anchored && ANCHOR[(prev << 8) | c] === 1) anchored = true;
				prev = c;
				if (i - start + 1 < MAX_RUN) continue;
			}
			if (start >= 0) {
				const end = word ? i + 1 : i;
				if (anchored && end - start >= MIN_RUN)
					keep(decodeAscii(data, start, end), chunk, start, false);
				start = -1;
			}
		}
		// UTF-16LE: a word character followed by a zero byte, repeated.
		for (let i = 0; i + 1 < data.length && out.length < limit; i++) {
			if (data[i + 1] !== 0 || WORD[data[i]!] !== 1) continue;
			let count = 0;
			while (
				count < MAX_RUN &&
				i + 2 * count + 1 < data.length &&
				WORD[data[i + 2 * count]!] === 1 &&
				data[i + 2 * count + 1] === 0
			)
				count++;
			if (count >= MIN_RUN) keep(decodeUtf16(data, i, count), chunk, i, true);
			i += Math.max(0, 2 * count - 1);
		}
	});
	return out.slice(0, limit);
}
