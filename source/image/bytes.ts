import { MalformedImageError } from "./errors.js";

/** Little-endian field access over a file's bytes; every read past the end names the offset. */
export class ByteReader {
	readonly bytes: Uint8Array;
	readonly file: string;
	private readonly view: DataView;

	constructor(bytes: Uint8Array, file: string) {
		this.bytes = bytes;
		this.file = file;
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	}

	get length(): number {
		return this.bytes.length;
	}

	/** Throws unless [offset, offset+length) lies inside the file. */
	need(offset: number, length: number, what: string): void {
		if (offset < 0 || length < 0 || offset + length > this.bytes.length) {
			const missing = offset + length - this.bytes.length;
			throw new MalformedImageError(
				this.file,
				{ offset: Math.min(Math.max(offset, 0), this.bytes.length) },
				`truncated: ${what} needs ${length} byte${length === 1 ? "" : "s"} at offset ${offset}, ` +
					`but the file ends ${missing > 0 ? `${missing} byte${missing === 1 ? "" : "s"} short` : "before it"} ` +
					`(file size ${this.bytes.length})`,
			);
		}
	}

	u8(offset: number, what: string): number {
		this.need(offset, 1, what);
		return this.view.getUint8(offset);
	}

	u16(offset: number, what: string): number {
		this.need(offset, 2, what);
		return this.view.getUint16(offset, true);
	}

	u32(offset: number, what: string): number {
		this.need(offset, 4, what);
		return this.view.getUint32(offset, true);
	}

	slice(offset: number, length: number, what: string): Uint8Array {
		this.need(offset, length, what);
		return this.bytes.subarray(offset, offset + length);
	}

	fail(offset: number, problem: string, hint?: string): never {
		throw new MalformedImageError(this.file, { offset }, problem, hint);
	}
}

export function asciiAt(bytes: Uint8Array, offset: number, text: string): boolean {
	if (offset < 0 || offset + text.length > bytes.length) return false;
	for (let i = 0; i < text.length; i++) {
		if (bytes[offset + i] !== text.charCodeAt(i)) return false;
	}
	return true;
}

export function writeU16(target: Uint8Array, offset: number, value: number): void {
	target[offset] = value & 0xff;
	target[offset + 1] = (value >>> 8) & 0xff;
}

export function writeU32(target: Uint8Array, offset: number, value: number): void {
	target[offset] = value & 0xff;
	target[offset + 1] = (value >>> 8) & 0xff;
	target[offset + 2] = (value >>> 16) & 0xff;
	target[offset + 3] = (value >>> 24) & 0xff;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
	const total = parts.reduce((sum, p) => sum + p.length, 0);
	const out = new Uint8Array(total);
	let at = 0;
	for (const p of parts) {
		out.set(p, at);
		at += p.length;
	}
	return out;
}
