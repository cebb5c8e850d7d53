/**
 * The flash write unit of a family: the smallest aligned chunk its flash programs at once, which
 * the ROM loader refuses to write at an address that is not a multiple of it (errTARGET). The
 * planner widens runs in flash to whole units with 0xFF.
 *
 * From the generated chip data when the chip carries its parts (`resolveChip`, `resolveGuess`):
 * the data's write size (docs/chip-data.md; it is 8 on F3 and 16 on F7, wider than the table
 * below, which only widens more runs with 0xFF). Without the data, the
 * programming unit of the family's reference manual ("Flash program and erase operations"):
 * - F0/F1/F3 (RM0091, RM0008, RM0316): half-words, but the loader takes words: 4.
 * - F2/F4 (RM0033, RM0090) with the loader's x32 parallelism, L0/L1 (RM0377, RM0038): 4.
 * - F7 (RM0385, RM0410) with the loader's x64 parallelism: 8.
 * - G0/G4/L4/L4+/L5/WB/WL/C0 (RM0444, RM0440, RM0351, RM0432, RM0438, RM0434, RM0453, RM0490):
 *   double words, 8.
 * - U5 (RM0456): quad words, 16.
 * - H7 (RM0433, RM0399): 256-bit flash words, 32.
 */
import { chipWriteSize } from "./catalog.js";
import type { Chip } from "./types.js";

const WRITE_UNIT: Record<string, number> = {
	F0: 4,
	F1: 4,
	F2: 4,
	F3: 4,
	F4: 4,
	L0: 4,
	L1: 4,
	F7: 8,
	G0: 8,
	G4: 8,
	L4: 8,
	"L4+": 8,
	L5: 8,
	WB: 8,
	WL: 8,
	C0: 8,
	U5: 16,
	H7: 32,
};

/** The smallest write unit every STM32 flash accepts; used when the chip is not known. */
export const DEFAULT_WRITE_UNIT = 4;

export function flashWriteUnit(chip: Chip | undefined): number {
	if (!chip) return DEFAULT_WRITE_UNIT;
	return chipWriteSize(chip) || (WRITE_UNIT[chip.family.family] ?? DEFAULT_WRITE_UNIT);
}
