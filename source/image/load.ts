import { readFile, stat } from "node:fs/promises";
import { hex } from "../errors.js";
import { parseBin } from "./bin.js";
import { parseDfuse } from "./dfuse-file.js";
import { parseElf } from "./elf.js";
import {
	ImageReadError,
	LoadAddressRequiredError,
	MalformedImageError,
	NotRawBinaryError,
	UnsupportedImageError,
} from "./errors.js";
import { parseIhex } from "./ihex.js";
import type { Image } from "./image.js";
import { type DetectedFormat, FORMAT_NAMES, formatByExtension, sniffFormat } from "./sniff.js";

export interface LoadOptions {
	/** Where a raw binary goes. Files with their own addresses (dfu, hex, elf) do not use it. */
	address?: number;
	/**
	 * The bytes will be written verbatim at `address` (the flash command's `-s ADDR`): container
	 * formats are refused, because their headers would land in flash.
	 */
	raw?: boolean;
}

export type ImageInput = string | { bytes: Uint8Array; name: string };

/** Files larger than this are not firmware for a microcontroller. */
export const MAX_IMAGE_FILE_BYTES = 256 * 1024 * 1024;

export async function loadImage(input: ImageInput, options: LoadOptions = {}): Promise<Image> {
	if (typeof input !== "string") return loadImageBytes(input.bytes, input.name, options);
	let bytes: Uint8Array;
	try {
		const info = await stat(input);
		if (info.isDirectory()) throw new ImageReadError(input, "it is a directory");
		if (info.size > MAX_IMAGE_FILE_BYTES) {
			throw new ImageReadError(
				input,
				`it is ${info.size} bytes, far more than any microcontroller holds`,
			);
		}
		bytes = new Uint8Array(await readFile(input));
	} catch (error) {
		if (error instanceof ImageReadError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		const reason =
			code === "ENOENT"
				? "no such file"
				: code === "EACCES" || code === "EPERM"
					? "permission denied"
					: (error as Error).message;
		throw new ImageReadError(input, reason);
	}
	return loadImageBytes(bytes, input, options);
}

const RAW_HINTS: Partial<Record<DetectedFormat, string>> = {
	dfuse:
		"a .dfu file carries its own addresses: flash it without -s (dfu-util: 'This is a DfuSe file, not meant for raw download')",
	ihex: "an Intel HEX file carries its own addresses: flash it without -s, or convert it to .bin first",
	elf: "an ELF file carries its own addresses: flash it without -s, or convert it to .bin first",
};

function refuseUnsupported(name: string, format: DetectedFormat): never {
	switch (format) {
		case "uf2":
			throw new UnsupportedImageError(
				name,
				"uf2",
				"is a UF2 file, which is meant for UF2 bootloaders that appear as a USB drive, not for DFU",
				"copy it to the board's UF2 drive, or flash the .bin/.hex/.elf the build produced",
			);
		case "srec":
			throw new UnsupportedImageError(
				name,
				"srec",
				"is a Motorola S-record file; bringup reads Intel HEX, ELF, DfuSe .dfu and raw .bin",
				"convert it: arm-none-eabi-objcopy -I srec -O ihex IN.srec OUT.hex",
			);
		case "text":
			throw new UnsupportedImageError(
				name,
				"text",
				"is a text file but not Intel HEX (HEX lines start with ':'); it is not a firmware image",
				"was a web page or a README saved instead of the firmware? Download the raw file",
			);
		default:
			throw new UnsupportedImageError(
				name,
				format,
				`is ${FORMAT_NAMES[format]}, which bringup cannot load`,
			);
	}
}

/** Pure: the Image in `bytes`, decided by content; `name` labels messages and hints the format. */
export function loadImageBytes(bytes: Uint8Array, name: string, options: LoadOptions = {}): Image {
	const detected = sniffFormat(bytes);
	const expected = formatByExtension(name);
	if (detected === "empty") {
		throw new MalformedImageError(name, { offset: 0 }, "the file is empty");
	}
	if (detected === "uf2" || detected === "srec" || detected === "text")
		refuseUnsupported(name, detected);

	const warnings: string[] = [];
	if (detected === "dfuse" || detected === "ihex" || detected === "elf") {
		if (options.raw) {
			throw new NotRawBinaryError(
				name,
				detected,
				`is ${FORMAT_NAMES[detected]}, not a raw binary; written as raw data its header would land in flash and the board would not boot`,
				RAW_HINTS[detected]!,
			);
		}
		if (expected !== undefined && expected !== detected) {
			warnings.push(
				`${name} is named like ${FORMAT_NAMES[expected]} but is ${FORMAT_NAMES[detected]}; loaded as such`,
			);
		}
		if (options.address !== undefined) {
			warnings.push(
				`${FORMAT_NAMES[detected]} carries its own addresses; the given address ${hex(options.address)} is not used`,
			);
		}
		const image =
			detected === "dfuse"
				? parseDfuse(bytes, name)
				: detected === "ihex"
					? parseIhex(bytes, name)
					: parseElf(bytes, name);
		return withWarnings(image, warnings);
	}

	// A raw binary (possibly with a plain DFU suffix).
	if (options.address === undefined) {
		if (
			expected === "ihex" ||
			expected === "elf" ||
			(expected === "dfuse" && detected !== "dfu-suffixed-bin") ||
			expected === "srec" ||
			expected === "uf2"
		) {
			throw new UnsupportedImageError(
				name,
				detected,
				`is named like ${FORMAT_NAMES[expected]} but its content is not: it looks like ${FORMAT_NAMES[detected]}`,
				"check that the file is complete and the right one; a raw binary needs a load address",
			);
		}
		throw new LoadAddressRequiredError(
			name,
			detected === "dfu-suffixed-bin"
				? `this is a plain DFU file (raw data + DFU suffix): ${ADDRESS_HINT}`
				: ADDRESS_HINT,
		);
	}
	if (expected !== undefined && expected !== "bin" && expected !== "dfuse") {
		warnings.push(
			`${name} is named like ${FORMAT_NAMES[expected]} but its content is ${FORMAT_NAMES[detected]}; loaded as raw bytes`,
		);
	}
	if (expected === "dfuse" && detected === "bin") {
		warnings.push(
			`${name} is named .dfu but has no DfuSe prefix or DFU suffix; loaded as raw bytes`,
		);
	}
	return withWarnings(parseBin(bytes, name, options.address), warnings);
}

/** The commands take the address in different places: -s for the dfu-util-like ones, @ for convert. */
const ADDRESS_HINT =
	"give the address: -s 0x08000000 (flash, inspect, doctor) or FILE@0x08000000 (convert)";

function withWarnings(image: Image, warnings: string[]): Image {
	if (warnings.length === 0) return image;
	return { ...image, warnings: [...warnings, ...(image.warnings ?? [])] };
}
