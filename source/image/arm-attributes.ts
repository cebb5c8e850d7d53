import { ByteReader } from "./bytes.js";

/**
 * The build attributes an ARM ELF records in its .ARM.attributes section: which architecture
 * and CPU the code was compiled for and which floating-point unit it uses. Format and tag
 * numbers: "Addenda to, and Errata in, the ABI for the Arm Architecture" (IHI 0045) §2.2-§2.5.
 */
export interface ArmAttributes {
	/** Tag_CPU_name, e.g. "cortex-m4" or "7E-M". */
	cpuName?: string;
	/** Tag_CPU_arch: 10 = v7 (M3 with profile M), 11 = v6-M, 12 = v6S-M, 13 = v7E-M, 16/17 = v8-M. */
	cpuArch?: number;
	/** Tag_CPU_arch_profile: "M" for microcontroller profiles. */
	profile?: string;
	/** Tag_FP_arch: 0 none, 3/4 VFPv3, 5/6 VFPv4, 7/8 ARMv8 FP (FPv5). */
	fpArch?: number;
	/** Tag_ABI_HardFP_use: 1 = single precision only, 3/0 = as the FP arch allows. */
	hardFpUse?: number;
}

/** Architecture names for Tag_CPU_arch values that occur on Cortex-M. */
export const CPU_ARCH_NAMES: Record<number, string> = {
	10: "ARMv7",
	11: "ARMv6-M",
	12: "ARMv6S-M",
	13: "ARMv7E-M",
	16: "ARMv8-M baseline",
	17: "ARMv8-M mainline",
	21: "ARMv8.1-M mainline",
};

const TAG_FILE = 1;
const TAG_CPU_NAME = 5;
const TAG_CPU_RAW_NAME = 4;
const TAG_CPU_ARCH = 6;
const TAG_CPU_ARCH_PROFILE = 7;
const TAG_FP_ARCH = 10;
const TAG_ABI_HARDFP_USE = 27;
const TAG_COMPATIBILITY = 32;
const TAG_ALSO_COMPATIBLE_WITH = 65;
const TAG_CONFORMANCE = 67;

/** Tags below 32 whose value is a NUL-terminated string; above 32, odd tags are strings. */
function isStringTag(tag: number): boolean {
	return tag === TAG_CPU_RAW_NAME || tag === TAG_CPU_NAME || tag === TAG_CONFORMANCE
		? true
		: tag > TAG_COMPATIBILITY && tag % 2 === 1;
}

class Cursor {
	constructor(
		private readonly r: ByteReader,
		public at: number,
		private readonly end: number,
	) {}

	get done(): boolean {
		return this.at >= this.end;
	}

	uleb(what: string): number {
		let value = 0;
		let shift = 0;
		for (;;) {
			if (this.at >= this.end) this.r.fail(this.at, `.ARM.attributes: ${what} runs past its end`);
			const b = this.r.bytes[this.at++]!;
			if (shift < 35) value += (b & 0x7f) * 2 ** shift;
			shift += 7;
			if ((b & 0x80) === 0) return value;
			if (shift > 63) this.r.fail(this.at, `.ARM.attributes: ${what} is not a ULEB128 number`);
		}
	}

	string(what: string): string {
		let text = "";
		for (;;) {
			if (this.at >= this.end)
				this.r.fail(this.at, `.ARM.attributes: ${what} is not terminated inside its section`);
			const c = this.r.bytes[this.at++]!;
			if (c === 0) return text;
			if (text.length < 64) text += String.fromCharCode(c);
		}
	}
}

/**
 * Reads the "aeabi" subsection's file-scope attributes from the bytes of a .ARM.attributes
 * section. Malformed input raises the ByteReader's typed MalformedImageError, naming the offset
 * in `file` (`base` is where the section starts in that file).
 */
export function parseArmAttributes(section: Uint8Array, file = "", base = 0): ArmAttributes {
	const r = new ByteReader(section, file);
	const fail = (offset: number, problem: string): never =>
		r.fail(base + offset, `.ARM.attributes: ${problem}`);
	if (section.length === 0) return {};
	if (section[0] !== 0x41) fail(0, `format version ${section[0]} is not 'A'`);
	const out: ArmAttributes = {};
	let at = 1;
	while (at < section.length) {
		const length = r.u32(at, "an attributes subsection length");
		if (length < 4 || at + length > section.length)
			fail(at, `subsection of ${length} bytes does not fit the ${section.length}-byte section`);
		const end = at + length;
		const vendor = new Cursor(r, at + 4, end).string("the vendor name");
		let p = at + 4 + vendor.length + 1;
		if (vendor === "aeabi") {
			while (p < end) {
				const c = new Cursor(r, p, end);
				const tag = c.uleb("a sub-subsection tag");
				const size = r.u32(c.at, "a sub-subsection size");
				if (size < 5 || p + size > end)
					fail(p, `attribute block of ${size} bytes does not fit its subsection`);
				if (tag === TAG_FILE) readTags(new Cursor(r, c.at + 4, p + size), out);
				p += size;
			}
		}
		at = end;
	}
	return out;
}

function readTags(c: Cursor, out: ArmAttributes): void {
	while (!c.done) {
		const tag = c.uleb("an attribute tag");
		if (tag === TAG_COMPATIBILITY) {
			c.uleb("Tag_compatibility's flag");
			c.string("Tag_compatibility's vendor");
		} else if (tag === TAG_ALSO_COMPATIBLE_WITH) {
			// A nested (tag, value) pair, stored as a NUL-terminated byte string.
			c.string("Tag_also_compatible_with");
		} else if (isStringTag(tag)) {
			const text = c.string(`attribute ${tag}`);
			if (tag === TAG_CPU_NAME) out.cpuName = text;
		} else {
			const value = c.uleb(`attribute ${tag}`);
			if (tag === TAG_CPU_ARCH) out.cpuArch = value;
			else if (tag === TAG_CPU_ARCH_PROFILE) out.profile = String.fromCharCode(value);
			else if (tag === TAG_FP_ARCH) out.fpArch = value;
			else if (tag === TAG_ABI_HARDFP_USE) out.hardFpUse = value;
		}
	}
}
