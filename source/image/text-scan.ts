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
		// ASCII: maximal runs of word characters, long ones cut into MAX_RUN pieces.
		let start = -1;
		let digits = false;
		for (let i = 0; i <= data.length && out.length < limit; i++) {
			const word = i < data.length && WORD[data[i]!] === 1;
			if (word) {
				if (start < 0) {
					start = i;
					digits = false;
				}
				const c = data[i]!;
				if (c >= 0x30 && c <= 0x39) digits = true;
				if (i - start + 1 < MAX_RUN) continue;
			}
			if (start >= 0) {
				const end = word ? i + 1 : i;
				// Every name worth keeping has a digit in it (STM32, nRF52, RP2040, ...).
				if (digits && end - start >= MIN_RUN)
					keep(decodeAscii(data, start, end), chunk, start, false);
				start = -1;
			}
		}
		// UTF-16LE: a word character followed by a zero byte, repeated.
		for (let i = 0; i + 1 < data.length && out.length < limit; i++) {
			if (WORD[data[i]!] !== 1 || data[i + 1] !== 0) continue;
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
