import { hex } from "../errors.js";
import { MalformedImageError } from "./errors.js";
import type { Image } from "./image.js";
import { normaliseSegments, type PlacedSegment } from "./normalise.js";

/**
 * Intel HEX (Intel "Hexadecimal Object File Format Specification" rev A): lines
 *   ':' LL AAAA TT DD.. CC
 * with CC the two's complement of the sum of all other bytes. Types 00 data, 01 end of file,
 * 02 extended segment address (base = value*16, offsets wrap at 64 KiB), 03 start segment address
 * (CS:IP), 04 extended linear address (base = value<<16), 05 start linear address.
 */

const COLON = 0x3a;
const LF = 0x0a;
const CR = 0x0d;

function hexValue(c: number): number {
	if (c >= 0x30 && c <= 0x39) return c - 0x30;
	if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
	if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
	return -1;
}

function isBlank(c: number): boolean {
	return c === 0x20 || c === 0x09 || c === CR;
}

function describeChar(c: number): string {
	if (c >= 0x21 && c <= 0x7e) return `"${String.fromCharCode(c)}"`;
	return `byte 0x${c.toString(16).padStart(2, "0").toUpperCase()}`;
}

interface Chunk {
	address: number;
	parts: Uint8Array[];
	length: number;
	firstLine: number;
	lastLine: number;
	offset: number;
}

