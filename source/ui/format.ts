import { formatBytes, hex, vidPid } from "../format.js";
import type { DeviceIdentity, MemoryLayout, MemorySegment } from "../store/events.js";

export { formatBytes, hex, vidPid };

/** Sizes in memory maps: 16K, 128K, 2M, 16 B. */
export function shortSize(bytes: number): string {
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)}M`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024}K`;
	return `${bytes} B`;
}

export function formatRate(bytesPerSecond: number): string {
	if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return "";
	return `${formatBytes(Math.round(bytesPerSecond))}/s`;
}

/** m:ss, or h:mm:ss past an hour. */
export function formatDuration(ms: number): string {
	const total = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const ss = String(s).padStart(2, "0");
	return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

export function modeLabel(mode: DeviceIdentity["mode"]): string {
	return mode === "dfu" ? "DFU" : mode === "runtime" ? "run-time" : "app";
}

/** Cuts text to `width` columns, marking the cut; Ink would otherwise wrap the line. */
export function truncate(text: string, width: number): string {
	if (width <= 0) return "";
	if (text.length <= width) return text;
	return width === 1 ? "~" : `${text.slice(0, width - 1)}~`;
}

export function attributes(segment: MemorySegment): string {
	return `${segment.readable ? "r" : "-"}${segment.erasable ? "e" : "-"}${segment.writable ? "w" : "-"}`;
}

/** `0x08000000 4x16K 1x64K 7x128K rew`: one line for a whole memory map. */
export function layoutSummary(layout: MemoryLayout): string {
	const first = layout.segments[0];
	if (!first) return layout.name.trim();
	const groups = layout.segments.map((s) => `${s.count}x${shortSize(s.pageSize)}`).join(" ");
	const attrs = [...new Set(layout.segments.map(attributes))].join("/");
	const size = layout.segments.reduce((sum, s) => sum + s.count * s.pageSize, 0);
	return `${hex(first.start)} ${groups} = ${formatBytes(size)} ${attrs}`;
}

/** The interface name without the layout part: "@Internal Flash  /0x0800.../..." → "Internal Flash". */
export function altTitle(name: string): string {
	const at = name.startsWith("@") ? name.slice(1) : name;
	const slash = at.indexOf("/");
	return (slash >= 0 ? at.slice(0, slash) : at).trim();
}

/** Parses what a user types as an address: 0x08000000, 08000000h, or decimal. */
export function parseAddress(text: string): number | undefined {
	const t = text.trim().toLowerCase();
	if (t === "") return undefined;
	let value: number;
	if (/^0x[0-9a-f]+$/.test(t)) value = Number.parseInt(t.slice(2), 16);
	else if (/^[0-9a-f]+h$/.test(t)) value = Number.parseInt(t.slice(0, -1), 16);
	else if (/^[0-9]+$/.test(t)) value = Number.parseInt(t, 10);
	else return undefined;
	return value <= 0xffffffff ? value : undefined;
}
