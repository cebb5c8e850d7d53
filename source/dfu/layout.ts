/**
 * DfuSe memory-layout strings (the alt setting's iInterface), e.g.
 * `@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg`, and every question asked about
 * them. This file is the one source of truth for "is this address writable, which sector holds
 * it" (like dfu-util's dfuse_mem.c).
 *
 * Grammar (UM0424 §4.3.2): "@" name ("/" "0x" addr "/" seg ("," seg)*)+ where
 * seg = count "*" size [mult] type, mult ∈ B K M or space (bytes), type ∈ a..g (bit 0 readable,
 * bit 1 erasable, bit 2 writable). Real loaders stretch it: any digit counts, no multiplier
 * (`1536*128g`), no space (`01*40Be`), padded names, several address runs, stray bytes.
 */
import { DeviceError } from "../errors.js";
import type { MemoryLayout, MemorySegment } from "../store/events.js";

export type { MemoryLayout, MemorySegment };

/** A memory-layout string (from the device's alt setting name) that does not follow UM0424. */
export class LayoutParseError extends DeviceError {
	override readonly kind = "layout";

	constructor(
		readonly text: string,
		readonly position: number,
		reason: string,
	) {
		super(`memory layout "${text}" at character ${position}: ${reason}`, {
			layout: text,
			position,
		});
	}
}

/**
 * What an alt setting holds, from its name (the layout name, or the interface string when it has
 * no layout). ST's loaders name them "Internal Flash", "Option Bytes", "OTP Memory" and "Device
 * Feature" (AN2606, STM32 system memory boot mode); every decision that depends on the kind of
 * memory asks this.
 */
export type AltKind = "flash" | "option-bytes" | "otp" | "device-feature" | "other";

export function altKind(alt: { name: string; layout?: MemoryLayout } | string): AltKind {
	const name = typeof alt === "string" ? alt : (alt.layout?.name ?? alt.name);
	if (/option\s*bytes/i.test(name)) return "option-bytes";
	if (/\botp\b/i.test(name)) return "otp";
	if (/device\s*feature/i.test(name)) return "device-feature";
	if (/flash/i.test(name)) return "flash";
	return "other";
}

const MULTIPLIERS: Record<string, number> = { B: 1, K: 1024, M: 1024 * 1024, " ": 1 };

/** Parses a layout string; returns undefined for a string that is not a layout (no "@"). */
export function parseLayout(raw: string): MemoryLayout | undefined {
	// Some loaders put non-printable bytes in the string (Betaflight strips them too).
	const text = raw.replace(/[^\x20-\x7e]/g, "");
	const at = text.indexOf("@");
	if (at < 0) return undefined;
	const slash = text.indexOf("/", at);
	if (slash < 0) throw new LayoutParseError(text, text.length, "no address run");
	const name = text.slice(at + 1, slash).trim();
	const segments: MemorySegment[] = [];
	let i = slash;
	const fail = (reason: string): never => {
		throw new LayoutParseError(text, i, reason);
	};
	const number = (pattern: RegExp): string => {
		pattern.lastIndex = i;
		const m = pattern.exec(text);
		if (!m) return fail("expected a number");
		i += m[0].length;
		return m[1] ?? m[0];
	};
	const skipSpaces = () => {
		while (text[i] === " ") i++;
	};
	// Names such as "Device Feature" on F4 are marked erasable by some loaders, but erasing the
	// virtual voltage-range word is meaningless; dfu-util forces it to read/write only.
	const deviceFeature = altKind(name) === "device-feature";

	while (i < text.length) {
		if (text[i] !== "/") fail("expected '/'");
		i++;
		skipSpaces();
		let start = Number.parseInt(number(/0[xX]([0-9a-fA-F]+)/y), 16);
		skipSpaces();
		if (text[i] !== "/") fail("expected '/' after the address");
		i++;
		for (;;) {
			skipSpaces();
			const count = Number.parseInt(number(/[0-9]+/y), 10);
			skipSpaces();
			if (text[i] !== "*") fail("expected '*'");
			i++;
			skipSpaces();
			const size = Number.parseInt(number(/[0-9]+/y), 10);
			let multiplier = 1;
			const next = text[i];
			if (next !== undefined && next in MULTIPLIERS) {
				multiplier = MULTIPLIERS[next]!;
				i++;
				skipSpaces();
			}
			const typeChar = text[i];
			if (typeChar === undefined || !/[a-gA-G]/.test(typeChar)) fail("expected a type letter a-g");
			i++;
			const type = typeChar!.charCodeAt(0) & 7;
			const pageSize = size * multiplier;
			segments.push({
				start,
				count,
				pageSize,
				readable: (type & 1) !== 0 || deviceFeature,
				erasable: (type & 2) !== 0 && !deviceFeature,
				writable: (type & 4) !== 0 || deviceFeature,
			});
			start += count * pageSize;
			skipSpaces();
			if (text[i] === ",") {
				i++;
				continue;
			}
			break;
		}
		skipSpaces();
	}
	if (segments.length === 0) fail("no segments");
	return { name, segments };
}

