import { hex, InputError } from "../errors.js";

/**
 * Where in a file a problem is. Binary formats give a byte offset; text formats (Intel HEX) give a
 * 1-based line and column, and the byte offset of that column too so that both kinds can be shown
 * the same way.
 */
export interface FilePosition {
	offset?: number;
	line?: number;
	column?: number;
}

function describePosition(position: FilePosition): string {
	const parts: string[] = [];
	if (position.line !== undefined) {
		parts.push(`line ${position.line}`);
		if (position.column !== undefined) parts.push(`column ${position.column}`);
	} else if (position.offset !== undefined) {
		parts.push(`offset ${hex(position.offset, 1)} (${position.offset})`);
	}
	return parts.join(", ");
}

function positionDetails(file: string, position: FilePosition) {
	return {
		file,
		offset: position.offset ?? null,
		line: position.line ?? null,
		column: position.column ?? null,
	};
}

/** The file is of a known format but its bytes break that format's rules. */
export class MalformedImageError extends InputError {
	override readonly kind = "image-malformed";
	readonly file: string;
	readonly position: FilePosition;

	constructor(file: string, position: FilePosition, problem: string, hint?: string) {
		const where = describePosition(position);
		super(`${file}${where ? `: ${where}` : ""}: ${problem}`, positionDetails(file, position), hint);
		this.file = file;
		this.position = position;
	}

	get offset(): number | undefined {
		return this.position.offset;
	}

	get line(): number | undefined {
		return this.position.line;
	}
}

export interface AddressRange {
	address: number;
	length: number;
	/** Where the range came from, e.g. "a.hex" or "ELF segment 2". */
	origin?: string;
}

function describeRange(range: AddressRange): string {
	const end = range.address + range.length - 1;
	const text = `${hex(range.address)}..${hex(end)}`;
	return range.origin ? `${text} (${range.origin})` : text;
}

/** Two pieces of data claim the same address. */
export class ImageOverlapError extends InputError {
	override readonly kind = "image-overlap";
	readonly file: string;
	readonly first: AddressRange;
	readonly second: AddressRange;

	constructor(
		file: string,
		first: AddressRange,
		second: AddressRange,
		position: FilePosition = {},
	) {
		const where = describePosition(position);
		super(
			`${file}${where ? `: ${where}` : ""}: data at ${describeRange(second)} overlaps ${describeRange(first)}`,
			{
				...positionDetails(file, position),
				firstAddress: first.address,
				firstLength: first.length,
				secondAddress: second.address,
				secondLength: second.length,
			},
			"each address may be written once; check the linker script or the @ADDR of each input",
		);
		this.file = file;
		this.first = first;
		this.second = second;
	}
}

/** A file this tool recognises but does not load (UF2, S-records, plain text, ...). */
export class UnsupportedImageError extends InputError {
	override readonly kind = "image-unsupported";
	readonly file: string;
	readonly detected: string;

	constructor(file: string, detected: string, message: string, hint?: string) {
		super(`${file}: ${message}`, { file, detected }, hint);
		this.file = file;
		this.detected = detected;
	}
}

/**
 * A container file (.dfu, HEX, ELF) given where raw bytes are written verbatim at an address:
 * its header would land in flash and the board would not boot.
 */
export class NotRawBinaryError extends InputError {
	override readonly kind = "image-not-raw";
	readonly file: string;
	readonly detected: string;

	constructor(file: string, detected: string, message: string, hint: string) {
		super(`${file}: ${message}`, { file, detected }, hint);
		this.file = file;
		this.detected = detected;
	}
}

/** A raw binary without a load address. */
export class LoadAddressRequiredError extends InputError {
	override readonly kind = "image-address-required";
	readonly file: string;

	constructor(file: string, hint: string) {
		super(
			`${file}: a raw binary has no addresses of its own; a load address is needed`,
			{ file },
			hint,
		);
		this.file = file;
	}
}

/** An image that cannot be written in the requested output format (e.g. a huge gap for .bin). */
export class ImageOutputError extends InputError {
	override readonly kind = "image-output";
	readonly file: string;

	constructor(
		file: string,
		message: string,
		details: Record<string, number | string> = {},
		hint?: string,
	) {
		super(`${file}: ${message}`, { file, ...details }, hint);
		this.file = file;
	}
}

/** The file could not be read at all (missing, a directory, no permission, far too large). */
export class ImageReadError extends InputError {
	override readonly kind = "image-read";
	readonly file: string;

	constructor(file: string, reason: string, hint?: string) {
		super(`cannot read ${file}: ${reason}`, { file }, hint);
		this.file = file;
	}
}
