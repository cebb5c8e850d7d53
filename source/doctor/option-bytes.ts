import { DeviceError, hex } from "../errors.js";
import type { Finding } from "../store/events.js";
import { causedFinding } from "./checklist-findings.js";

/**
 * Option bytes as the ROM DFU loader shows them (alt "Option Bytes"), decoded per family into
 * named fields and findings: every setting that can stop a boot from flash is a finding with its
 * fix. Pure: bytes + family in, decoded fields out.
 *
 * Layouts (offsets from the start of the option-byte area as read over DFU):
 * - F2/F4 (RM0033/RM0090 §3.7, docs/dfuse-protocol.md §1e): 0x1FFFC000, byte 0 USER, byte 1 RDP,
 *   bytes 8-9 nWRP[11:0] (+ F42x/43x DB1M bit 14, SPRMOD bit 15).
 * - F7 (RM0385/RM0410): 0x1FFF0000, byte 0 USER, byte 1 RDP, bytes 8-9 nWRP + nDBOOT/nDBANK/
 *   IWDG_STDBY/IWDG_STOP, bytes 16-17 BOOT_ADD0, bytes 24-25 BOOT_ADD1 (address = value << 14).
 *   The packing of bytes 8-9 is inferred from FLASH_OPTCR[31:16].
 * - G0/G4/L4 (0x1FFF7800) and WB (0x1FFF8000): FLASH_OPTR at offset 0, WRP1AR at 0x18,
 *   WRP1BR at 0x20 (each 32-bit word followed by its complement).
 * - H7 (RM0433): the loader maps the FLASH option registers from 0x5200201C: OPTSR_CUR at 0,
 *   WPSN_CUR1R at 0x1C, BOOT_CURR at 0x24 (BOOT_ADD0 [15:0], BOOT_ADD1 [31:16], address = value << 16).
 */

export type OptionFamily = "F2" | "F4" | "F7" | "G0" | "G4" | "L4" | "WB" | "H7";

export const OPTION_BYTE_AREAS: Record<OptionFamily, { address: number; length: number }> = {
	F2: { address: 0x1fffc000, length: 16 },
	F4: { address: 0x1fffc000, length: 16 },
	F7: { address: 0x1fff0000, length: 32 },
	G0: { address: 0x1fff7800, length: 40 },
	G4: { address: 0x1fff7800, length: 40 },
	L4: { address: 0x1fff7800, length: 40 },
	WB: { address: 0x1fff8000, length: 40 },
	H7: { address: 0x5200201c, length: 44 },
};

export interface OptionField {
	name: string;
	value: number;
	/** What the value means, in words. */
	meaning: string;
}

export interface DecodedOptionBytes {
	family: OptionFamily;
	rdpLevel: 0 | 1 | 2;
	fields: OptionField[];
	/** Sectors (F2/F4/F7/H7) or pages (G0/G4/L4/WB) that are write-protected. */
	protectedSectors: number[];
	/** The watchdog starts by itself at reset (WDG_SW / IWDG_SW = 0). */
	hardwareWatchdog: boolean;
	/** The brown-out reset threshold in volts; absent when it is off or not decoded here. */
	brownOutVolts?: number;
	findings: Finding[];
}

export interface DecodeContext {
	/** Part name when known ("STM32F427/437"): BFB2 and SPRMOD exist on F42x/43x only. */
	part?: string;
	/**
	 * Address ranges of the image that was flashed: write protection on them is an error, on other
	 * sectors a warning. Without an image, any write protection is an error, since it may be why
	 * the flash does not hold what was downloaded.
	 */
	imageRanges?: { address: number; size: number }[];
	/** Flash sectors in order (from the loader's memory layout); defaults per family. */
	sectors?: { address: number; size: number }[];
	/**
	 * The option-byte alt's second address run, when it has one: F42x/43x bank 2 at 0x1FFEC000
	 * (nWRP of sectors 12-23 at +8), G4 dual-bank bank 2 at 0x1FFFF800 (WRP2AR/WRP2BR).
	 */
	secondRun?: Uint8Array;
}

