import { chipFlashBase, chipRam, chipVectorCount } from "../chips/catalog.js";
import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Finding } from "../store/events.js";
import { linkBaseOf, type Placement, tableFits, type VectorTable } from "./inspect-vectors.js";

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

/**
 * `linked`: where a raw binary's own pointers say it was linked (see linkBaseOf), so that a
 * mismatch names the address the inferred placement does.
 */
export function vectorFindings(
	table: VectorTable,
	placement: Placement,
	chip?: Chip,
	linked?: number,
): Finding[] {
	const out: Finding[] = [];
	const alias =
		chip && BOOT_ALIAS_AT_ZERO.has(chip.family.family) && placement.start === chipFlashBase(chip)
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
	const linkBase = linkBaseOf(table, placement, linked);
	if (linkBase === 0 && alias !== undefined) {
		out.push({
			id: "link-address.boot-alias",
			severity: "warning",
			message: `The image was linked at 0x00000000, where the ${chip!.name} maps its flash only when it boots from flash. It runs after a reset with BOOT0 low, but not when the DFU loader starts it (leave): 0x00000000 then still shows system memory. Link it for ${hex(placement.start)}.`,
			evidence: { linkAddress: 0, writeAddress: placement.start, reset: table.reset },
		});
	} else if (linkBase !== undefined && linkBase !== placement.start) {
		// Where the write lands relative to the link address (the sentence's subject).
		const direction = placement.start > linkBase ? "higher" : "lower";
		const advice =
			linkBase > placement.start
				? `Was it built to sit behind a bootloader? Write it at ${hex(linkBase)} or relink it for ${hex(placement.start)}.`
				: `Write it at ${hex(linkBase)}, or relink it for ${hex(placement.start)}.`;
		out.push({
			id: "link-address.mismatch",
			severity: "error",
			message: `The image was linked to run at ${hex(linkBase)} (its reset handler is ${hex(table.reset)}) but will be written at ${hex(placement.start)}, ${hex(Math.abs(linkBase - placement.start))} ${direction} than it was linked for. ${advice}`,
			evidence: { linkAddress: linkBase, writeAddress: placement.start, reset: table.reset },
		});
	}
	return out;
}
