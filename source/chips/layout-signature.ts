/**
 * The questions chip identification asks about a device's memory-layout strings. Parsing is
 * source/dfu/layout.ts's job (the one parser, also used for flashing); this file only compares
 * and measures what it returns.
 */
import { LayoutParseError, parseLayout } from "../dfu/layout.js";
import type { MemoryLayout } from "../store/events.js";

/**
 * The layout of an alt-setting string, or undefined when the string is not a layout or is
 * malformed: a device string we cannot read is simply no evidence for identification.
 */
export function readLayout(text: string): MemoryLayout | undefined {
	try {
		return parseLayout(text);
	} catch (error) {
		if (error instanceof LayoutParseError) return undefined;
		throw error;
	}
}

const hex8 = (n: number) => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;

/**
 * Padding-, name- and type-insensitive form, e.g. "0x08000000:4x16384,1x65536|0x1FFEC000:1x16".
 * Built from the memory itself, so spellings of the same memory agree: segments are taken in
 * address order, a run continues while the next segment starts where the last one ended, and
 * neighbouring segments with the same page size are merged ("04*016K,01*016K" is "05*016K").
 */
export function layoutSignature(layout: MemoryLayout): string {
	const segments = layout.segments.filter((s) => s.count > 0).sort((a, b) => a.start - b.start);
	const runs: { start: number; end: number; pages: { count: number; size: number }[] }[] = [];
	for (const s of segments) {
		const run = runs.at(-1);
		const end = s.start + s.count * s.pageSize;
		if (run && run.end === s.start) {
			const last = run.pages.at(-1)!;
			if (last.size === s.pageSize) last.count += s.count;
			else run.pages.push({ count: s.count, size: s.pageSize });
			run.end = end;
		} else runs.push({ start: s.start, end, pages: [{ count: s.count, size: s.pageSize }] });
	}
	return runs
		.map((r) => `${hex8(r.start)}:${r.pages.map((p) => `${p.count}x${p.size}`).join(",")}`)
		.join("|");
}

/** Where the layout's first address run starts, as the device lists it. */
export function layoutStart(layout: MemoryLayout): number | undefined {
	return layout.segments[0]?.start;
}

/** Same string as a listing, ignoring only non-printable bytes and surrounding spaces. */
export function sameLayoutText(a: string, b: string): boolean {
	return printable(a).trim() === printable(b).trim();
}

function printable(text: string): string {
	return text.replace(/[^\x20-\x7E]/g, "");
}