/** The device returned fewer option bytes than the family's layout holds. */
export class OptionBytesFormatError extends DeviceError {
	override readonly kind = "option-bytes-format";
	constructor(
		readonly family: string,
		readonly expected: number,
		readonly got: number,
	) {
		super(
			`${family} option bytes need ${expected} bytes, got ${got}`,
			{ family, expected, got },
			"Read the whole option-byte area of the Option Bytes alt setting.",
		);
	}
}

/** "F4", "STM32F405/407", "L4+", "STM32WB55" → the option-byte family, or undefined. */
export function optionFamily(family: string | undefined): OptionFamily | undefined {
	const f = (family ?? "").toUpperCase().replace(/^STM32/, "");
	for (const k of ["F2", "F4", "F7", "G0", "G4", "L4", "WB", "H7"] as const)
		if (f.startsWith(k)) return k;
	if (f.startsWith("C0")) return "G0";
	return undefined;
}

const u16 = (b: Uint8Array, at: number) => (b[at] ?? 0xff) | ((b[at + 1] ?? 0xff) << 8);
const u32 = (b: Uint8Array, at: number) => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;
const bit = (v: number, n: number) => (v >>> n) & 1;

function rdpLevel(rdp: number): 0 | 1 | 2 {
	if (rdp === 0xaa) return 0;
	if (rdp === 0xcc) return 2;
	return 1;
}

/** A read of flash or option bytes that failed with errVENDOR: the chip is read-protected. */
export function readProtectionFinding(what = "flash"): Finding {
	return causedFinding(
		"ob.rdp-read-failed",
		"error",
		"read-protection",
		`Reading the ${what} failed with errVENDOR: read protection (RDP level 1) is active, so the loader neither reads nor writes flash and the download did not land.`,
		"Remove read protection (read-unprotect mass-erases the whole flash), then flash again.",
		{ what },
	);
}

function rdpFindings(rdp: number): Finding[] {
	const level = rdpLevel(rdp);
	if (level === 0) return [];
	if (level === 2)
		return [
			causedFinding(
				"ob.rdp-level2",
				"error",
				"read-protection",
				"Read protection level 2 (RDP 0xCC): the chip is locked for good; no bootloader, no debug.",
				undefined,
				{ rdp: hex(rdp, 2) },
			),
		];
	return [
		causedFinding(
			"ob.rdp-level1",
			"error",
			"read-protection",
			`Read protection level 1 (RDP ${hex(rdp, 2)}): the loader cannot write or read flash, so the download did not land.`,
			"Remove read protection (read-unprotect mass-erases the whole flash), then flash again.",
			{ rdp: hex(rdp, 2) },
		),
	];
}

function watchdogFinding(hardware: boolean, name: string): Finding[] {
	if (!hardware) return [];
	return [
		causedFinding(
			"ob.iwdg-hardware",
			"warning",
			"watchdog",
			`${name} = 0: the independent watchdog starts by itself at reset (about 0.5 s with the reset prescaler); an app that does not refresh it early resets in a loop.`,
			`Refresh the IWDG early in main (before slow init), or set ${name} = 1 (software watchdog).`,
			{ [name]: 0 },
		),
	];
}

function stopStandbyFindings(nRstStop: number, nRstStdby: number): Finding[] {
	const out: Finding[] = [];
	if (nRstStop === 0)
		out.push(
			causedFinding(
				"ob.nrst-stop",
				"info",
				"reset-loop",
				"nRST_STOP = 0: entering Stop mode resets the chip instead.",
				"Set nRST_STOP = 1 if the app uses Stop mode.",
			),
		);
	if (nRstStdby === 0)
		out.push(
			causedFinding(
				"ob.nrst-stdby",
				"info",
				"reset-loop",
				"nRST_STDBY = 0: entering Standby mode resets the chip instead.",
				"Set nRST_STDBY = 1 if the app uses Standby mode.",
			),
		);
	return out;
}

