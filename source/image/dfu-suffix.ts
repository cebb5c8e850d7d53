import { asciiAt, writeU16, writeU32 } from "./bytes.js";
import { dfuCrc } from "./crc.js";

/**
 * The DFU file suffix (DFU 1.1 appendix B; DfuSe UM0391): 16 bytes at the end of the file,
 *   bcdDevice(2) idProduct(2) idVendor(2) bcdDFU(2) "UFD"(3) bLength(1) dwCRC(4),
 * with dwCRC over every byte of the file but the last 4. 0xFFFF in an ID field means "any".
 */
export const SUFFIX_LENGTH = 16;
export const BCD_DFUSE = 0x011a;
export const BCD_DFU_1_1 = 0x0100;
export const ANY_ID = 0xffff;

export interface DfuSuffixFields {
	vendorId: number;
	productId: number;
	bcdDevice: number;
	bcdDFU: number;
}

export interface FoundSuffix extends DfuSuffixFields {
	/** bLength: the suffix may be longer than 16 bytes; this many bytes end the file. */
	length: number;
	crc: number;
	computedCrc: number;
}

/**
 * The suffix at the end of `bytes` when its "UFD" signature is there, whatever its CRC (the
 * caller decides what a CRC mismatch means); undefined when there is no signature.
 */
export function findDfuSuffix(bytes: Uint8Array): FoundSuffix | undefined {
	if (bytes.length < SUFFIX_LENGTH) return undefined;
	const at = bytes.length - SUFFIX_LENGTH;
	if (!asciiAt(bytes, at + 8, "UFD")) return undefined;
	const view = new DataView(bytes.buffer, bytes.byteOffset + at, SUFFIX_LENGTH);
	return {
		bcdDevice: view.getUint16(0, true),
		productId: view.getUint16(2, true),
		vendorId: view.getUint16(4, true),
		bcdDFU: view.getUint16(6, true),
		length: view.getUint8(11),
		crc: view.getUint32(12, true),
		computedCrc: dfuCrc(bytes.subarray(0, bytes.length - 4)),
	};
}

/** What dfu-util accepts as a suffix: signature, matching CRC and a sane bLength. */
export function isValidSuffix(
	found: FoundSuffix | undefined,
	fileLength: number,
): found is FoundSuffix {
	return (
		found !== undefined &&
		found.crc === found.computedCrc &&
		found.length >= SUFFIX_LENGTH &&
		found.length <= fileLength
	);
}

/** `body` followed by a 16-byte suffix whose CRC covers body and the suffix's first 12 bytes. */
export function appendDfuSuffix(body: Uint8Array, fields: DfuSuffixFields): Uint8Array {
	const out = new Uint8Array(body.length + SUFFIX_LENGTH);
	out.set(body, 0);
	const at = body.length;
	writeU16(out, at, fields.bcdDevice);
	writeU16(out, at + 2, fields.productId);
	writeU16(out, at + 4, fields.vendorId);
	writeU16(out, at + 6, fields.bcdDFU);
	out[at + 8] = 0x55; // U
	out[at + 9] = 0x46; // F
	out[at + 10] = 0x44; // D
	out[at + 11] = SUFFIX_LENGTH;
	writeU32(out, at + 12, dfuCrc(out.subarray(0, at + 12)));
	return out;
}
