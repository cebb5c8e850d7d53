import type { Image } from "../../source/image/image.js";

/** Thumb halfwords that look like ordinary code: push/pop, ldr literal, str, adds, bx lr, b. */
const CODE_HALFWORDS = [
	0xb510, 0x4c03, 0x6823, 0x2201, 0x4313, 0x6023, 0xbd10, 0x4770, 0xe7fe, 0x3b01, 0xd1fd, 0x6801,
	0x4051,
];

export interface SyntheticOptions {
	base?: number;
	initialSp: number;
	/** Entries in the vector table, including the SP. */
	vectors: number;
	/** 32-bit words placed in a literal pool after the code. */
	literals?: number[];
	/** Bytes of code-like filler between the table and the pool. */
	codeBytes?: number;
	/** Offset of the reset handler from `base`, default: right after the table. */
	resetOffset?: number;
	thumb?: boolean;
	/** Address the handlers claim the image was linked at (default `base`). */
	linkBase?: number;
	source?: string;
}

/**
 * A firmware image made in code: vector table, a run of code-like halfwords, then a literal
 * pool, all as one raw segment, the way a linker lays out a small Cortex-M program.
 */
export function syntheticImage(o: SyntheticOptions): Image {
	const base = o.base ?? 0x08000000;
	const link = o.linkBase ?? base;
	const tableBytes = o.vectors * 4;
	const codeBytes = o.codeBytes ?? 96;
	const pool = o.literals ?? [];
	const size = tableBytes + codeBytes + pool.length * 4;
	const data = new Uint8Array(size);
	const view = new DataView(data.buffer);
	const reset = link + (o.resetOffset ?? tableBytes) + (o.thumb === false ? 0 : 1);
	const handler = link + tableBytes + codeBytes - 2 + 1;
	view.setUint32(0, o.initialSp, true);
	view.setUint32(4, reset >>> 0, true);
	for (let i = 2; i < o.vectors; i++) {
		const reserved = (i >= 7 && i <= 10) || i === 13;
		view.setUint32(i * 4, reserved ? 0 : handler >>> 0, true);
	}
	for (let off = tableBytes, k = 0; off < tableBytes + codeBytes; off += 2, k++) {
		view.setUint16(off, CODE_HALFWORDS[k % CODE_HALFWORDS.length]!, true);
	}
	pool.forEach((w, i) => {
		view.setUint32(tableBytes + codeBytes + i * 4, w >>> 0, true);
	});
	return {
		format: "bin",
		source: o.source ?? "synthetic.bin",
		segments: [{ address: base, data }],
	};
}