function borFinding(levelName: string, volts: number | undefined): Finding[] {
	if (volts === undefined) return [];
	return [
		causedFinding(
			"ob.bor-level",
			volts >= 2.7 ? "warning" : "info",
			"brown-out",
			`Brown-out reset at ${levelName} (${volts} V): the chip resets whenever VDD dips below it.`,
			volts >= 2.7 ? "On a weak USB supply, try a bench supply or a lower BOR_LEV." : undefined,
			{ BOR_LEV: levelName },
		),
	];
}

/** BOR_LEV codes in order: the level's name and its threshold (undefined: brown-out reset off). */
type BorLevels = readonly (readonly [name: string, volts: number | undefined])[];

const F2_F4_F7_BOR: BorLevels = [
	["BOR3", 2.7],
	["BOR2", 2.4],
	["BOR1", 2.1],
	["off", undefined],
];

const H7_BOR: BorLevels = [
	["off", undefined],
	["level 1", 2.1],
	["level 2", 2.4],
	["level 3", 2.7],
];

function brownOut(
	borLev: number,
	levels: BorLevels,
): { field: OptionField; findings: Finding[]; volts: number | undefined } {
	const [name, volts] = levels[borLev]!;
	return {
		field: { name: "BOR_LEV", value: borLev, meaning: name },
		findings: borFinding(name, volts),
		volts,
	};
}

/** The typed facts the boot watch needs, without the ones that are not there. */
function supplyFacts(hardwareWatchdog: boolean, volts: number | undefined) {
	return { hardwareWatchdog, ...(volts !== undefined ? { brownOutVolts: volts } : {}) };
}

const rdpField = (rdp: number): OptionField => ({
	name: "RDP",
	value: rdp,
	meaning: `level ${rdpLevel(rdp)}`,
});

/** A one-bit option: its value and what that value means. */
const bitField = (name: string, value: number, ifSet: string, ifClear: string): OptionField => ({
	name,
	value,
	meaning: value ? ifSet : ifClear,
});

const watchdogField = (name: string, value: number) =>
	bitField(name, value, "software watchdog", "hardware watchdog (runs from reset)");

const resetOnStopField = (name: string, value: number) =>
	bitField(name, value, "no reset on Stop", "reset on Stop");

const resetOnStandbyField = (name: string, value: number) =>
	bitField(name, value, "no reset on Standby", "reset on Standby");

const nWrpField = (name: string, value: number): OptionField => ({
	name,
	value,
	meaning: "0 bit = sector write-protected",
});

/**
 * The F2/F4/F7 USER option byte: nRST_STDBY (bit 7), nRST_STOP (6), the watchdog bit (5, WDG_SW
 * on F2/F4, IWDG_SW on F7), WWDG_SW (4, F7 only; F42x/43x put BFB2 there) and BOR_LEV (3:2).
 */
function f2f4f7UserByte(
	user: number,
	watchdogName: "WDG_SW" | "IWDG_SW",
	windowWatchdog: boolean,
): { fields: OptionField[]; findings: Finding[]; facts: ReturnType<typeof supplyFacts> } {
	const bor = brownOut((user >> 2) & 3, F2_F4_F7_BOR);
	const fields = [
		resetOnStandbyField("nRST_STDBY", bit(user, 7)),
		resetOnStopField("nRST_STOP", bit(user, 6)),
		watchdogField(watchdogName, bit(user, 5)),
	];
	if (windowWatchdog)
		fields.push(
			bitField("WWDG_SW", bit(user, 4), "software window watchdog", "hardware window watchdog"),
		);
	fields.push(bor.field);
	const findings = [
		...watchdogFinding(bit(user, 5) === 0, watchdogName),
		...stopStandbyFindings(bit(user, 6), bit(user, 7)),
		...bor.findings,
	];
	return { fields, findings, facts: supplyFacts(bit(user, 5) === 0, bor.volts) };
}

