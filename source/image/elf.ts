import { hex } from "../errors.js";
import { type ArmAttributes, parseArmAttributes } from "./arm-attributes.js";
import { asciiAt, ByteReader } from "./bytes.js";
import { MalformedImageError } from "./errors.js";
import type { Image, ImageSymbol } from "./image.js";
import { normaliseSegments, type PlacedSegment } from "./normalise.js";

/**
 * ELF32 little-endian ARM executables (System V ABI; ARM "ELF for the Arm Architecture"). What is
 * flashed: each PT_LOAD program header with p_filesz > 0, at its load address p_paddr (the LMA:
 * .data lives in RAM at run time but is stored in flash). Sections and symbols are kept for
 * messages only.
 */

const EM_ARM = 40;
const PT_LOAD = 1;
const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHT_ARM_ATTRIBUTES = 0x70000003;
const SHF_ALLOC = 0x2;
const ELF32_HEADER = 52;
const PH_SIZE = 32;
const SH_SIZE = 40;
const SYM_SIZE = 16;

const MACHINES: Record<number, string> = {
	2: "SPARC",
	3: "x86 (i386)",
	8: "MIPS",
	20: "PowerPC",
	21: "PowerPC 64",
	40: "ARM",
	62: "x86-64",
	83: "AVR",
	94: "Xtensa (ESP32)",
	105: "MSP430",
	183: "AArch64 (64-bit ARM)",
	243: "RISC-V",
};

const TYPES: Record<number, string> = {
	0: "an ELF file of no type",
	1: "a relocatable object (.o), not a linked program",
	3: "a shared object",
	4: "a core dump",
};

export function isElfFile(bytes: Uint8Array): boolean {
	return bytes.length >= 4 && bytes[0] === 0x7f && asciiAt(bytes, 1, "ELF");
}

function machineName(machine: number): string {
	return MACHINES[machine] ?? `machine ${machine}`;
}

