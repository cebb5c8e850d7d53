import {
	chipFpu,
	chipMaxFlash,
	chipRam,
	chipVectorCount,
	peripheralAddress,
} from "../chips/catalog.js";
import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import { imageSize } from "../image/image.js";
import type { Finding, MemoryLayout, NewEvent } from "../store/events.js";
import { type FamilyGuess, guessFamily } from "./family-guess.js";
import {
	linkBaseOf,
	type Placement,
	placementOf,
	readVectorTable,
	tableFits,
	type VectorTable,
} from "./inspect-vectors.js";

export interface InspectTarget {
	/** The connected (or `--chip`) part; without it only chip-independent checks run. */
	chip?: Chip;
	/** Where a raw image will be written (`-s ADDR`); defaults to the image's own address. */
	address?: number;
	/** The device's flash layout, when a device is connected. */
	layout?: MemoryLayout;
}

export interface Inspection {
	subject: string;
	format: string;
	segments: { address: number; size: number }[];
	/** Address the image will be written at. */
	writeAddress: number;
	vectorTable?: VectorTable;
	guess?: FamilyGuess;
	findings: Finding[];
	/** Name of the chip checked against. */
	target?: string;
}

const DFUSE_SIGNATURE = [0x44, 0x66, 0x75, 0x53, 0x65]; // "DfuSe"

function startsWithDfuse(image: Image): boolean {
	const data = image.segments[0]?.data;
	return !!data && DFUSE_SIGNATURE.every((b, i) => data[i] === b);
}