function bfb2Finding(): Finding {
	return causedFinding(
		"ob.bfb2",
		"error",
		"boot-option",
		"BFB2 = 1: the chip starts in system memory and boots bank 2 when it holds a valid image, bank 1 otherwise; an image in bank 1 may never be reached.",
		"Clear BFB2 in the option bytes unless you use dual-bank boot.",
	);
}

/** Sectors 0..count-1 whose bit in an nWRP-style word is 0 (write-protected). */
function clearedBits(word: number, count: number): number[] {
	const out: number[] = [];
	for (let i = 0; i < count; i++) if (bit(word, i) === 0) out.push(i);
	return out;
}

/** Sector maps when the loader's layout is not given: F2/F4 1 MiB, F74x 1 MiB, H7 bank 1. */
function defaultSectors(family: OptionFamily): { address: number; size: number }[] {
	const base = 0x08000000;
	const sizes =
		family === "F7"
			? [32, 32, 32, 32, 128, 256, 256, 256]
			: family === "H7"
				? [128, 128, 128, 128, 128, 128, 128, 128]
				: [16, 16, 16, 16, 64, 128, 128, 128, 128, 128, 128, 128];
	let at = base;
	return sizes.map((kb) => {
		const s = { address: at, size: kb * 1024 };
		at += kb * 1024;
		return s;
	});
}

function overlaps(
	a: { address: number; size: number },
	ranges: { address: number; size: number }[],
) {
	return ranges.some((r) => r.address < a.address + a.size && a.address < r.address + r.size);
}

function wrpFindings(
	protectedUnits: number[],
	unitName: "sector" | "page",
	addressOf: (n: number) => { address: number; size: number } | undefined,
	ctx: DecodeContext,
): Finding[] {
	if (protectedUnits.length === 0) return [];
	const onImage = ctx.imageRanges
		? protectedUnits.filter((n) => {
				const r = addressOf(n);
				return r !== undefined && overlaps(r, ctx.imageRanges!);
			})
		: protectedUnits;
	const list = (ns: number[]) => ns.join(", ");
	const first = addressOf(protectedUnits[0]!);
	const evidence = {
		[unitName === "sector" ? "sectors" : "pages"]: list(protectedUnits),
		...(first ? { firstAddress: hex(first.address) } : {}),
	};
	if (onImage.length > 0)
		return [
			causedFinding(
				"ob.wrp",
				"error",
				"write-protection",
				`Write protection on ${unitName}${onImage.length > 1 ? "s" : ""} ${list(onImage)}${
					ctx.imageRanges ? " where the image goes" : ""
				}: the loader's erase returns no error there, so the old content stays.`,
				unitName === "sector"
					? "Clear the write protection (nWRP bits) for those sectors in the option bytes (this does not erase), then flash again."
					: "Empty the WRP area (set its start above its end) in the option bytes, then flash again.",
				evidence,
			),
		];
	return [
		causedFinding(
			"ob.wrp",
			"warning",
			"write-protection",
			`Write protection on ${unitName}${protectedUnits.length > 1 ? "s" : ""} ${list(protectedUnits)} (outside the image).`,
			unitName === "sector"
				? "Clear the nWRP bits before you write there."
				: "Empty the WRP area before you write there.",
			evidence,
		),
	];
}

