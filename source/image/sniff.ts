import { findDfuSuffix, isValidSuffix } from "./dfu-suffix.js";
import { isDfuseFile } from "./dfuse-file.js";
import { isElfFile } from "./elf.js";

/**
 * What a file is, judged by its bytes. The name's extension is only a hint, used to word
 * messages: a ".bin" that is really a .dfu, HEX or ELF is loaded as what it is.
 */
export type DetectedFormat =
	| "empty"
	| "dfuse"
	| "dfu-suffixed-bin"
	| "elf"
	| "ihex"
	| "uf2"
	| "srec"
	| "text"
	| "bin";

export const FORMAT_NAMES: Record<DetectedFormat, string> = {
	empty: "an empty file",
	dfuse: "a DfuSe (.dfu) file",
	"dfu-suffixed-bin": "a raw binary with a DFU suffix",
	elf: "an ELF file",
	ihex: "an Intel HEX file",
	uf2: "a UF2 file",
	srec: "a Motorola S-record file",
	text: "a text file",
	bin: "a raw binary",
};

/** The format a file's extension suggests, or undefined for unknown extensions. */
export function formatByExtension(name: string): DetectedFormat | undefined {
	const match = /\.([A-Za-z0-9]+)$/.exec(name);
	switch (match?.[1]?.toLowerCase()) {
		case "bin":
			return "bin";
		case "dfu":
			return "dfuse";
		case "hex":
		case "ihex":
		case "ihx":
			return "ihex";
		case "elf":
		case "axf":
		case "out":
			return "elf";
		case "uf2":
			return "uf2";
		case "srec":
		case "s19":
		case "s28":
		case "s37":
		case "mot":
			return "srec";
		default:
			return undefined;
	}
}

const UF2_MAGIC_START0 = 0x0a324655;
const UF2_MAGIC_START1 = 0x9e5d5157;
const SAMPLE = 4096;

function isHexDigit(c: number): boolean {
	return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isSpace(c: number): boolean {
	return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c;
}

/** Index of the first byte that is not a UTF-8 BOM or whitespace. */
function firstSignificant(bytes: Uint8Array): number {
	let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
	while (i < bytes.length && isSpace(bytes[i]!)) i++;
	return i;
}

/** The first line from `start` is made of hex digits after `skip` leading characters. */
function lineIsHex(bytes: Uint8Array, start: number, skip: number): boolean {
	let i = start + skip;
	let digits = 0;
	for (; i < bytes.length && bytes[i] !== 0x0a && bytes[i] !== 0x0d; i++) {
		if (!isHexDigit(bytes[i]!)) return false;
		digits++;
	}
	return digits >= 2;
}

/**
 * Printable text: valid UTF-8 with no control characters besides whitespace, containing at least
 * one line break or space. Firmware images always hold control bytes (0x00 in the vector table),
 * so a file that passes this is a README, an HTML page saved as .bin, and the like.
 */
function looksLikeText(bytes: Uint8Array): boolean {
	const sample = bytes.subarray(0, SAMPLE);
	if (sample.length < 8) return false;
	let sawSpace = false;
	for (const c of sample) {
		if (c < 0x20 && !isSpace(c)) return false;
		if (c === 0x7f) return false;
		if (isSpace(c)) sawSpace = true;
	}
	if (!sawSpace) return false;
	// A multi-byte character cut by the sample's end is not an error: retry up to 3 bytes shorter.
	for (let cut = 0; cut <= Math.min(3, sample.length - 1); cut++) {
		try {
			new TextDecoder("utf-8", { fatal: true }).decode(sample.subarray(0, sample.length - cut));
			return true;
		} catch {
			if (sample.length === bytes.length) return false;
		}
	}
	return false;
}

export function sniffFormat(bytes: Uint8Array): DetectedFormat {
	if (bytes.length === 0) return "empty";
	if (isDfuseFile(bytes)) return "dfuse";
	if (isElfFile(bytes)) return "elf";
	if (bytes.length >= 8) {
		const view = new DataView(bytes.buffer, bytes.byteOffset, 8);
		if (
			view.getUint32(0, true) === UF2_MAGIC_START0 &&
			view.getUint32(4, true) === UF2_MAGIC_START1
		) {
			return "uf2";
		}
	}
	const first = firstSignificant(bytes);
	if (bytes[first] === 0x3a /* ':' */) {
		// Anything starting with ':' is treated as Intel HEX so that the parser can name the bad line.
		if (lineIsHex(bytes, first, 1) || looksLikeText(bytes)) return "ihex";
	}
	if (bytes[first] === 0x53 /* 'S' */ && bytes[first + 1]! >= 0x30 && bytes[first + 1]! <= 0x39) {
		if (lineIsHex(bytes, first, 2)) return "srec";
	}
	if (looksLikeText(bytes)) return "text";
	if (isValidSuffix(findDfuSuffix(bytes), bytes.length)) return "dfu-suffixed-bin";
	return "bin";
}
