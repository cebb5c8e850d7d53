import * as zlib from "node:zlib";

/**
 * The DFU suffix CRC as dfu-util computes it: reflected CRC-32 (poly 0xEDB88320), initial value
 * 0xFFFFFFFF and NO final XOR, i.e. the standard CRC-32 with its final XOR undone.
 * Node's zlib.crc32 exists from 20.15/22.2; older Node 20 releases use the table below.
 */
type Crc32 = (data: Uint8Array) => number;

let table: Uint32Array | undefined;

function tableCrc32(data: Uint8Array): number {
	if (!table) {
		table = new Uint32Array(256);
		for (let n = 0; n < 256; n++) {
			let c = n;
			for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
			table[n] = c >>> 0;
		}
	}
	let crc = 0xffffffff;
	for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
	return (crc ^ 0xffffffff) >>> 0;
}

const nodeCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

/** Standard CRC-32 (as zlib, PNG, Ethernet). */
export const crc32: Crc32 =
	typeof nodeCrc32 === "function" ? (d) => nodeCrc32(d) >>> 0 : tableCrc32;

/** Exposed so that tests can check the fallback gives the same numbers. */
export const crc32ByTable: Crc32 = tableCrc32;

/** dwCRC of a DFU suffix over `data` (every byte of the file except the last 4). */
export function dfuCrc(data: Uint8Array): number {
	return (crc32(data) ^ 0xffffffff) >>> 0;
}
