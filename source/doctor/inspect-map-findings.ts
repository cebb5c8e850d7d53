import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Finding } from "../store/events.js";
import type { FamilyGuess } from "./family-guess.js";
import { blockAt, chipPeripheralMap, familyMaps } from "./family-maps.js";
import { tableFitsChip } from "./inspect-family-findings.js";
import type { VectorTable } from "./inspect-vectors.js";

/** At least this many distinct blocks: one stray constant is not a register access. */
const MIN_BLOCKS = 2;

/**
 * Register accesses to addresses where the chip has no peripheral, judged on the chip's own map
 * (every part the chip name stands for, from the generated data): the image's peripheral
 * addresses that fall on a peripheral block of the family it was built for, and on none of the
 * chip's. Each is named with its address and what it is on the image's family.
 */
export function mapFindings(
	guess: FamilyGuess | undefined,
	chip: Chip | undefined,
	table: VectorTable | undefined,
): Finding[] {
	if (!guess?.stm32 || !chip || !table?.plausible || table.length < 16) return [];
	const own = familyMaps()?.get(guess.family);
	const target = chipPeripheralMap(chip);
	if (!own || !target) return [];
	const missing = new Map<number, number>();
	for (const w of guess.peripheralWords) {
		const block = blockAt(own, w);
		if (block === undefined || blockAt(target, w, true) !== undefined) continue;
		if (!missing.has(block)) missing.set(block, w);
	}
	if (missing.size < MIN_BLOCKS) return [];
	// Another part of the same family may lack a block its sibling has, and a table and stack
	// made for this chip outweigh constants that merely look like another family's addresses.
	const soft = guess.family === chip.family.family || tableFitsChip(table, chip);
	const listed = [...missing]
		.slice(0, 4)
		.map(
			([block, w]) =>
				`${hex(w)} (${own.names.get(block) ?? "a peripheral"} on the STM32${guess.family})`,
		)
		.join(", ");
	return [
		{
			id: "peripheral.missing",
			severity: soft ? "warning" : "error",
			message: `The code accesses ${missing.size} peripheral block${missing.size === 1 ? "" : "s"} where the ${chip.name} has no peripheral: ${listed}${missing.size > 4 ? ", ..." : ""}. Those writes would go nowhere (or fault) on this chip.`,
			evidence: {
				count: missing.size,
				first: [...missing.values()][0]!,
				family: guess.family,
			},
		},
	];
}
