import type { ChipGuess } from "../store/events.js";
import { chipByName } from "./catalog.js";
import { loadChipData } from "./stm32-data.js";
import type { Chip } from "./types.js";

/**
 * The chip facts behind an identification, when it is firm enough to check an image against.
 * Names that only the generated data knows (an H5, "STM32H723/733") need it loaded first: use
 * `resolveGuess`, or `await loadChipData()` before.
 */
export function chipForGuess(guess: ChipGuess | undefined): Chip | undefined {
	if (!guess || guess.confidence === "low") return undefined;
	return chipByName(guess.name) ?? chipByName(guess.family);
}

/**
 * `chipForGuess` with the generated chip data loaded, so that every STM32 it names has facts.
 * The data is loaded even when the guess names no chip: the inspector that runs next needs it.
 */
export async function resolveGuess(guess: ChipGuess | undefined): Promise<Chip | undefined> {
	await loadChipData();
	return chipForGuess(guess);
}
