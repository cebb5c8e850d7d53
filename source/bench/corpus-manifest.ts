/**
 * The real-firmware corpus (test/fixtures/corpus/manifest.json): release images from public
 * projects, each with the part its own project built it for.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type CorpusFormat = "bin" | "hex" | "elf" | "dfu";

export interface CorpusImage {
	/** Path relative to the manifest's folder. */
	file: string;
	project: string;
	/** "owner/name" of the public repository the file was taken from. */
	repository: string;
	commit: string;
	/** The file's path inside that repository at that commit. */
	path: string;
	licence: string;
	format: CorpusFormat;
	/** Where the project links a raw binary (the right `-s`); absent for formats with addresses. */
	address?: string;
	/** The part the project builds the image for, as exactly as its build configuration says. */
	part: string;
	/** STM32 family as the chip catalog names it ("F4", "L4+", ...), or the vendor family. */
	family: string;
	line: string;
	stm32: boolean;
	/** Where the expected part comes from: board name, MCU define, linker script, README. */
	evidence: string;
	bytes: number;
	sha256: string;
}

export interface CorpusManifest {
	description: string;
	images: CorpusImage[];
}

const FORMATS: readonly string[] = ["bin", "hex", "elf", "dfu"];
const STRING_FIELDS = [
	"file",
	"project",
	"repository",
	"commit",
	"path",
	"licence",
	"part",
	"family",
	"line",
	"evidence",
	"sha256",
] as const;

/** Reads and shape-checks a corpus manifest; throws naming the entry and field that is wrong. */
export function readCorpusManifest(dir: string): CorpusManifest {
	const raw = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as {
		description?: unknown;
		images?: unknown;
	};
	if (!Array.isArray(raw.images)) throw new Error(`${dir}/manifest.json: no images array`);
	raw.images.forEach((entry: Record<string, unknown>, index: number) => {
		const where = `${dir}/manifest.json images[${index}]`;
		for (const field of STRING_FIELDS) {
			if (typeof entry[field] !== "string" || entry[field] === "")
				throw new Error(`${where}: ${field} must be a non-empty string`);
		}
		if (!FORMATS.includes(entry.format as string))
			throw new Error(`${where}: format must be one of ${FORMATS.join(", ")}`);
		if (typeof entry.stm32 !== "boolean") throw new Error(`${where}: stm32 must be a boolean`);
		if (typeof entry.bytes !== "number") throw new Error(`${where}: bytes must be a number`);
		if (entry.address !== undefined && !/^0x[0-9a-fA-F]{8}$/.test(String(entry.address)))
			throw new Error(`${where}: address must be 0x followed by 8 hex digits`);
	});
	return raw as CorpusManifest;
}

/** Families judged as one in the cross matrix: an L4+ part is an L4 with more of everything. */
export function familyGroup(family: string): string {
	return family === "L4+" ? "L4" : family;
}
