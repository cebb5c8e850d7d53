import { type FilePosition, ImageOverlapError, MalformedImageError } from "./errors.js";
import type { Segment } from "./image.js";

/** A segment as a parser found it, with where it came from for overlap messages. */
export interface PlacedSegment extends Segment {
	origin?: string;
	position?: FilePosition;
}

const ADDRESS_SPACE = 0x1_0000_0000;

function mergeNames(a: string | undefined, b: string | undefined): string | undefined {
	if (a === undefined || a === b) return a ?? b;
	if (b === undefined) return a;
	const names = new Set([...a.split(", "), ...b.split(", ")]);
	return [...names].join(", ");
}

function mergeRun(run: PlacedSegment[]): Segment {
	const first = run[0]!;
	let name = first.name;
	for (const s of run.slice(1)) name = mergeNames(name, s.name);
	const data =
		run.length === 1
			? first.data
			: (() => {
					const out = new Uint8Array(run.reduce((n, s) => n + s.data.length, 0));
					let at = 0;
					for (const s of run) {
						out.set(s.data, at);
						at += s.data.length;
					}
					return out;
				})();
	return {
		address: first.address,
		data,
		...(first.alt !== undefined ? { alt: first.alt } : {}),
		...(name !== undefined ? { name } : {}),
	};
}

/**
 * Sorted by address, adjacent pieces of the same alt setting merged, empty pieces dropped.
 * Overlaps within one alt setting are an error naming both ranges; different alt settings are
 * different memories, so their addresses may coincide.
 */
export function normaliseSegments(file: string, segments: readonly PlacedSegment[]): Segment[] {
	const byAlt = new Map<number, PlacedSegment[]>();
	for (const s of segments) {
		if (s.data.length === 0) continue;
		if (s.address < 0 || s.address + s.data.length > ADDRESS_SPACE) {
			throw new MalformedImageError(
				file,
				s.position ?? {},
				`data of ${s.data.length} bytes at 0x${s.address.toString(16)} runs past the 32-bit address space`,
			);
		}
		const key = s.alt ?? 0;
		const list = byAlt.get(key) ?? [];
		list.push(s);
		byAlt.set(key, list);
	}
	const out: Segment[] = [];
	for (const list of byAlt.values()) {
		list.sort((a, b) => a.address - b.address);
		let run: PlacedSegment[] = [];
		let runEnd = 0;
		for (const s of list) {
			if (run.length > 0 && s.address < runEnd) {
				const clash =
					run.find((r) => s.address < r.address + r.data.length) ?? run[run.length - 1]!;
				throw new ImageOverlapError(
					file,
					{ address: clash.address, length: clash.data.length, origin: clash.origin },
					{ address: s.address, length: s.data.length, origin: s.origin },
					s.position ?? {},
				);
			}
			if (run.length > 0 && s.address === runEnd) {
				run.push(s);
			} else {
				if (run.length > 0) out.push(mergeRun(run));
				run = [s];
			}
			runEnd = s.address + s.data.length;
		}
		if (run.length > 0) out.push(mergeRun(run));
	}
	return out.sort((a, b) => a.address - b.address || (a.alt ?? 0) - (b.alt ?? 0));
}