export function parseIhex(bytes: Uint8Array, source: string): Image {
	const fail = (
		line: number,
		column: number,
		offset: number,
		problem: string,
		hint?: string,
	): never => {
		throw new MalformedImageError(source, { line, column, offset }, problem, hint);
	};
	const warnings: string[] = [];
	const pieces: PlacedSegment[] = [];
	let chunk: Chunk | undefined;
	const flush = () => {
		if (!chunk) return;
		const data = new Uint8Array(chunk.length);
		let at = 0;
		for (const p of chunk.parts) {
			data.set(p, at);
			at += p.length;
		}
		const lines =
			chunk.firstLine === chunk.lastLine
				? `line ${chunk.firstLine}`
				: `lines ${chunk.firstLine}-${chunk.lastLine}`;
		pieces.push({
			address: chunk.address,
			data,
			origin: lines,
			position: { line: chunk.firstLine, column: 1, offset: chunk.offset },
		});
		chunk = undefined;
	};
	const addData = (address: number, data: Uint8Array, line: number, offset: number) => {
		if (chunk && chunk.address + chunk.length === address) {
			chunk.parts.push(data);
			chunk.length += data.length;
			chunk.lastLine = line;
			return;
		}
		flush();
		chunk = {
			address,
			parts: [data],
			length: data.length,
			firstLine: line,
			lastLine: line,
			offset,
		};
	};

	let base = 0;
	let segmentMode = false;
	let entry: number | undefined;
	let sawEof = false;
	let eofLine = 0;
	let lineNumber = 0;
	let lineStart = 0;
	let recordBytes = new Uint8Array(260);

	while (lineStart < bytes.length) {
		lineNumber++;
		let lineEnd = bytes.indexOf(LF, lineStart);
		if (lineEnd < 0) lineEnd = bytes.length;
		let end = lineEnd;
		while (end > lineStart && isBlank(bytes[end - 1]!)) end--;
		const here = lineNumber;
		const start = lineStart;
		lineStart = lineEnd + 1;
		if (end === start) continue;
		if (sawEof) {
			// Records after the end are most often a second file joined on with cat: flashing only
			// the first half and calling it done would be worse than refusing.
			const type = String.fromCharCode(bytes[start + 7] ?? 0, bytes[start + 8] ?? 0);
			if (bytes[start] === COLON && type !== "01")
				fail(
					here,
					1,
					start,
					`a record after the end-of-file record of line ${eofLine}: this looks like two HEX files joined together`,
					"Merge them into one file with a single end-of-file record (e.g. srec_cat a.hex -Intel b.hex -Intel -o both.hex -Intel), or flash them one at a time.",
				);
			warnings.push(
				`line ${here} and later lines come after the end-of-file record and are ignored`,
			);
			break;
		}
		if (bytes[start] !== COLON) {
			fail(
				here,
				1,
				start,
				`expected ":" at the start of the line, found ${describeChar(bytes[start]!)}`,
				"is this an Intel HEX file?",
			);
		}
		const digits = end - start - 1;
		for (let i = start + 1; i < end; i++) {
			if (hexValue(bytes[i]!) < 0) {
				fail(
					here,
					i - start + 1,
					i,
					`bad character ${describeChar(bytes[i]!)} in a record (only hex digits may follow ":")`,
				);
			}
		}
		if (digits % 2 !== 0) {
			fail(here, end - start + 1, end, `the record has an odd number of hex digits (${digits})`);
		}
		const count = digits / 2;
		if (count < 5)
			fail(here, 1, start, `the record is too short: ${count} bytes, at least 5 are needed`);
		if (recordBytes.length < count) recordBytes = new Uint8Array(count);
		let sum = 0;
		for (let i = 0; i < count; i++) {
			const at = start + 1 + i * 2;
			const value = (hexValue(bytes[at]!) << 4) | hexValue(bytes[at + 1]!);
			recordBytes[i] = value;
			sum += value;
		}
		const length = recordBytes[0]!;
		if (length !== count - 5) {
			fail(
				here,
				2,
				start + 1,
				`the record says it holds ${length} data bytes, but the line holds ${count - 5}`,
			);
		}
		if ((sum & 0xff) !== 0) {
			const stated = recordBytes[count - 1]!;
			const expected = (stated - sum) & 0xff;
			fail(
				here,
				end - start - 1,
				end - 2,
				`bad checksum: the record says ${hex(stated, 2)}, its bytes give ${hex(expected, 2)}`,
				"the file is damaged or was edited by hand",
			);
		}
		const offset16 = (recordBytes[1]! << 8) | recordBytes[2]!;
		const type = recordBytes[3]!;
		const payload = recordBytes.subarray(4, 4 + length);
		const needLength = (want: number, name: string) => {
			if (length !== want)
				fail(
					here,
					2,
					start + 1,
					`a ${name} record must hold ${want} data bytes, this one holds ${length}`,
				);
		};
		const wordOf = (p: Uint8Array) => ((p[0]! << 24) | (p[1]! << 16) | (p[2]! << 8) | p[3]!) >>> 0;
		switch (type) {
			case 0x00: {
				if (length === 0) break;
				const data = payload.slice();
				if (segmentMode && offset16 + length > 0x10000) {
					// Segment addressing wraps the 16-bit offset inside the segment.
					const first = 0x10000 - offset16;
					addData(base + offset16, data.subarray(0, first), here, start);
					addData(base, data.subarray(first), here, start);
				} else {
					const address = base + offset16;
					if (address + length > 0x1_0000_0000) {
						fail(
							here,
							4,
							start + 3,
							`${length} bytes at ${hex(address)} run past the 32-bit address space`,
						);
					}
					addData(address, data, here, start);
				}
				break;
			}
			case 0x01:
				needLength(0, "end-of-file (01)");
				sawEof = true;
				eofLine = here;
				break;
			case 0x02:
				needLength(2, "extended segment address (02)");
				base = ((payload[0]! << 8) | payload[1]!) * 16;
				segmentMode = true;
				break;
			case 0x03:
				needLength(4, "start segment address (03)");
				entry = ((payload[0]! << 8) | payload[1]!) * 16 + ((payload[2]! << 8) | payload[3]!);
				break;
			case 0x04:
				needLength(2, "extended linear address (04)");
				base = ((payload[0]! << 24) | (payload[1]! << 16)) >>> 0;
				segmentMode = false;
				break;
			case 0x05:
				needLength(4, "start linear address (05)");
				entry = wordOf(payload);
				break;
			default:
				fail(
					here,
					8,
					start + 7,
					`unknown record type ${hex(type, 2)} (Intel HEX has types 00 to 05)`,
				);
		}
	}
	flush();
	if (!sawEof) {
		fail(
			lineNumber + 1,
			1,
			bytes.length,
			"the file ends without an end-of-file record (:00000001FF); it is probably truncated",
		);
	}
	const segments = normaliseSegments(source, pieces);
	if (segments.length === 0) {
		throw new MalformedImageError(source, { offset: 0 }, "the HEX file holds no data records");
	}
	return {
		format: "ihex",
		source,
		segments,
		...(entry !== undefined ? { entry } : {}),
		...(warnings.length ? { warnings } : {}),
	};
}

