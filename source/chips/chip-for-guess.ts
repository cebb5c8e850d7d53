import type { ChipGuess } from "../store/events.js";
import { chipByName, familyByName } from "./catalog.js";
import type { Chip } from "./types.js";

/** The chip facts behind an identification, when it is firm enough to check an image against. */
export function chipForGuess(guess: ChipGuess | undefined): Chip | undefined {
	if (!guess || guess.confidence === "low") return undefined;
	return (
		chipByName(guess.name) ?? (familyByName(guess.family) ? chipByName(guess.family) : undefined)
	);
}
