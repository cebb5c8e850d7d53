import { hex } from "../errors.js";
import { findDfuSuffix, isValidSuffix } from "./dfu-suffix.js";
import { MalformedImageError } from "./errors.js";
import type { Image } from "./image.js";

/**
 * A raw binary placed at `address`. A valid DFU suffix at its end (signature + CRC, as dfu-util
 * checks) is not firmware: it is stripped, its IDs kept, and a warning says so.
 */
export function parseBin(bytes: Uint8Array, source: string, address: number): Image {
	if (!Number.isInteger(address) || address < 0 || address > 0xffffffff) {
		throw new MalformedImageError(source, {}, `load address ${address} is not a 32-bit address`);
	}
	const warnings: string[] = [];
	let data = bytes;
	let suffix: Image["suffix"];
	const found = findDfuSuffix(bytes);
	if (isValidSuffix(found, bytes.length)) {
		data = bytes.subarray(0, bytes.length - found.length);
		suffix = {
			vendorId: found.vendorId,
			productId: found.productId,
			bcdDevice: found.bcdDevice,
			bcdDFU: found.bcdDFU,
		};
		warnings.push(
			`the last ${found.length} bytes are a DFU suffix (bcdDFU ${hex(found.bcdDFU, 4)}); ` +
				"they were stripped and are not written",
		);
	}
	if (data.length === 0) {
		throw new MalformedImageError(
			source,
			{ offset: 0 },
			"the file holds no firmware bytes (it is empty)",
		);
	}
	if (address + data.length > 0x1_0000_0000) {
		throw new MalformedImageError(
			source,
			{ offset: 0 },
			`${data.length} bytes at ${hex(address)} run past the end of the 32-bit address space`,
		);
	}
	return {
		format: "bin",
		source,
		segments: [{ address, data }],
		...(suffix ? { suffix } : {}),
		...(warnings.length ? { warnings } : {}),
	};
}