export function parseElf(bytes: Uint8Array, source: string): Image {
	const r: ByteReader = new ByteReader(bytes, source);
	r.need(0, 16, "the ELF identification");
	if (!isElfFile(bytes)) r.fail(0, "not an ELF file: it does not start with 0x7F 'ELF'");
	const elfClass = bytes[4]!;
	const data = bytes[5]!;
	const hint =
		"build for a 32-bit little-endian ARM (Cortex-M) target, e.g. with arm-none-eabi-gcc";
	if (elfClass !== 1 || data !== 1) {
		const classText = elfClass === 1 ? "32-bit" : elfClass === 2 ? "64-bit" : `class ${elfClass}`;
		const dataText =
			data === 1 ? "little-endian" : data === 2 ? "big-endian" : `data encoding ${data}`;
		let machine = "";
		if (bytes.length >= 20) {
			const m = data === 2 ? (bytes[18]! << 8) | bytes[19]! : bytes[18]! | (bytes[19]! << 8);
			machine = ` for ${machineName(m)}`;
		}
		r.fail(
			elfClass !== 1 ? 4 : 5,
			`is a ${classText} ${dataText} ELF${machine}; only 32-bit little-endian ARM ELF files can be flashed`,
			hint,
		);
	}
	r.need(0, ELF32_HEADER, "the ELF header");
	const type = r.u16(16, "e_type");
	const machine = r.u16(18, "e_machine");
	if (machine !== EM_ARM) {
		r.fail(18, `is a 32-bit ELF for ${machineName(machine)}, not for ARM`, hint);
	}
	if (type !== 2) {
		r.fail(
			16,
			`is ${TYPES[type] ?? `an ELF of type ${type}`}; an executable (ET_EXEC) is needed`,
			"flash the linked .elf, not an object file",
		);
	}
	const entry = r.u32(24, "e_entry");
	const phoff = r.u32(28, "e_phoff");
	const shoff = r.u32(32, "e_shoff");
	const phentsize = r.u16(42, "e_phentsize");
	const phnum = r.u16(44, "e_phnum");
	const shentsize = r.u16(46, "e_shentsize");
	const shnum = r.u16(48, "e_shnum");
	const shstrndx = r.u16(50, "e_shstrndx");

	if (phnum === 0) r.fail(44, "the ELF has no program headers, so nothing to load");
	if (phentsize !== PH_SIZE) r.fail(42, `program header size ${phentsize} is not ${PH_SIZE}`);
	if (phnum === 0xffff) r.fail(44, "extended program header counts (PN_XNUM) are not supported");
	r.need(phoff, phnum * PH_SIZE, `${phnum} program headers at e_phoff ${phoff}`);

	const sections =
		shnum > 0 && shoff !== 0 ? readSections(r, shoff, shentsize, shnum, shstrndx) : [];

	const pieces: PlacedSegment[] = [];
	const warnings: string[] = [];
	for (let i = 0; i < phnum; i++) {
		const at = phoff + i * PH_SIZE;
		if (r.u32(at, "p_type") !== PT_LOAD) continue;
		const offset = r.u32(at + 4, "p_offset");
		const vaddr = r.u32(at + 8, "p_vaddr");
		const paddr = r.u32(at + 12, "p_paddr");
		const filesz = r.u32(at + 16, "p_filesz");
		const memsz = r.u32(at + 20, "p_memsz");
		if (filesz === 0) continue;
		if (filesz > memsz)
			r.fail(at + 16, `program header ${i}: p_filesz ${filesz} is larger than p_memsz ${memsz}`);
		if (offset + filesz > bytes.length) {
			r.fail(
				at + 4,
				`program header ${i}: its ${filesz} bytes at file offset ${offset} run past the end of the file (size ${bytes.length})`,
			);
		}
		if (paddr + filesz > 0x1_0000_0000) {
			r.fail(
				at + 12,
				`program header ${i}: ${filesz} bytes at ${hex(paddr)} run past the 32-bit address space`,
			);
		}
		const origin = `program header ${i}${paddr !== vaddr ? ` (runs at ${hex(vaddr)})` : ""}`;
		const inside = sections.filter(
			(s) => s.loaded && s.size > 0 && s.fileOffset >= offset && s.fileOffset < offset + filesz,
		);
		if (inside.length === 0) {
			// No section table (stripped) or no section inside: the segment is all we know.
			pieces.push({
				address: paddr,
				data: bytes.subarray(offset, offset + filesz),
				origin,
				position: { offset: at },
			});
			continue;
		}
		// Load only what sections cover: a linker may put the ELF headers themselves into the
		// first PT_LOAD, below the flash start, and those bytes are not firmware.
		let covered = 0;
		for (const s of inside) {
			const length = Math.min(s.size, offset + filesz - s.fileOffset);
			covered += length;
			pieces.push({
				address: paddr + (s.fileOffset - offset),
				data: bytes.subarray(s.fileOffset, s.fileOffset + length),
				name: s.name || undefined,
				origin: `${s.name || `section ${s.index}`} in ${origin}`,
				position: { offset: s.headerOffset },
			});
		}
		if (covered < filesz) {
			warnings.push(
				`${origin}: ${filesz - covered} of its ${filesz} bytes belong to no section (e.g. the ELF headers) and are not loaded`,
			);
		}
	}
	const segments = normaliseSegments(source, pieces);
	if (segments.length === 0)
		r.fail(phoff, "the ELF has no loadable segment with data (PT_LOAD with p_filesz > 0)");

	const { symbols, files } = readSymbols(r, sections);
	const attributes = readAttributes(r, sections, warnings);
	const unloaded = sections
		.filter((s) => !s.loaded && s.type !== SHT_NOBITS && s.type !== 0 && s.size > 0)
		.map((s) => ({ name: s.name, data: bytes.subarray(s.fileOffset, s.fileOffset + s.size) }));
	return {
		format: "elf",
		source,
		segments,
		entry,
		sections: sections
			.filter((s) => s.allocated && s.size > 0 && s.name.length > 0)
			.map((s) => ({ name: s.name, address: s.address, size: s.size })),
		...(symbols.length ? { symbols } : {}),
		...(files.length ? { sourceFiles: files } : {}),
		...(attributes ? { attributes } : {}),
		...(unloaded.length ? { unloaded } : {}),
		...(warnings.length ? { warnings } : {}),
	};
}

interface SectionHeader {
	index: number;
	name: string;
	type: number;
	address: number;
	fileOffset: number;
	size: number;
	link: number;
	entsize: number;
	allocated: boolean;
	/** Takes bytes in the file and in flash (SHF_ALLOC and not NOBITS). */
	loaded: boolean;
	headerOffset: number;
}