function decodeF2F4(family: "F2" | "F4", b: Uint8Array, ctx: DecodeContext): DecodedOptionBytes {
	const user = b[0] ?? 0xff;
	const rdp = b[1] ?? 0xff;
	const wrpWord = u16(b, 8);
	const f42x = /F4[23][79]|F469|F479/i.test(ctx.part ?? "");
	const sprmod = f42x ? bit(wrpWord, 15) : 0;
	const userByte = f2f4f7UserByte(user, "WDG_SW", false);
	const fields: OptionField[] = [
		rdpField(rdp),
		...userByte.fields,
		nWrpField("nWRP", wrpWord & 0xfff),
	];
	const findings: Finding[] = [...rdpFindings(rdp), ...userByte.findings];
	if (family === "F4" && f42x) {
		fields.push(
			bitField(
				"BFB2",
				bit(user, 4),
				"boot from bank 2 first (via system memory)",
				"boot from bank 1",
			),
		);
		if (bit(user, 4)) findings.push(bfb2Finding());
		fields.push(
			bitField("SPRMOD", sprmod, "nWRP bits select PCROP", "nWRP bits select write protection"),
		);
		fields.push(bitField("DB1M", bit(wrpWord, 14), "1 MiB dual bank", "single bank"));
	}
	const sectors = ctx.sectors ?? defaultSectors(family);
	// With SPRMOD = 1 a 1 bit means PCROP (read protection of the code), not write protection.
	const protectedSectors: number[] = [];
	const bank2Word = ctx.secondRun && ctx.secondRun.length >= 10 ? u16(ctx.secondRun, 8) : undefined;
	for (let i = 0; i < Math.min(24, sectors.length); i++) {
		const word = i < 12 ? wrpWord : bank2Word;
		if (word === undefined) break;
		const b = bit(word, i % 12);
		if (sprmod ? b === 1 : b === 0) protectedSectors.push(i);
	}
	if (bank2Word !== undefined) fields.push(nWrpField("nWRP (sectors 12-23)", bank2Word & 0xfff));
	findings.push(...wrpFindings(protectedSectors, "sector", (n) => sectors[n], ctx));
	return {
		family,
		rdpLevel: rdpLevel(rdp),
		fields,
		protectedSectors,
		...userByte.facts,
		findings,
	};
}

/** How a family's BOOT_ADDx option values map to addresses: address = value << shift. */
interface BootAddressMap {
	shift: number;
	/** What lies at the address, in words; "flash…" and "system memory…" are read by the findings. */
	where(address: number): string;
}

const F7_BOOT: BootAddressMap = { shift: 14, where: f7BootTarget };

function f7BootTarget(addr: number): string {
	if (addr >= 0x00200000 && addr < 0x00400000) return "flash (ITCM)";
	if (addr >= 0x08000000 && addr < 0x08200000) return "flash (AXIM)";
	if (addr === 0x00100000) return "system memory (bootloader)";
	if (addr < 0x00010000) return "ITCM RAM";
	if (addr >= 0x20000000 && addr < 0x20080000) return "SRAM";
	return "no memory";
}

function decodeF7(b: Uint8Array, ctx: DecodeContext): DecodedOptionBytes {
	const user = b[0] ?? 0xff;
	const rdp = b[1] ?? 0xff;
	const word = u16(b, 8);
	const bootAdd0 = u16(b, 16);
	const bootAdd1 = u16(b, 24);
	const userByte = f2f4f7UserByte(user, "IWDG_SW", true);
	const fields: OptionField[] = [
		rdpField(rdp),
		...userByte.fields,
		nWrpField("nWRP", word & 0xfff),
		bootAddressField("BOOT_ADD0", bootAdd0, F7_BOOT),
		bootAddressField("BOOT_ADD1", bootAdd1, F7_BOOT),
	];
	const findings: Finding[] = [
		...rdpFindings(rdp),
		...userByte.findings,
		...bootAddressFindings(
			"BOOT_ADD0",
			bootAdd0,
			F7_BOOT,
			"0x0080 (0x00200000) or 0x2000 (0x08000000)",
		),
	];
	const sectors = ctx.sectors ?? defaultSectors("F7");
	const protectedSectors = clearedBits(word, Math.min(12, sectors.length));
	findings.push(...wrpFindings(protectedSectors, "sector", (n) => sectors[n], ctx));
	return {
		family: "F7",
		rdpLevel: rdpLevel(rdp),
		fields,
		protectedSectors,
		...userByte.facts,
		findings,
	};
}

