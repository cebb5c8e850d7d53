import { chipByName } from "./catalog.js";
import { loadChipData } from "./stm32-data.js";
import type { Chip } from "./types.js";
import { UnknownChipError } from "./unknown-chip-error.js";

/**
 * `--chip NAME` for a command: loads the generated chip data, then looks the name up among
 * the hand-written families and every STM32 part, line and family in the data. An unknown name
 * throws UnknownChipError naming the closest known names.
 */
export async function resolveChip(name: string): Promise<Chip> {
	const data = await loadChipData();
	const chip = chipByName(name);
	if (!chip) throw new UnknownChipError(name, data.closest(name));
	return chip;
}
