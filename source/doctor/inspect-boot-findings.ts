import { chipCore, chipFlashBase, chipVectorCount } from "../chips/catalog.js";
import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import type { Finding } from "../store/events.js";
import type { Placement, VectorTable } from "./inspect-vectors.js";
import { type LinkAddress, pointersContradict } from "./link-address.js";

/**
 * The vector table's alignment where it will sit. VTOR ignores the low address bits, so a table
 * must be aligned to the next power of two of its size and never less than 128 bytes
 * (ARMv7-M ARM §B3.2.5 VTOR; ARMv6-M ARM §B3.2.5 for the Cortex-M0+), or the core fetches its
 * vectors from the wrong place. A word-misaligned table cannot be read at all.
 */
export function vtorAlignment(entries: number): number {
	let align = 128;
	while (align < entries * 4) align *= 2;
	return align;
}

/** The Cortex-M0 has no VTOR: a bootloader remaps SRAM instead (docs/inspector.md). */
function hasVtor(chip: Chip | undefined): boolean {
	return !chip || chipCore(chip) !== "Cortex-M0";
}

export interface BootTarget {
	chip?: Chip;
	/** The address the user gave, if any. */
	address?: number;
	/** The address read from the image when none was given. */
	inferred?: LinkAddress;
}

export function bootFindings(
	image: Image,
	placement: Placement,
	table: VectorTable | undefined,
	target: BootTarget,
	linkMismatchFound: boolean,
): Finding[] {
	const out: Finding[] = [];
	const inferred = target.inferred;
	if (inferred?.noTable) {
		out.push({
			id: "link-address.inferred",
			severity: "info",
			message:
				"No address given, and the image has no Cortex-M vector table to read one from: inspected as if at 0x00000000.",
			evidence: { address: 0 },
		});
	} else if (inferred) {
		out.push({
			id: "link-address.inferred",
			severity: "info",
			message: `No address given: the image's vector table says it was linked at ${hex(inferred.address)} (initial SP ${hex(inferred.initialSp)}, reset handler ${hex(inferred.reset)}; ${inferred.pointersInside} of its pointers land inside the image there). Inspected as if written at ${hex(inferred.address)}; give -s to flash it.`,
			evidence: {
				address: inferred.address,
				initialSp: inferred.initialSp,
				reset: inferred.reset,
				pointersInside: inferred.pointersInside,
			},
		});
	}
	if (!table?.plausible) return out;
	const at = table.address;
	if (at % 4 !== 0) {
		out.push({
			id: "vector-table.misaligned",
			severity: "error",
			message: `The vector table would sit at ${hex(at)}, which is not word-aligned: the core reads the initial SP and reset vector as aligned words, so it cannot boot from there. Write the image at ${hex(at - (at % 4) - table.offset)} or where it was linked.`,
			evidence: { address: at, required: 4 },
		});
	} else if (hasVtor(target.chip)) {
		const entries = Math.max(table.length, (target.chip && chipVectorCount(target.chip)) ?? 0);
		const align = vtorAlignment(entries);
		const bootsFromBase = target.chip && at === chipFlashBase(target.chip);
		if (!bootsFromBase && at % align !== 0) {
			out.push({
				id: "vector-table.misaligned",
				severity: "error",
				message: `The vector table would sit at ${hex(at)}, but a table of ${entries} entries must be aligned to ${hex(align)} bytes for VTOR (the low bits are ignored): interrupts would fetch their handlers from ${hex(at - (at % align))}. Use an address that is a multiple of ${hex(align)}.`,
				evidence: { address: at, required: align, entries },
			});
		}
	}
	if (!linkMismatchFound && image.format === "bin" && target.address !== undefined) {
		const data = image.segments[0]?.data;
		const link = data ? pointersContradict(data, placement.start) : undefined;
		if (link) {
			out.push({
				id: "link-address.mismatch",
				severity: "error",
				message: `The image was linked to run at ${hex(link.address)} but -s writes it at ${hex(placement.start)}: ${link.pointersInside} of its pointers land inside it at ${hex(link.address)}, while at ${hex(placement.start)} many point past its ends. Write it at ${hex(link.address)}, or relink it for ${hex(placement.start)}.`,
				evidence: {
					linkAddress: link.address,
					writeAddress: placement.start,
					pointersInside: link.pointersInside,
				},
			});
		}
	}
	return out;
}