function bootAddressField(name: string, value: number, map: BootAddressMap): OptionField {
	const address = (value << map.shift) >>> 0;
	return { name, value, meaning: `${hex(address)}: ${map.where(address)}` };
}

function bootAddressFindings(
	name: string,
	value: number,
	map: BootAddressMap,
	good: string,
): Finding[] {
	const address = (value << map.shift) >>> 0;
	const where = map.where(address);
	if (where.startsWith("flash")) return [];
	const toLoader = where.startsWith("system memory");
	return [
		causedFinding(
			`ob.${name.toLowerCase().replace("_", "-")}`,
			"error",
			"boot-option",
			toLoader
				? `${name} = ${hex(value, 4)} points at the system memory: with BOOT0 low the chip still starts the bootloader.`
				: `${name} = ${hex(value, 4)} points at ${hex(address)} (${where}), not at flash: with BOOT0 low the chip cannot start your code.`,
			`Set ${name} to ${good} in the option bytes.`,
			{ [name]: hex(value, 4) },
		),
	];
}

/** G0/G4/L4/WB: where BOOT0 comes from and what it is after reset. */
function bootSelection(family: OptionFamily, optr: number) {
	if (family === "G0") {
		const nBootSel = bit(optr, 24);
		return {
			fromPin: nBootSel === 0,
			selName: "nBOOT_SEL",
			selValue: nBootSel,
			nBoot1: bit(optr, 25),
			nBoot0: bit(optr, 26),
		};
	}
	const nSwBoot0 = bit(optr, 26);
	return {
		fromPin: nSwBoot0 === 1,
		selName: "nSWBOOT0",
		selValue: nSwBoot0,
		nBoot1: bit(optr, 23),
		nBoot0: bit(optr, 27),
	};
}

/** G0/G4/L4/WB: the FLASH_OPTR word and the WRP area words after it. */
function decodeOptr(
	family: "G0" | "G4" | "L4" | "WB",
	b: Uint8Array,
	ctx: DecodeContext,
): DecodedOptionBytes {
	const optr = u32(b, 0);
	const rdp = optr & 0xff;
	const sel = bootSelection(family, optr);
	const iwdgSw = bit(optr, 16);
	const nRstStop = bit(optr, family === "G0" ? 13 : 12);
	const nRstStdby = bit(optr, family === "G0" ? 14 : 13);
	const fields: OptionField[] = [
		rdpField(rdp),
		watchdogField("IWDG_SW", iwdgSw),
		resetOnStopField("nRST_STOP", nRstStop),
		resetOnStandbyField("nRST_STDBY", nRstStdby),
		...bootSelectionFields(sel),
	];
	const findings: Finding[] = [
		...rdpFindings(rdp),
		...watchdogFinding(iwdgSw === 0, "IWDG_SW"),
		...stopStandbyFindings(nRstStop, nRstStdby),
	];
	if (family === "L4" || family === "G4") {
		const bfb2 = bit(optr, 20);
		fields.push(
			bitField(
				"BFB2",
				bfb2,
				"dual-bank boot (bank 2 first, via system memory)",
				"boot from bank 1",
			),
		);
		if (bfb2) findings.push(bfb2Finding());
	}
	findings.push(...bootSelectionFindings(sel), emptyCheckFinding());
	const wrp = wrpAreas(family, b, ctx);
	fields.push(...wrp.fields);
	findings.push(...wrp.findings);
	return {
		family,
		rdpLevel: rdpLevel(rdp),
		fields,
		protectedSectors: wrp.protectedPages,
		...supplyFacts(iwdgSw === 0, undefined),
		findings,
	};
}

type BootSelection = ReturnType<typeof bootSelection>;

