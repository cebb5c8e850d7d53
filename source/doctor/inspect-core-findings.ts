import { chipCore, chipFpu } from "../chips/catalog.js";
import type { Chip } from "../chips/types.js";
import { hex } from "../errors.js";
import type { Finding } from "../store/events.js";
import type { FeatureUse } from "./code-features.js";
import type { FamilyGuess } from "./family-guess.js";
import { familyMaps } from "./family-maps.js";

/** A few stray matches are data that happened to be decoded; three make a pattern. */
const MIN_USES = 3;
/**
 * Below this the family guess rests on a word or two (random data gets there): instructions
 * decoded from such an image are likely data too, so they warn instead of blocking.
 */
const SURE_GUESS = 0.2;

function listed(use: FeatureUse): string {
	return use.first.map((f) => `${f.encoding} at ${hex(f.address)}`).join(", ");
}

/**
 * What the code needs from the core against what the chip's core has: Thumb-2 on an ARMv6-M core
 * (Cortex-M0/M0+ fault at the first one: ARMv6-M ARM §A5.1), FPU instructions without an FPU,
 * double precision on a single-precision FPU, and Cortex-M7 cache maintenance elsewhere. Each
 * names the first instructions (halfwords and address) so they can be checked in a disassembly.
 */
export function coreFindings(guess: FamilyGuess | undefined, chip: Chip | undefined): Finding[] {
	if (!guess?.stm32 || !chip) return [];
	const out: Finding[] = [];
	const f = guess.features;
	const core = chipCore(chip);
	// Random bytes decode as every kind of instruction: a finding needs the family guess (made
	// from other evidence) to be a part that has what the code uses.
	const built = familyMaps().get(guess.family);
	if (!built || !core) return [];
	const severity = guess.confidence >= SURE_GUESS ? "error" : "warning";
	const builtV6m = built.core === "Cortex-M0" || built.core === "Cortex-M0+";
	if (
		f &&
		(core === "Cortex-M0" || core === "Cortex-M0+") &&
		!builtV6m &&
		f.thumb2.count >= MIN_USES
	) {
		out.push({
			id: "core.thumb2",
			severity,
			message: `The code uses Thumb-2 instructions that the ${chip.name}'s ${core} cannot execute (${f.thumb2.count} found, first: ${listed(f.thumb2)}): it would HardFault at the first one.`,
			evidence: { count: f.thumb2.count, first: f.thumb2.first[0]!.address, core },
		});
	}
	const fpu = chipFpu(chip);
	if (f && fpu === "none" && built.fpu !== "none" && f.fpu.count >= MIN_USES && !guess.enablesFpu) {
		out.push({
			id: "fpu.instructions",
			severity,
			message: `The code has floating-point (VFP) instructions (${f.fpu.count} found, first: ${listed(f.fpu)}) but the ${chip.name} has no FPU: the first one faults.`,
			evidence: { count: f.fpu.count, first: f.fpu.first[0]!.address },
		});
	}
	const builtDouble = built.fpu === "double";
	if (f && fpu === "single" && builtDouble && f.fpuDouble.count >= MIN_USES) {
		out.push({
			id: "fpu.double",
			severity,
			message: `The code does double-precision arithmetic in the FPU (${f.fpuDouble.count} found, first: ${listed(f.fpuDouble)}) but the ${chip.name}'s FPU is single precision: the first one faults.`,
			evidence: { count: f.fpuDouble.count, first: f.fpuDouble.first[0]!.address },
		});
	}
	if (guess.usesCache && core !== "Cortex-M7" && built.core === "Cortex-M7") {
		out.push({
			id: "cache.missing",
			severity,
			message: `The code maintains the Cortex-M7 L1 cache (writes ICIALLU at 0xE000EF50 or reads CCSIDR at 0xE000ED80) but the ${chip.name} is a ${core} without one: built for an STM32F7 or H7.`,
			evidence: { iciallu: 0xe000ef50, ccsidr: 0xe000ed80 },
		});
	}
	return out;
}