const HEX_DIGITS = "0123456789ABCDEF";

/** Grows as records are added; HEX output is ASCII, so bytes are built directly. */
class AsciiBuffer {
	private bytes = new Uint8Array(1024);
	length = 0;

	private room(n: number): void {
		if (this.length + n <= this.bytes.length) return;
		const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.length + n));
		bigger.set(this.bytes.subarray(0, this.length));
		this.bytes = bigger;
	}

	private hexByte(value: number): void {
		this.bytes[this.length++] = HEX_DIGITS.charCodeAt(value >>> 4);
		this.bytes[this.length++] = HEX_DIGITS.charCodeAt(value & 0xf);
	}

	record(type: number, address: number, data: ArrayLike<number>): void {
		this.room(12 + data.length * 2);
		const high = (address >>> 8) & 0xff;
		const low = address & 0xff;
		let sum = data.length + high + low + type;
		this.bytes[this.length++] = 0x3a;
		this.hexByte(data.length);
		this.hexByte(high);
		this.hexByte(low);
		this.hexByte(type);
		for (let i = 0; i < data.length; i++) {
			sum += data[i]!;
			this.hexByte(data[i]!);
		}
		this.hexByte((0x100 - (sum & 0xff)) & 0xff);
		this.bytes[this.length++] = LF;
	}

	result(): Uint8Array {
		return this.bytes.slice(0, this.length);
	}
}

export interface IhexWriteOptions {
	/** Data bytes per record; 32 unless told (objcopy uses 16, most tools accept up to 255). */
	recordLength?: number;
}

/**
 * Intel HEX text for `image`: data records that never cross a 64 KiB boundary, an extended
 * linear address (04) record wherever the upper 16 bits change, a start linear address (05)
 * when the entry point is known, then the end-of-file record.
 */
export function writeIhex(image: Image, options: IhexWriteOptions = {}): string {
	return new TextDecoder().decode(writeIhexBytes(image, options));
}

/** The same text as writeIhex, as ASCII bytes ready for a file. */
export function writeIhexBytes(image: Image, options: IhexWriteOptions = {}): Uint8Array {
	const recordLength = options.recordLength ?? 32;
	if (!Number.isInteger(recordLength) || recordLength < 1 || recordLength > 255) {
		throw new MalformedImageError(
			image.source,
			{},
			`record length ${recordLength} is not between 1 and 255`,
		);
	}
	const out = new AsciiBuffer();
	let upper = -1;
	const segments = image.segments.slice().sort((a, b) => a.address - b.address);
	for (const s of segments) {
		let at = 0;
		while (at < s.data.length) {
			const address = s.address + at;
			const high = address >>> 16;
			if (high !== upper) {
				out.record(0x04, 0, [high >>> 8, high & 0xff]);
				upper = high;
			}
			const low = address & 0xffff;
			const n = Math.min(recordLength, 0x10000 - low, s.data.length - at);
			out.record(0x00, low, s.data.subarray(at, at + n));
			at += n;
		}
	}
	if (image.entry !== undefined) {
		const e = image.entry >>> 0;
		out.record(0x05, 0, [e >>> 24, (e >>> 16) & 0xff, (e >>> 8) & 0xff, e & 0xff]);
	}
	out.record(0x01, 0, []);
	return out.result();
}