function bootSelectionFields(sel: BootSelection): OptionField[] {
	return [
		{
			name: sel.selName,
			value: sel.selValue,
			meaning: sel.fromPin ? "BOOT0 from the pin" : "BOOT0 from the nBOOT0 bit",
		},
		{
			name: "nBOOT0",
			value: sel.nBoot0,
			meaning: sel.fromPin
				? "ignored (pin decides)"
				: sel.nBoot0
					? "BOOT0 = 0: boot from flash"
					: "BOOT0 = 1: boot from system memory or SRAM",
		},
		bitField("nBOOT1", sel.nBoot1, "with BOOT0 = 1: system memory", "with BOOT0 = 1: SRAM"),
	];
}

function bootSelectionFindings(sel: BootSelection): Finding[] {
	if (sel.fromPin) return [];
	if (sel.nBoot0 === 0)
		return [
			causedFinding(
				"ob.nboot0-forced",
				"error",
				"boot-option",
				`${sel.selName} = ${sel.selValue} and nBOOT0 = 0: BOOT0 is forced high by the option bytes, so every reset starts ${sel.nBoot1 ? "the bootloader" : "SRAM"}, whatever the pin says.`,
				"Set nBOOT0 = 1 in the option bytes (e.g. STM32CubeProgrammer -ob nBOOT0=1).",
				{ [sel.selName]: sel.selValue, nBOOT0: 0 },
			),
		];
	return [
		causedFinding(
			"ob.boot0-pin-ignored",
			"info",
			undefined,
			`${sel.selName} = ${sel.selValue}: the BOOT0 pin is ignored; the chip boots flash. To come back to DFU you need an empty flash or a jump from the app.`,
		),
	];
}

function emptyCheckFinding(): Finding {
	return causedFinding(
		"ob.empty-check",
		"info",
		"empty-flash",
		"This family starts the bootloader while the first flash word reads as erased; after programming a blank chip that flag can stay latched until a power cycle (or OBL_LAUNCH).",
		"Power-cycle the board once after the first download.",
	);
}

/** WRP areas A and B per bank: pages STRT..END are protected when STRT <= END. */
function wrpAreas(family: "G0" | "G4" | "L4" | "WB", b: Uint8Array, ctx: DecodeContext) {
	const pageSize = family === "WB" ? 4096 : 2048;
	// WRPxA_STRT/END are 7 bits on G0/G4 (the bit above reads as set), 8 bits on L4/WB.
	const pageMask = family === "G0" || family === "G4" ? 0x7f : 0xff;
	const fields: OptionField[] = [];
	const protectedPages: number[] = [];
	// Bank 2 (G4 dual bank) pages follow bank 1's in the layout's page list.
	const banks: { run: Uint8Array; first: number; names: [string, string] }[] = [
		{ run: b, first: 0, names: ["WRP1AR", "WRP1BR"] },
	];
	if (ctx.secondRun && ctx.sectors && ctx.sectors.length >= 2)
		banks.push({ run: ctx.secondRun, first: ctx.sectors.length / 2, names: ["WRP2AR", "WRP2BR"] });
	for (const bank of banks) {
		for (const [k, at] of [0x18, 0x20].entries()) {
			if (bank.run.length < at + 4) continue;
			const w = u32(bank.run, at);
			const start = w & pageMask;
			const end = (w >>> 16) & pageMask;
			if (start <= end) for (let p = start; p <= end; p++) protectedPages.push(bank.first + p);
			fields.push({
				name: bank.names[k]!,
				value: w,
				meaning:
					start <= end
						? `pages ${bank.first + start}..${bank.first + end} protected`
						: "no protection",
			});
		}
	}
	const findings = wrpFindings(
		protectedPages,
		"page",
		(n) => ({ address: 0x08000000 + n * pageSize, size: pageSize }),
		ctx,
	);
	return { fields, protectedPages, findings };
}

