import { hex } from "../errors.js";
import { asciiAt, ByteReader, concatBytes, writeU32 } from "./bytes.js";
import { ANY_ID, appendDfuSuffix, BCD_DFUSE, findDfuSuffix, SUFFIX_LENGTH } from "./dfu-suffix.js";
import { MalformedImageError } from "./errors.js";
import type { Image } from "./image.js";
import { normaliseSegments, type PlacedSegment } from "./normalise.js";

/**
 * DfuSe .dfu files (ST UM0391; layout in docs/dfuse-protocol.md §1d):
 *   prefix  "DfuSe" bVersion=1 DFUImageSize(4) bTargets(1)                       11 bytes
 *   target  "Target" bAlternateSetting(1) bTargetNamed(4) szTargetName(255)
 *           dwTargetSize(4) dwNbElements(4)                                       274 bytes
 *   element dwElementAddress(4) dwElementSize(4) data
 *   suffix  16 bytes, bcdDFU 0x011A (see dfu-suffix.ts)
 */
export const PREFIX_LENGTH = 11;
export const TARGET_PREFIX_LENGTH = 274;
const ELEMENT_HEADER_LENGTH = 8;
const NAME_FIELD_LENGTH = 255;

/** Defaults when an image has no suffix of its own: the STM32 ROM bootloader, any bcdDevice. */
export const DEFAULT_DFUSE_IDS = { vendorId: 0x0483, productId: 0xdf11, bcdDevice: ANY_ID };

export function isDfuseFile(bytes: Uint8Array): boolean {
	return asciiAt(bytes, 0, "DfuSe");
}

function readName(bytes: Uint8Array): string {
	let end = bytes.indexOf(0);
	if (end < 0) end = bytes.length;
	let text = "";
	for (let i = 0; i < end; i++) text += String.fromCharCode(bytes[i]!);
	return text;
}

export function parseDfuse(bytes: Uint8Array, source: string): Image {
	const whole: ByteReader = new ByteReader(bytes, source);
	whole.need(0, PREFIX_LENGTH, "the DfuSe prefix");
	if (!asciiAt(bytes, 0, "DfuSe"))
		whole.fail(0, 'not a DfuSe file: it does not start with "DfuSe"');
	const version = whole.u8(5, "bVersion");
	if (version !== 1) {
		whole.fail(5, `DfuSe file version ${version} is not supported (only version 1 exists)`);
	}

	const suffix = findDfuSuffix(bytes);
	if (!suffix || bytes.length < PREFIX_LENGTH + SUFFIX_LENGTH) {
		whole.fail(
			Math.max(bytes.length - SUFFIX_LENGTH, 0),
			'no DFU suffix: the file should end with 16 bytes holding "UFD" (the file is truncated?)',
		);
	}
	if (suffix.crc !== suffix.computedCrc) {
		whole.fail(
			bytes.length - 4,
			`DFU suffix CRC mismatch: the file says ${hex(suffix.crc)}, its bytes give ${hex(suffix.computedCrc)} ` +
				"(the file is damaged or was edited without updating the CRC)",
		);
	}
	if (suffix.length < SUFFIX_LENGTH || suffix.length > bytes.length - PREFIX_LENGTH) {
		whole.fail(bytes.length - 5, `DFU suffix length ${suffix.length} is impossible`);
	}
	if (suffix.bcdDFU !== BCD_DFUSE) {
		whole.fail(
			bytes.length - 10,
			`a DfuSe file must have bcdDFU ${hex(BCD_DFUSE, 4)} in its suffix, this one has ${hex(suffix.bcdDFU, 4)}`,
		);
	}

	const warnings: string[] = [];
	const bodyEnd = bytes.length - suffix.length;
	const body: ByteReader = new ByteReader(bytes.subarray(0, bodyEnd), source);
	const imageSize = body.u32(6, "DFUImageSize");
	if (imageSize !== bodyEnd && imageSize !== bytes.length) {
		warnings.push(
			`DFUImageSize says ${imageSize} bytes; the file has ${bodyEnd} without its suffix and ` +
				`${bytes.length} with it (readers ignore this field)`,
		);
	}
	const targetCount = body.u8(10, "bTargets");
	if (targetCount === 0) body.fail(10, "the DfuSe file has no targets (bTargets is 0)");

	const segments: PlacedSegment[] = [];
	let offset = PREFIX_LENGTH;
	for (let t = 0; t < targetCount; t++) {
		const what = `target ${t + 1} of ${targetCount}`;
		body.need(offset, TARGET_PREFIX_LENGTH, `the prefix of ${what}`);
		if (!asciiAt(bytes, offset, "Target")) {
			body.fail(offset, `${what} does not start with "Target"`);
		}
		const alt = body.u8(offset + 6, "bAlternateSetting");
		const named = body.u32(offset + 7, "bTargetNamed") !== 0;
		const name = named
			? readName(body.slice(offset + 11, NAME_FIELD_LENGTH, "szTargetName"))
			: undefined;
		const targetSize = body.u32(offset + 266, "dwTargetSize");
		const elementCount = body.u32(offset + 270, "dwNbElements");
		const targetStart = offset;
		offset += TARGET_PREFIX_LENGTH;
		const room = bodyEnd - offset;
		if (elementCount > Math.floor(room / ELEMENT_HEADER_LENGTH)) {
			body.fail(
				targetStart + 270,
				`${what} claims ${elementCount} elements, but only ${room} bytes remain before the suffix`,
			);
		}
		for (let e = 0; e < elementCount; e++) {
			const elementWhat = `element ${e + 1} of ${elementCount} in ${what}`;
			const address = body.u32(offset, `the address of ${elementWhat}`);
			const size = body.u32(offset + 4, `the size of ${elementWhat}`);
			if (size > bodyEnd - offset - ELEMENT_HEADER_LENGTH) {
				body.fail(
					offset + 4,
					`${elementWhat} claims ${size} bytes, but only ${Math.max(bodyEnd - offset - ELEMENT_HEADER_LENGTH, 0)} remain before the suffix`,
				);
			}
			if (address + size > 0x1_0000_0000) {
				body.fail(
					offset,
					`${elementWhat}: ${size} bytes at ${hex(address)} run past the 32-bit address space`,
				);
			}
			const data = body.slice(offset + ELEMENT_HEADER_LENGTH, size, `the data of ${elementWhat}`);
			segments.push({
				address,
				data,
				alt,
				...(name !== undefined ? { name } : {}),
				origin: `${elementWhat}, alt ${alt}`,
				position: { offset },
			});
			offset += ELEMENT_HEADER_LENGTH + size;
		}
		const actualSize = offset - targetStart - TARGET_PREFIX_LENGTH;
		if (targetSize !== actualSize) {
			warnings.push(
				`${what} (alt ${alt}): dwTargetSize says ${targetSize} bytes, its elements take ${actualSize}`,
			);
		}
	}
	if (offset < bodyEnd) {
		warnings.push(
			`${bodyEnd - offset} bytes after the last target and before the suffix are ignored`,
		);
	}
	const normalised = normaliseSegments(source, segments);
	if (normalised.length === 0) body.fail(PREFIX_LENGTH, "the DfuSe file holds no firmware bytes");
	return {
		format: "dfuse",
		source,
		segments: normalised,
		suffix: {
			vendorId: suffix.vendorId,
			productId: suffix.productId,
			bcdDevice: suffix.bcdDevice,
			bcdDFU: suffix.bcdDFU,
		},
		...(warnings.length ? { warnings } : {}),
	};
}

