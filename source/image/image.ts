/**
 * A firmware image as every other part sees it: sorted, non-overlapping segments at absolute
 * addresses. Loaders (bin, dfuse-file, ihex, elf) produce it; the planner and the inspector
 * consume it.
 */
import type { ArmAttributes } from "./arm-attributes.js";

export type ImageFormat = "bin" | "dfuse" | "ihex" | "elf";

export interface Segment {
	address: number;
	data: Uint8Array;
	/** DfuSe files: the alt setting (target) the element belongs to. */
	alt?: number;
	/** DfuSe target name or ELF section name, for messages. */
	name?: string;
}

export interface ImageSymbol {
	name: string;
	address: number;
	size: number;
}

export interface Image {
	format: ImageFormat;
	/** Path or label of the file it came from, for messages. */
	source: string;
	segments: Segment[];
	/** DfuSe suffix (or plain DFU suffix) identity, when the file had one. */
	suffix?: { vendorId: number; productId: number; bcdDevice: number; bcdDFU: number };
	/** ELF: entry point, section and symbol names, kept for messages. */
	entry?: number;
	sections?: { name: string; address: number; size: number }[];
	symbols?: ImageSymbol[];
	/** ELF: the build attributes (.ARM.attributes): CPU, architecture, FPU. */
	attributes?: ArmAttributes;
	/** ELF: source file names from STT_FILE symbols (e.g. "system_stm32f4xx.c"). */
	sourceFiles?: string[];
	/**
	 * ELF: sections that are not flashed but tell what the image was built for (string and
	 * symbol tables, debug info, .comment); read for evidence only.
	 */
	unloaded?: { name: string; data: Uint8Array }[];
	/** Non-fatal remarks made while loading (e.g. "DFUImageSize does not match the file"). */
	warnings?: string[];
}

export function imageSize(image: Image): number {
	return image.segments.reduce((sum, s) => sum + s.data.length, 0);
}

export function imageStart(image: Image): number | undefined {
	return image.segments[0]?.address;
}

/** Bytes of the image at [address, address+length), or undefined where it has none. */
export function readImage(image: Image, address: number, length: number): Uint8Array | undefined {
	for (const s of image.segments) {
		if (address >= s.address && address + length <= s.address + s.data.length) {
			return s.data.subarray(address - s.address, address - s.address + length);
		}
	}
	return undefined;
}
