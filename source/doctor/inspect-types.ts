import type { Chip } from "../chips/types.js";
import type { Finding, MemoryLayout } from "../store/events.js";
import type { FamilyGuess } from "./family-guess.js";
import type { VectorTable } from "./inspect-vectors.js";
import type { LinkAddress } from "./link-address.js";

export interface InspectTarget {
	/** The connected (or `--chip`) part; without it only chip-independent checks run. */
	chip?: Chip;
	/** Where a raw image will be written (`-s ADDR`); defaults to the image's own address. */
	address?: number;
	/** The device's flash layout, when a device is connected. */
	layout?: MemoryLayout;
	/** A raw image's address read from its own vector table, because none was given. */
	inferred?: LinkAddress;
}

export interface Inspection {
	subject: string;
	format: string;
	segments: { address: number; size: number }[];
	/** Address the image will be written at. */
	writeAddress: number;
	vectorTable?: VectorTable;
	guess?: FamilyGuess;
	findings: Finding[];
	/** Name of the chip checked against. */
	target?: string;
	/** The write address was inferred from the image (a raw binary without -s). */
	addressInferred?: boolean;
}