export interface DfuseWriteOptions {
	vendorId?: number;
	productId?: number;
	bcdDevice?: number;
}

function targetPrefix(
	alt: number,
	name: string | undefined,
	size: number,
	count: number,
): Uint8Array {
	const out = new Uint8Array(TARGET_PREFIX_LENGTH);
	out.set([0x54, 0x61, 0x72, 0x67, 0x65, 0x74], 0); // "Target"
	out[6] = alt;
	if (name !== undefined && name.length > 0) {
		writeU32(out, 7, 1);
		const encoded = new TextEncoder().encode(name).subarray(0, NAME_FIELD_LENGTH - 1);
		out.set(encoded, 11);
	}
	writeU32(out, 266, size);
	writeU32(out, 270, count);
	return out;
}

/**
 * A DfuSe file for `image`: one target per alt setting (segments without alt go to alt 0), one
 * element per segment, the target named after its segments' name when they have one.
 *
 * DFUImageSize is written as prefix + targets WITHOUT the 16-byte suffix: that is what fwupd
 * writes and checks, what pydfu documents for ST's files, and what elf2dfuse switched to after
 * fwupd rejected the "whole file" reading; dfu-util and pydfu ignore the field.
 */
export function writeDfuse(image: Image, options: DfuseWriteOptions = {}): Uint8Array {
	const ids = {
		vendorId: options.vendorId ?? image.suffix?.vendorId ?? DEFAULT_DFUSE_IDS.vendorId,
		productId: options.productId ?? image.suffix?.productId ?? DEFAULT_DFUSE_IDS.productId,
		bcdDevice: options.bcdDevice ?? image.suffix?.bcdDevice ?? DEFAULT_DFUSE_IDS.bcdDevice,
	};
	for (const [field, value] of Object.entries(ids)) {
		if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
			throw new MalformedImageError(image.source, {}, `${field} ${value} does not fit in 16 bits`);
		}
	}
	const byAlt = new Map<number, Image["segments"]>();
	for (const s of image.segments) {
		const alt = s.alt ?? 0;
		if (!Number.isInteger(alt) || alt < 0 || alt > 255) {
			throw new MalformedImageError(
				image.source,
				{},
				`alt setting ${alt} does not fit in a DfuSe target`,
			);
		}
		const list = byAlt.get(alt);
		if (list) list.push(s);
		else byAlt.set(alt, [s]);
	}
	if (byAlt.size === 0)
		throw new MalformedImageError(image.source, {}, "the image holds no segments to write");
	if (byAlt.size > 255) {
		throw new MalformedImageError(
			image.source,
			{},
			`${byAlt.size} alt settings do not fit in one DfuSe file (255 at most)`,
		);
	}
	const parts: Uint8Array[] = [new Uint8Array(PREFIX_LENGTH)];
	for (const alt of [...byAlt.keys()].sort((a, b) => a - b)) {
		const segments = byAlt
			.get(alt)!
			.slice()
			.sort((a, b) => a.address - b.address);
		const elements = segments.map((s) => {
			const element = new Uint8Array(ELEMENT_HEADER_LENGTH + s.data.length);
			writeU32(element, 0, s.address);
			writeU32(element, 4, s.data.length);
			element.set(s.data, ELEMENT_HEADER_LENGTH);
			return element;
		});
		const size = elements.reduce((n, e) => n + e.length, 0);
		const name = segments.find((s) => s.name !== undefined)?.name;
		parts.push(targetPrefix(alt, name, size, elements.length), ...elements);
	}
	const body = concatBytes(parts);
	body.set([0x44, 0x66, 0x75, 0x53, 0x65, 0x01], 0); // "DfuSe", version 1
	writeU32(body, 6, body.length);
	body[10] = byAlt.size;
	return appendDfuSuffix(body, { ...ids, bcdDFU: BCD_DFUSE });
}
