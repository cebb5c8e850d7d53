/**
 * How numbers read everywhere (messages, screens, reports): addresses, USB ids and sizes. One
 * place, so that a user sees the same 0x08000000, 0483:df11 and 16 KiB in every output.
 */

/** An address or register value: `0x08000000` (upper case, `width` hex digits). */
export function hex(value: number, width = 8): string {
	return `0x${(value >>> 0).toString(16).toUpperCase().padStart(width, "0")}`;
}

/** A 16-bit USB id as lsusb and dfu-util print it: `0483`. */
export function hex4(value: number): string {
	return value.toString(16).padStart(4, "0");
}

/** `0483:df11`; also takes anything with vendorId/productId. */
export function vidPid(
	vendor: number | { vendorId: number; productId: number },
	product?: number,
): string {
	if (typeof vendor === "object") return `${hex4(vendor.vendorId)}:${hex4(vendor.productId)}`;
	return `${hex4(vendor)}:${hex4(product ?? 0)}`;
}

/** 512 B, 16 KiB, 1.5 MiB. */
export function formatBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} B`;
	if (bytes < 1024 * 1024) return `${trim(bytes / 1024)} KiB`;
	return `${trim(bytes / (1024 * 1024))} MiB`;
}

function trim(value: number): string {
	return value >= 100 || Number.isInteger(value) ? value.toFixed(0) : value.toFixed(1);
}

/** Progress and event lines: `512 B`, `16 KiB`, `1.5 KiB`, `1024 KiB` (always KiB from 1 KiB on). */
export function kib(bytes: number): string {
	return bytes >= 1024 ? `${(bytes / 1024).toFixed(bytes % 1024 ? 1 : 0)} KiB` : `${bytes} B`;
}

/** Page and sector sizes, which are whole: `2 MiB`, `16 KiB`, `48 B`. */
export function exactSize(bytes: number): string {
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / 1024 / 1024} MiB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
	return `${bytes} B`;
}
