/**
 * A minimal ELF32 little-endian ARM executable, as arm-none-eabi-ld lays one out: one PT_LOAD
 * program header for .text, a symbol table and the string tables (System V ABI, "ELF for the
 * Arm Architecture"). Enough for the ELF reader and the inspector; built here so that a test can
 * choose the symbols.
 */

export interface ElfSymbol {
	name: string;
	/** st_value: a Thumb function's address has bit 0 set. */
	value: number;
	/** STB_GLOBAL (1) or STB_WEAK (2); functions (STT_FUNC) in .text. */
	weak?: boolean;
}

const EHDR = 52;
const PHDR = 32;
const SHDR = 40;
const SYM = 16;

function strings(names: string[]): { bytes: Uint8Array; offsets: number[] } {
	const offsets: number[] = [];
	const parts: number[] = [0];
	for (const name of names) {
		offsets.push(parts.length);
		for (const c of name) parts.push(c.charCodeAt(0));
		parts.push(0);
	}
	return { bytes: Uint8Array.from(parts), offsets };
}

const align4 = (n: number) => (n + 3) & ~3;

export function syntheticElf(text: Uint8Array, address: number, symbols: ElfSymbol[]): Uint8Array {
	const strtab = strings(symbols.map((s) => s.name));
	const shstrtab = strings([".text", ".symtab", ".strtab", ".shstrtab"]);
	const textAt = 0x100;
	const symtabAt = align4(textAt + text.length);
	const symtabSize = (symbols.length + 1) * SYM;
	const strtabAt = symtabAt + symtabSize;
	const shstrtabAt = strtabAt + strtab.bytes.length;
	const shAt = align4(shstrtabAt + shstrtab.bytes.length);
	const out = new Uint8Array(shAt + 5 * SHDR);
	const v = new DataView(out.buffer);
	out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0); // ELF, 32-bit, little-endian, version 1
	v.setUint16(16, 2, true); // ET_EXEC
	v.setUint16(18, 40, true); // EM_ARM
	v.setUint32(20, 1, true);
	v.setUint32(24, (symbols.find((s) => s.name === "Reset_Handler")?.value ?? address) >>> 0, true);
	v.setUint32(28, EHDR, true); // e_phoff
	v.setUint32(32, shAt, true); // e_shoff
	v.setUint32(36, 0x05000200, true); // e_flags: EABI version 5, soft-float
	v.setUint16(40, EHDR, true);
	v.setUint16(42, PHDR, true);
	v.setUint16(44, 1, true);
	v.setUint16(46, SHDR, true);
	v.setUint16(48, 5, true);
	v.setUint16(50, 4, true); // .shstrtab
	// PT_LOAD for .text
	v.setUint32(EHDR, 1, true);
	v.setUint32(EHDR + 4, textAt, true);
	v.setUint32(EHDR + 8, address >>> 0, true);
	v.setUint32(EHDR + 12, address >>> 0, true);
	v.setUint32(EHDR + 16, text.length, true);
	v.setUint32(EHDR + 20, text.length, true);
	v.setUint32(EHDR + 24, 5, true); // R+X
	v.setUint32(EHDR + 28, 4, true);
	out.set(text, textAt);
	symbols.forEach((s, i) => {
		const at = symtabAt + (i + 1) * SYM;
		v.setUint32(at, strtab.offsets[i]!, true);
		v.setUint32(at + 4, s.value >>> 0, true);
		v.setUint32(at + 8, 2, true);
		out[at + 12] = ((s.weak ? 2 : 1) << 4) | 2; // binding, STT_FUNC
		v.setUint16(at + 14, 1, true); // in .text
	});
	out.set(strtab.bytes, strtabAt);
	out.set(shstrtab.bytes, shstrtabAt);
	const section = (
		i: number,
		name: number,
		type: number,
		flags: number,
		addr: number,
		offset: number,
		size: number,
		link = 0,
		info = 0,
		entsize = 0,
	) => {
		const at = shAt + i * SHDR;
		v.setUint32(at, name, true);
		v.setUint32(at + 4, type, true);
		v.setUint32(at + 8, flags, true);
		v.setUint32(at + 12, addr >>> 0, true);
		v.setUint32(at + 16, offset, true);
		v.setUint32(at + 20, size, true);
		v.setUint32(at + 24, link, true);
		v.setUint32(at + 28, info, true);
		v.setUint32(at + 32, 4, true);
		v.setUint32(at + 36, entsize, true);
	};
	section(1, shstrtab.offsets[0]!, 1, 0x6, address, textAt, text.length); // .text, ALLOC|EXEC
	section(2, shstrtab.offsets[1]!, 2, 0, 0, symtabAt, symtabSize, 3, 1, SYM); // .symtab
	section(3, shstrtab.offsets[2]!, 3, 0, 0, strtabAt, strtab.bytes.length); // .strtab
	section(4, shstrtab.offsets[3]!, 3, 0, 0, shstrtabAt, shstrtab.bytes.length); // .shstrtab
	return out;
}