function kb(bytes: number): string {
	return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

/**
 * Families that map the boot memory (main flash when booting from it) at 0x00000000, so code
 * linked at 0 runs from the alias: RM0008 §3.4, RM0090 §2.4, RM0351 §2.6 and the same
 * "boot configuration" section of the other manuals. F7 boots via BOOT_ADD0 and H7 via
 * BOOT_ADD0/1 instead, and the M33 parts have no such alias.
 */
const BOOT_ALIAS_AT_ZERO = new Set([
	"F0",
	"F1",
	"F2",
	"F3",
	"F4",
	"G0",
	"G4",
	"L0",
	"L1",
	"L4",
	"L4+",
	"WB",
	"WL",
	"C0",
]);

function vectorFindings(table: VectorTable, placement: Placement, chip?: Chip): Finding[] {
	const out: Finding[] = [];
	const alias =
		chip && BOOT_ALIAS_AT_ZERO.has(chip.family.family) && placement.start === chip.family.flash.base
			? placement.start
			: undefined;
	const inImage = (a: number) =>
		placement.contains(a) ||
		(alias !== undefined && a < placement.end - placement.start && placement.contains(a + alias));
	if (!table.plausible) {
		out.push({
			id: "vector-table.missing",
			severity: "error",
			message: `The image does not start with a Cortex-M vector table: word 0 (${hex(table.initialSp)}) is not a stack address and word 1 (${hex(table.reset)}) is not a Thumb code address. The chip would jump into garbage at reset.`,
			evidence: { address: table.address, word0: table.initialSp, word1: table.reset },
		});
		return out;
	}
	if (table.afterBoot2) {
		out.push({
			id: "vector-table.after-boot2",
			severity: "info",
			message: `The vector table sits 256 bytes into the image, after a second-stage boot loader: that is the RP2040 layout, not an STM32 one.`,
			evidence: { offset: table.offset },
		});
	}
	const sp = table.initialSp;
	if (chip) {
		const ram = chipRam(chip);
		const region = ram.find((r) => sp >= r.start && sp <= r.start + r.size);
		if (!region) {
			const list = ram.map((r) => `${r.name} ${hex(r.start)}-${hex(r.start + r.size)}`).join(", ");
			out.push({
				id: "vector-table.sp-outside-ram",
				severity: "error",
				message: `The initial stack pointer ${hex(sp)} is not in the RAM of the ${chip.name} (${list}). The first push at reset will fault: the image was linked for a part with different RAM.`,
				evidence: { initialSp: sp, address: table.address },
			});
		}
	}
	if (sp % 8 !== 0) {
		out.push({
			id: "vector-table.sp-unaligned",
			severity: "warning",
			message: `The initial stack pointer ${hex(sp)} is not 8-byte aligned, as the AAPCS requires at public interfaces; doubles and printf may misbehave.`,
			evidence: { initialSp: sp },
		});
	}
	const resetTarget = (table.reset & ~1) >>> 0;
	if ((table.reset & 1) === 0) {
		out.push({
			id: "vector-table.reset-not-thumb",
			severity: "error",
			message: `The reset vector ${hex(table.reset)} has bit 0 clear. Cortex-M runs only Thumb code, so the chip would HardFault at reset; the reset handler must be marked as a Thumb function (.thumb_func / -mthumb).`,
			evidence: { reset: table.reset, address: table.address + 4 },
		});
	}
	if (!inImage(resetTarget)) {
		out.push({
			id: "vector-table.reset-outside-image",
			severity: "error",
			message: `The reset handler ${hex(table.reset)} is outside the image, which will occupy ${hex(placement.start)}-${hex(placement.end)}. At reset the chip would jump to memory this download does not write.`,
			evidence: { reset: table.reset, start: placement.start, end: placement.end },
		});
	}
	const bad = table.entries
		.map((w, i) => ({ w, i }))
		.slice(2)
		.filter(({ w }) => w !== 0 && ((w & 1) === 0 || !inImage((w & ~1) >>> 0)));
	if (bad.length) {
		out.push({
			id: "vector-table.bad-handlers",
			severity: "warning",
			message: `${bad.length} interrupt/exception vector(s) point outside the image or lack the Thumb bit (first: entry ${bad[0]!.i} = ${hex(bad[0]!.w)}). That interrupt would fault when it fires.`,
			evidence: { count: bad.length, firstEntry: bad[0]!.i, firstValue: bad[0]!.w },
		});
	}
	const expected = chip ? chipVectorCount(chip) : undefined;
	if (expected !== undefined && !tableFits(table, expected)) {
		out.push({
			id: "vector-table.length",
			severity: "info",
			message: `The vector table has ${table.length} entries; the ${chip!.name} has ${expected} (16 system + ${expected - 16} interrupts).${table.length < expected ? " Interrupts past the end would jump to whatever follows the table." : " It may have been built for a bigger part."}`,
			evidence: { length: table.length, expected },
		});
	}
	const linkBase = linkBaseOf(table, placement);
	if (linkBase === 0 && alias !== undefined) {
		out.push({
			id: "link-address.boot-alias",
			severity: "warning",
			message: `The image was linked at 0x00000000, where the ${chip!.name} maps its flash only when it boots from flash. It runs after a reset with BOOT0 low, but not when the DFU loader starts it (leave): 0x00000000 then still shows system memory. Link it for ${hex(placement.start)}.`,
			evidence: { linkAddress: 0, writeAddress: placement.start, reset: table.reset },
		});
	} else if (linkBase !== undefined && linkBase !== placement.start) {
		const direction = linkBase > placement.start ? "higher" : "lower";
		const advice =
			linkBase > placement.start
				? `Was it built to sit behind a bootloader? Write it at ${hex(linkBase)} or relink it for ${hex(placement.start)}.`
				: `Write it at ${hex(linkBase)}, or relink it for ${hex(placement.start)}.`;
		out.push({
			id: "link-address.mismatch",
			severity: "error",
			message: `The image was linked to run at ${hex(linkBase)} (its reset handler is ${hex(table.reset)}) but will be written at ${hex(placement.start)}, ${hex(Math.abs(linkBase - placement.start))} ${direction}. ${advice}`,
			evidence: { linkAddress: linkBase, writeAddress: placement.start, reset: table.reset },
		});
	}
	return out;
}

function placementFindings(image: Image, placement: Placement, target: InspectTarget): Finding[] {
	const out: Finding[] = [];
	const size = imageSize(image);
	if (startsWithDfuse(image)) {
		out.push({
			id: "image.dfuse-as-raw",
			severity: "error",
			message: `The data starts with "DfuSe": this is a .dfu container, and written raw its header would land in flash at ${hex(placement.start)} and the board would not boot. Flash the .dfu without an address, or the .bin inside it.`,
			evidence: { offset: 0, address: placement.start },
		});
	}
	const chip = target.chip;
	if (chip) {
		const flash = chipMaxFlash(chip);
		const base = chip.family.flash.base;
		if (size > flash) {
			out.push({
				id: "image.too-large",
				severity: "error",
				message: `The image is ${kb(size)}, more than the ${kb(flash)} of flash the ${chip.name} can have.`,
				evidence: { size, flash },
			});
		}
		if (!target.layout && (placement.start < base || placement.end > base + flash)) {
			out.push({
				id: "image.outside-flash",
				severity: "error",
				message: `The image would occupy ${hex(placement.start)}-${hex(placement.end)}, outside the ${chip.name}'s flash (${hex(base)}-${hex(base + flash)}).`,
				evidence: {
					start: placement.start,
					end: placement.end,
					flashStart: base,
					flashEnd: base + flash,
				},
			});
		}
	}
	if (target.layout) {
		const segs = target.layout.segments.map((s) => ({ ...s, end: s.start + s.count * s.pageSize }));
		const layoutEnd = Math.max(...segs.map((s) => s.end));
		const layoutStart = Math.min(...segs.map((s) => s.start));
		for (const seg of image.segments) {
			const start = (seg.address + placement.delta) >>> 0;
			const end = start + seg.data.length;
			let address = start;
			while (address < end) {
				const inSeg = segs.find((s) => address >= s.start && address < s.end);
				if (!inSeg?.writable) {
					out.push({
						id: "image.not-writable",
						severity: "error",
						message: inSeg
							? `The image reaches ${hex(address)}, which the device's "${target.layout.name}" layout marks as not writable.`
							: `The image reaches ${hex(address)}, outside the device's "${target.layout.name}" (${hex(layoutStart)}-${hex(layoutEnd)}).`,
						evidence: { address, segmentStart: start, segmentEnd: end },
					});
					address = end;
					break;
				}
				address = inSeg.end;
			}
		}
		if (size > layoutEnd - layoutStart) {
			out.push({
				id: "image.too-large",
				severity: "error",
				message: `The image is ${kb(size)}, more than the device's ${kb(layoutEnd - layoutStart)} of "${target.layout.name}".`,
				evidence: { size, flash: layoutEnd - layoutStart },
			});
		}
	}
	return out;
}

function usesPhrase(guess: FamilyGuess): string {
	const order = (n: string) => (n.startsWith("RCC") ? 0 : /^(GPIO|P0|PORT|SIO)/.test(n) ? 1 : 2);
	const uses = [...guess.uses].sort((a, b) => order(a.name) - order(b.name)).slice(0, 2);
	if (!uses.length) return guess.evidence.slice(0, 2).join("; ");
	return `it uses ${uses.map((u) => `${u.name} at ${hex(u.address)}`).join(" and ")}`;
}

/**
 * An error when the guess is clear, when the code names the guessed family's peripherals far
 * more than the connected chip's, or when the image as a whole (vector count, RAM top) fits the
 * guessed family clearly better; a warning when the connected family fits nearly as well.
 */
function mismatchSeverity(guess: FamilyGuess, chipFamily: string): "error" | "warning" {
	if (guess.confidence >= 0.35) return "error";
	const own = guess.addressScores[guess.family] ?? 0;
	const chips = guess.addressScores[chipFamily] ?? 0;
	if (own > 0 && chips < own / 2) return "error";
	const gap = (guess.scores[guess.family] ?? 0) - (guess.scores[chipFamily] ?? 0);
	return gap >= 0.6 ? "error" : "warning";
}

function familyFindings(guess: FamilyGuess | undefined, chip?: Chip): Finding[] {
	if (!guess) return [];
	const out: Finding[] = [];
	const evidence = {
		family: guess.family,
		part: guess.part ?? null,
		confidence: guess.confidence,
		evidenceCount: guess.evidence.length,
	};
	if (!guess.stm32) {
		out.push({
			id: "family.not-stm32",
			severity: chip ? "error" : "warning",
			message: `This looks built for a ${guess.label}, not an STM32: ${usesPhrase(guess)}.${chip ? ` It cannot run on the ${chip.name}.` : ""}`,
			evidence,
		});
		return out;
	}
	const name = guess.part ?? guess.label;
	if (chip && guess.family !== chip.family.family) {
		const rcc = peripheralAddress(chip.family, "RCC");
		out.push({
			id: "family.mismatch",
			severity: mismatchSeverity(guess, chip.family.family),
			message: `Built for ${guess.label}: ${usesPhrase(guess)}; the connected chip is an ${chip.name}${rcc !== undefined ? `, whose RCC is at ${hex(rcc)}` : ""}. The code would configure registers that do not exist there.`,
			evidence: { ...evidence, chipFamily: chip.family.family, chipRcc: rcc ?? null },
		});
	} else if (chip?.part && guess.part && guess.part !== chip.part.name) {
		out.push({
			id: "family.part-mismatch",
			severity: "warning",
			message: `Built for ${guess.part} (same family as the connected ${chip.part.name}): check the vector table and RAM size match.`,
			evidence,
		});
	} else {
		out.push({
			id: "family.guess",
			severity: "info",
			message: `Built for ${name} (confidence ${Math.round(guess.confidence * 100)}%): ${guess.evidence.slice(0, 3).join("; ")}.`,
			evidence,
		});
	}
	if (chip && guess.enablesFpu && chipFpu(chip) === "none") {
		out.push({
			id: "fpu.missing",
			severity: "error",
			message: `The code turns on the FPU (writes CPACR at 0xE000ED88) but the ${chip.name} has no FPU: the first floating-point instruction will HardFault.`,
			evidence: { cpacr: 0xe000ed88 },
		});
	}
	return out;
}

/**
 * Checks an image against what a Cortex-M needs at reset and against the target chip: vector
 * table, link address vs write address, size and writable memory, and which family the code
 * was built for.
 */
export function inspect(image: Image, target: InspectTarget = {}): Inspection {
	const placement = placementOf(image, target.address);
	const vectorTable = readVectorTable(image, placement);
	const guess = guessFamily(image, vectorTable);
	const findings: Finding[] = [
		...placementFindings(image, placement, target),
		...(vectorTable ? vectorFindings(vectorTable, placement, target.chip) : []),
		...familyFindings(guess, target.chip),
	];
	if (!vectorTable) {
		findings.push({
			id: "vector-table.missing",
			severity: "error",
			message: "The image is too short to hold a vector table (fewer than 8 bytes).",
			evidence: { size: imageSize(image) },
		});
	}
	return {
		subject: image.source,
		format: image.format,
		segments: image.segments.map((s) => ({
			address: (s.address + placement.delta) >>> 0,
			size: s.data.length,
		})),
		writeAddress: placement.start,
		vectorTable,
		guess,
		findings,
		target: target.chip?.name,
	};
}

/** True when flashing should stop: any finding of severity "error". */
export function hasBlockingFindings(inspection: Inspection): boolean {
	return inspection.findings.some((f) => f.severity === "error");
}

export interface InspectionJson {
	subject: string;
	format: string;
	target?: string;
	segments: { address: number; size: number }[];
	vectorTable?: { address: number; initialSp: number; reset: number; length: number };
	guess?: { family: string; part?: string; confidence: number; evidence: string[] };
	findings: Finding[];
}

/** The shape `bringup inspect --json` prints. */
export function inspectionToJson(inspection: Inspection): InspectionJson {
	const vt = inspection.vectorTable;
	const g = inspection.guess;
	return {
		subject: inspection.subject,
		format: inspection.format,
		...(inspection.target ? { target: inspection.target } : {}),
		segments: inspection.segments,
		...(vt
			? {
					vectorTable: {
						address: vt.address,
						initialSp: vt.initialSp,
						reset: vt.reset,
						length: vt.length,
					},
				}
			: {}),
		...(g
			? {
					guess: {
						family: g.family,
						...(g.part ? { part: g.part } : {}),
						confidence: g.confidence,
						evidence: g.evidence,
					},
				}
			: {}),
		findings: inspection.findings,
	};
}

/** The events that record an inspection: one inspect.result, then one inspect.finding each. */
export function inspectionEvents(inspection: Inspection, source = "inspect"): NewEvent[] {
	const json = inspectionToJson(inspection);
	return [
		{
			type: "inspect.result",
			source,
			subject: json.subject,
			format: json.format,
			segments: json.segments,
			...(json.vectorTable ? { vectorTable: json.vectorTable } : {}),
			...(json.guess ? { guess: json.guess } : {}),
			...(json.target ? { target: json.target } : {}),
		},
		...json.findings.map(
			(finding): NewEvent => ({ type: "inspect.finding", source, subject: json.subject, finding }),
		),
	];
}

export function recordInspection(
	store: { append(event: NewEvent): unknown },
	inspection: Inspection,
	source = "inspect",
): void {
	for (const event of inspectionEvents(inspection, source)) store.append(event);
}