export function segmentEnd(s: MemorySegment): number {
	return s.start + s.count * s.pageSize;
}

export function segmentAt(layout: MemoryLayout, address: number): MemorySegment | undefined {
	return layout.segments.find((s) => address >= s.start && address < segmentEnd(s));
}

/** One erase unit (sector/page) of a segment. */
export interface Page {
	address: number;
	size: number;
	segment: MemorySegment;
}

export function pageAt(layout: MemoryLayout, address: number): Page | undefined {
	const segment = segmentAt(layout, address);
	if (!segment) return undefined;
	const index = Math.floor((address - segment.start) / segment.pageSize);
	return { address: segment.start + index * segment.pageSize, size: segment.pageSize, segment };
}

export function isReadable(layout: MemoryLayout, address: number): boolean {
	return segmentAt(layout, address)?.readable ?? false;
}

export function isWritable(layout: MemoryLayout, address: number): boolean {
	return segmentAt(layout, address)?.writable ?? false;
}

export function isErasable(layout: MemoryLayout, address: number): boolean {
	return segmentAt(layout, address)?.erasable ?? false;
}

/** Every page overlapping [address, address+length), in address order; gaps in the map are skipped. */
export function pagesTouching(layout: MemoryLayout, address: number, length: number): Page[] {
	const end = address + length;
	const pages: Page[] = [];
	const segments = [...layout.segments].sort((a, b) => a.start - b.start);
	for (const segment of segments) {
		const from = Math.max(address, segment.start);
		const to = Math.min(end, segmentEnd(segment));
		if (from >= to) continue;
		const first = Math.floor((from - segment.start) / segment.pageSize);
		const last = Math.floor((to - 1 - segment.start) / segment.pageSize);
		for (let p = first; p <= last; p++) {
			pages.push({
				address: segment.start + p * segment.pageSize,
				size: segment.pageSize,
				segment,
			});
		}
	}
	return pages;
}

/**
 * End (exclusive) of the memory that continues from `address` without a gap and with the given
 * attribute: several segments of one address run count as one (F4 flash is 16K,64K,128K pages).
 */
export function contiguousEnd(
	layout: MemoryLayout,
	address: number,
	attribute: "readable" | "writable" = "readable",
): number {
	let at = address;
	for (;;) {
		const segment = segmentAt(layout, at);
		if (!segment?.[attribute]) return at;
		at = segmentEnd(segment);
	}
}

/** The first address in [address, address+length) that lacks `attribute`, or undefined. */
export function firstAddressWithout(
	layout: MemoryLayout,
	address: number,
	length: number,
	attribute: "readable" | "writable",
): number | undefined {
	const end = contiguousEnd(layout, address, attribute);
	return end >= address + length ? undefined : end;
}

export function layoutSize(layout: MemoryLayout): number {
	return layout.segments.reduce((sum, s) => sum + s.count * s.pageSize, 0);
}

/** dfu-util's spelling of an attribute set: "r", "e", "w" letters, e.g. "rew". */
export function attributeLetters(s: MemorySegment): string {
	return `${s.readable ? "r" : ""}${s.erasable ? "e" : ""}${s.writable ? "w" : ""}`;
}
