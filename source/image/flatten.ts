import { hex } from "../errors.js";
import { ImageOutputError } from "./errors.js";
import type { Image } from "./image.js";

/** Gaps larger than this are not filled: the result would be mostly padding (e.g. flash + RAM). */
export const MAX_FILL_GAP = 16 * 1024 * 1024;

export interface FlatImage {
	address: number;
	bytes: Uint8Array;
	/** The ranges that were filled, as [address, length]. */
	gaps: { address: number; length: number }[];
}

/** One contiguous block from the image's first to last byte, gaps filled with `fill` (erased flash). */
export function flattenImage(image: Image, fill = 0xff, maxGap = MAX_FILL_GAP): FlatImage {
	const segments = image.segments.slice().sort((a, b) => a.address - b.address);
	if (segments.length === 0) throw new ImageOutputError(image.source, "the image holds no data");
	const start = segments[0]!.address;
	const last = segments[segments.length - 1]!;
	const gaps: FlatImage["gaps"] = [];
	let cursor = start;
	for (const s of segments) {
		if (s.address < cursor) {
			throw new ImageOutputError(image.source, `segments overlap at ${hex(s.address)}`);
		}
		if (s.address > cursor) {
			const length = s.address - cursor;
			if (length > maxGap) {
				throw new ImageOutputError(
					image.source,
					`a raw binary would need ${length} bytes of padding between ${hex(cursor)} and ${hex(s.address)} (more than ${maxGap / 1024 / 1024} MiB)`,
					{ gapStart: cursor, gapLength: length },
					"write .hex or .dfu instead, which keep the parts at their own addresses, or convert each part separately",
				);
			}
			gaps.push({ address: cursor, length });
		}
		cursor = s.address + s.data.length;
	}
	const bytes = new Uint8Array(last.address + last.data.length - start).fill(fill);
	for (const s of segments) bytes.set(s.data, s.address - start);
	return { address: start, bytes, gaps };
}
