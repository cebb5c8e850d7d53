import { chipFpu, chipPeripheralAddress, chipRam, chipVectorCount } from "../chips/catalog.js";
import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Finding } from "../store/events.js";
import type { FamilyGuess } from "./family-guess.js";
import { tableFits, type VectorTable } from "./inspect-vectors.js";

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
function mismatchSeverity(
	guess: FamilyGuess,
	chipFamily: string,
	tableFitsChip: boolean,
	wholeTable: boolean,
): "error" | "warning" {
	// A vector table sized for this chip with the stack at the top of its RAM is the linker
	// script speaking; words that merely look like another family's registers (data tables,
	// compressed blobs: about one image in ten of random bytes) must not outvote it.
	if (tableFitsChip) return guess.confidence >= 0.5 ? "error" : "warning";
	// A whole vector table (16 system entries and more) is a linked program, not noise: when it
	// does not fit this chip, a family that scores clearly better decides.
	if (wholeTable) {
		const chipScore = guess.scores[chipFamily] ?? 0;
		return (guess.scores[guess.family] ?? 0) - chipScore >= CLEAR_LEAD ? "error" : "warning";
	}
	if (guess.confidence >= 0.35) return "error";
	// Below this, one or two register-like words decide the guess: random data gets there.
	if (guess.confidence < MISMATCH_FLOOR) return "warning";
	const own = guess.addressScores[guess.family] ?? 0;
	const chips = guess.addressScores[chipFamily] ?? 0;
	if (own > 0 && chips < own / 2) return "error";
	const gap = (guess.scores[guess.family] ?? 0) - (guess.scores[chipFamily] ?? 0);
	return gap >= 0.6 ? "error" : "warning";
}

/** How far ahead of the chip's family a guess must be to block a linked program. */
const CLEAR_LEAD = 0.15;

/** Lines that one reference manual family covers with one peripheral map (RM0351 / RM0432). */
function siblings(a: string, b: string): boolean {
	const pair = new Set([a, b]);
	return pair.has("L4") && pair.has("L4+");
}

/** Random bytes behind a bare SP/reset pair mostly stay below 0.2; real images, even tiny ones, reach it. */
const MISMATCH_FLOOR = 0.2;

/** Below this confidence a non-STM32 guess is a warning: random data reaches about 0.1 to 0.2. */
const NOT_STM32_SURE = 0.35;
/** The same, for an image whose vector table and stack fit the chip (as in mismatchSeverity). */
const SURE_OVER_TABLE = 0.5;

/** Words that match how sure the guess is: a 5% guess must not read like a fact. */
function guessLead(confidence: number, name: string): string {
	if (confidence >= 0.5) return `Built for ${name}`;
	if (confidence >= 0.2) return `Probably built for ${name}`;
	return `Too little in the code to tell the family; the closest fit is ${name}`;
}

/** The image's vector table has this chip's length and its stack at the top of this chip's RAM. */
export function tableFitsChip(table: VectorTable | undefined, chip: Chip): boolean {
	if (!table?.plausible) return false;
	return (
		tableFits(table, chipVectorCount(chip)) &&
		chipRam(chip).some((r) => r.start + r.size === table.initialSp)
	);
}

export function familyFindings(
	guess: FamilyGuess | undefined,
	chip?: Chip,
	table?: VectorTable,
): Finding[] {
	if (!guess) return [];
	const out: Finding[] = [];
	const evidence = {
		family: guess.family,
		part: guess.part ?? null,
		confidence: guess.confidence,
		evidenceCount: guess.evidence.length,
	};
	if (!guess.stm32) {
		// One or two words that happen to fall in another vendor's peripheral space are what any
		// data table or compressed blob contains; only a clear guess may block a flash, and a
		// vector table and stack made for the chip ask for a clearer one.
		const floor = chip && tableFitsChip(table, chip) ? SURE_OVER_TABLE : NOT_STM32_SURE;
		const sure = guess.confidence >= floor;
		out.push({
			id: "family.not-stm32",
			severity: chip && sure ? "error" : "warning",
			message: sure
				? `This looks built for a ${guess.label}, not an STM32: ${usesPhrase(guess)}.${chip ? ` It cannot run on the ${chip.name}.` : ""}`
				: `A few constants look like ${guess.label} registers (${usesPhrase(guess).replace(/^it uses /, "")}); too little to say the image is not for an STM32.`,
			evidence,
		});
		return out;
	}
	const name = guess.part ?? guess.label;
	if (chip && guess.family !== chip.family.family && !siblings(guess.family, chip.family.family)) {
		const rcc = chipPeripheralAddress(chip, "RCC");
		const fits = tableFitsChip(table, chip);
		const whole = !!table?.plausible && table.length >= 16;
		const severity = mismatchSeverity(guess, chip.family.family, fits, whole);
		// Without register use the guess rests on the vector table and stack alone: say so, and
		// claim nothing about registers (the F2 and F4 even share their RCC address).
		const layoutOnly = guess.uses.length === 0;
		out.push({
			id: "family.mismatch",
			severity,
			message: layoutOnly
				? `The image's vector table and stack fit ${guess.label} better than the ${chip.name} (${guess.evidence
						.filter((e) => !/no peripheral addresses/.test(e))
						.slice(0, 2)
						.join(
							"; ",
						)}); no peripheral addresses recognised in the code. Check the build targets the ${chip.name} (linker script: vector table, RAM size).`
				: severity === "warning" && fits
					? `Some constants in the image look like ${guess.label} registers (${usesPhrase(guess).replace(/^it uses /, "")}), but its vector table and stack fit the ${chip.name}: probably data that happens to look like addresses. Check the build targets the ${chip.name} if unsure.`
					: `Built for ${guess.label}: ${usesPhrase(guess)}; the connected chip is an ${chip.name}${rcc !== undefined ? `, whose RCC is at ${hex(rcc)}` : ""}. The code would configure registers that do not exist there.`,
			evidence: { ...evidence, chipFamily: chip.family.family, chipRcc: rcc ?? null },
		});
	} else if (chip && guess.family !== chip.family.family) {
		out.push({
			id: "family.part-mismatch",
			severity: "warning",
			message: `Built for ${name}, a sibling line of the connected ${chip.name} (${guess.label} and STM32${chip.family.family} share their peripheral map): check the vector table and RAM size match.`,
			evidence,
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
			message: `${guessLead(guess.confidence, name)} (confidence ${Math.round(guess.confidence * 100)}%): ${guess.evidence.slice(0, 3).join("; ")}.`,
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