const H7_BOOT: BootAddressMap = { shift: 16, where: h7BootTarget };

function h7BootTarget(addr: number): string {
	if (addr >= 0x08000000 && addr < 0x08200000) return "flash";
	if (addr >= 0x1ff00000 && addr < 0x1ff20000) return "system memory (bootloader)";
	if (addr < 0x00010000) return "ITCM RAM";
	if (addr >= 0x20000000 && addr < 0x20020000) return "DTCM RAM";
	if (addr >= 0x24000000 && addr < 0x24080000) return "AXI SRAM";
	return "no memory";
}

function decodeH7(b: Uint8Array, ctx: DecodeContext): DecodedOptionBytes {
	const optsr = u32(b, 0);
	const rdp = (optsr >>> 8) & 0xff;
	const wpsn = u32(b, 0x1c) & 0xff;
	const boot = u32(b, 0x24);
	const bootAdd0 = boot & 0xffff;
	const bootAdd1 = boot >>> 16;
	const bor = brownOut((optsr >>> 2) & 3, H7_BOR);
	const iwdgSw = bit(optsr, 4);
	const swap = bit(optsr, 31);
	const fields: OptionField[] = [
		rdpField(rdp),
		bor.field,
		watchdogField("IWDG1_SW", iwdgSw),
		resetOnStopField("NRST_STOP_D1", bit(optsr, 6)),
		resetOnStandbyField("NRST_STBY_D1", bit(optsr, 7)),
		bitField("SWAP_BANK_OPT", swap, "banks swapped", "not swapped"),
		nWrpField("nWRPSN (bank 1)", wpsn),
		bootAddressField("BOOT_ADD0", bootAdd0, H7_BOOT),
		bootAddressField("BOOT_ADD1", bootAdd1, H7_BOOT),
	];
	const findings: Finding[] = [
		...rdpFindings(rdp),
		...watchdogFinding(iwdgSw === 0, "IWDG1_SW"),
		...stopStandbyFindings(bit(optsr, 6), bit(optsr, 7)),
		...bor.findings,
		...bootAddressFindings("BOOT_ADD0", bootAdd0, H7_BOOT, "0x0800 (0x08000000)"),
	];
	if (swap)
		findings.push(
			causedFinding(
				"ob.swap-bank",
				"warning",
				"boot-option",
				"SWAP_BANK_OPT = 1: bank 2 is mapped at 0x08000000, so what boots is not the bank you may think you wrote.",
				"Clear SWAP_BANK_OPT unless the firmware swaps banks on purpose.",
			),
		);
	const sectors = ctx.sectors ?? defaultSectors("H7");
	const protectedSectors = clearedBits(wpsn, 8);
	findings.push(...wrpFindings(protectedSectors, "sector", (n) => sectors[n], ctx));
	return {
		family: "H7",
		rdpLevel: rdpLevel(rdp),
		fields,
		protectedSectors,
		...supplyFacts(iwdgSw === 0, bor.volts),
		findings,
	};
}

/**
 * Decodes option bytes read over DFU for a family. Throws OptionBytesFormatError when fewer bytes
 * than the layout needs were given; returns undefined for families not decoded here.
 */
export function decodeOptionBytes(
	bytes: Uint8Array,
	family: string,
	ctx: DecodeContext = {},
): DecodedOptionBytes | undefined {
	const f = optionFamily(family);
	if (!f) return undefined;
	const need = f === "H7" ? 0x28 : f === "F7" ? 26 : f === "F2" || f === "F4" ? 10 : 4;
	if (bytes.length < need) throw new OptionBytesFormatError(f, need, bytes.length);
	switch (f) {
		case "F2":
		case "F4":
			return decodeF2F4(f, bytes, ctx);
		case "F7":
			return decodeF7(bytes, ctx);
		case "H7":
			return decodeH7(bytes, ctx);
		default:
			return decodeOptr(f, bytes, ctx);
	}
}