function readString(
	r: ByteReader,
	table: { fileOffset: number; size: number },
	at: number,
): string {
	if (at >= table.size) return "";
	let text = "";
	for (let i = table.fileOffset + at; i < table.fileOffset + table.size && i < r.length; i++) {
		const c = r.bytes[i]!;
		if (c === 0) break;
		text += String.fromCharCode(c);
		if (text.length > 256) break;
	}
	return text;
}

function readSections(
	r: ByteReader,
	shoff: number,
	shentsize: number,
	shnum: number,
	shstrndx: number,
): SectionHeader[] {
	if (shentsize !== SH_SIZE) r.fail(46, `section header size ${shentsize} is not ${SH_SIZE}`);
	r.need(shoff, shnum * SH_SIZE, `${shnum} section headers at e_shoff ${shoff}`);
	const headers: SectionHeader[] = [];
	for (let i = 0; i < shnum; i++) {
		const at = shoff + i * SH_SIZE;
		const type = r.u32(at + 4, "sh_type");
		const flags = r.u32(at + 8, "sh_flags");
		const fileOffset = r.u32(at + 16, "sh_offset");
		const size = r.u32(at + 20, "sh_size");
		if (type !== SHT_NOBITS && type !== 0 && fileOffset + size > r.length) {
			r.fail(
				at + 16,
				`section ${i}: its ${size} bytes at file offset ${fileOffset} run past the end of the file (size ${r.length})`,
			);
		}
		headers.push({
			index: i,
			name: "",
			type,
			address: r.u32(at + 12, "sh_addr"),
			fileOffset,
			size,
			link: r.u32(at + 24, "sh_link"),
			entsize: r.u32(at + 36, "sh_entsize"),
			allocated: (flags & SHF_ALLOC) !== 0,
			loaded: (flags & SHF_ALLOC) !== 0 && type !== SHT_NOBITS,
			headerOffset: at,
		});
	}
	if (shstrndx !== 0) {
		if (shstrndx >= shnum)
			r.fail(50, `e_shstrndx ${shstrndx} is not a section (there are ${shnum})`);
		const names = headers[shstrndx]!;
		headers.forEach((h, i) => {
			h.name = readString(r, names, r.u32(shoff + i * SH_SIZE, "sh_name"));
		});
	}
	return headers;
}

const STT_OBJECT = 1;
const STT_FUNC = 2;
const STT_FILE = 4;

/** The build attributes, when the ELF has them; a malformed section is a warning, not a failure. */
function readAttributes(
	r: ByteReader,
	sections: SectionHeader[],
	warnings: string[],
): ArmAttributes | undefined {
	const section = sections.find((s) => s.type === SHT_ARM_ATTRIBUTES);
	if (!section || section.size === 0) return undefined;
	try {
		return parseArmAttributes(
			r.bytes.subarray(section.fileOffset, section.fileOffset + section.size),
			r.file,
			section.fileOffset,
		);
	} catch (error) {
		if (!(error instanceof MalformedImageError)) throw error;
		warnings.push(`${error.message}; the build attributes were ignored`);
		return undefined;
	}
}

function readSymbols(
	r: ByteReader,
	sections: SectionHeader[],
): { symbols: ImageSymbol[]; files: string[] } {
	const table = sections.find((s) => s.type === SHT_SYMTAB);
	if (!table) return { symbols: [], files: [] };
	if (table.entsize !== SYM_SIZE)
		r.fail(table.headerOffset + 36, `.symtab entry size ${table.entsize} is not ${SYM_SIZE}`);
	const strings = sections[table.link];
	if (!strings)
		r.fail(
			table.headerOffset + 24,
			`.symtab links to string table ${table.link}, which does not exist`,
		);
	const symbols: ImageSymbol[] = [];
	const files = new Set<string>();
	const count = Math.floor(table.size / SYM_SIZE);
	for (let i = 1; i < count; i++) {
		const at = table.fileOffset + i * SYM_SIZE;
		const kind = r.u8(at + 12, "st_info") & 0xf;
		if (kind === STT_FILE) {
			const file = readString(r, strings, r.u32(at, "st_name"));
			if (file && files.size < 4096) files.add(file);
			continue;
		}
		if (kind !== STT_FUNC && kind !== STT_OBJECT) continue;
		const name = readString(r, strings, r.u32(at, "st_name"));
		if (!name) continue;
		symbols.push({ name, address: r.u32(at + 4, "st_value"), size: r.u32(at + 8, "st_size") });
	}
	return { symbols: symbols.sort((a, b) => a.address - b.address), files: [...files] };
}
