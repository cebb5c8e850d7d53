/**
 * The flash write unit of a chip: the smallest aligned chunk its flash programs at once, which
 * the ROM loader refuses to write at an address that is not a multiple of it (errTARGET). The
 * planner widens runs in flash to whole units with 0xFF.
 *
 * It is the generated chip data's write size (docs/chip-data.md, "Values worth knowing"): 4 on
 * F0/F1/F2/F4 and L0/L1, 8 on F3/G0/G4/L4/WB/WL, 16 on F7/H5/U5, 32 on H7. The data must be
 * loaded (`resolveChip`, `resolveGuess`).
 */
import { chipWriteSize } from "./catalog.js";
import type { Chip } from "./types.js";

/** The smallest write unit every STM32 flash accepts; used when the chip is not known. */
export const DEFAULT_WRITE_UNIT = 4;

export function flashWriteUnit(chip: Chip | undefined): number {
	if (!chip) return DEFAULT_WRITE_UNIT;
	return chipWriteSize(chip) || DEFAULT_WRITE_UNIT;
}
