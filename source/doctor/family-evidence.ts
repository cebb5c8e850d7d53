import type { Core } from "../chips/types.js";
import { hex } from "../errors.js";
import { type ArmAttributes, CPU_ARCH_NAMES } from "../image/arm-attributes.js";
import type { CodeFeatures } from "./code-features.js";
import type { MentionTally } from "./evidence-strings.js";
import type { Candidate } from "./family-signatures.js";

/** What an image says about itself beyond register addresses: names, build attributes, code. */
export interface ImageEvidence {
	mentions: MentionTally[];
	features: CodeFeatures;
	attributes?: ArmAttributes;
}

export interface Tally {
	candidate: Candidate;
	score: number;
	addressScore: number;
	evidence: string[];
	uses: Map<string, number>;
}

const CORE_OF_OTHER: Record<string, Core> = {
	nRF52: "Cortex-M4",
	SAMD21: "Cortex-M0+",
	LPC17xx: "Cortex-M3",
	LPC11xx: "Cortex-M0",
	RP2040: "Cortex-M0+",
};

export function coreOf(candidate: Candidate): Core | undefined {
	return candidate.core ?? CORE_OF_OTHER[candidate.family];
}

const ARMV6M = new Set<Core>(["Cortex-M0", "Cortex-M0+"]);

/** Names in the image weigh most: a part number in a USB string or a HAL path is the build. */
const MENTION = 3;
/** Thumb-2 in the code rules out an ARMv6-M part; its absence in a lot of code points to one. */
const THUMB2_ON_V6M = 3;
const NO_THUMB2 = 1;
const MIN_DECODED = 40;
const MANY_DECODED = 40;
const FPU_WITHOUT_FPU = 2;
const ATTRIBUTE = 1.5;

function mentionPhrase(t: MentionTally): string {
	const ex = t.examples
		.slice(0, 2)
		.map((m) => `"${m.text.length > 48 ? `${m.text.slice(0, 45)}...` : m.text}" at ${m.where}`)
		.join(", ");
	return `names ${t.stm32 ? `STM32${t.family}` : t.family} in its data (${ex}${t.count > 2 ? `, ${t.count} names in all` : ""})`;
}

/** Archs from Tag_CPU_arch: which cores the build can be for. */
function coresForArch(arch: number): Core[] | undefined {
	if (arch === 11 || arch === 12) return ["Cortex-M0", "Cortex-M0+"];
	if (arch === 10) return ["Cortex-M3"];
	if (arch === 13) return ["Cortex-M4", "Cortex-M7"];
	if (arch === 16 || arch === 17) return ["Cortex-M33"];
	return undefined;
}

export function applyEvidence(tallies: Tally[], evidence: ImageEvidence): void {
	const stm32Mentions = evidence.mentions.filter((m) => m.stm32);
	const stm32Total = stm32Mentions.reduce((sum, m) => sum + m.count, 0);
	for (const m of evidence.mentions) {
		const t = tallies.find((x) => x.candidate.family === m.family && x.candidate.stm32 === m.stm32);
		if (!t) continue;
		const share = m.stm32 ? m.count / stm32Total : 1;
		t.score += MENTION * share;
		t.evidence.unshift(mentionPhrase(m));
	}

	const { features } = evidence;
	if (features.instructions >= MIN_DECODED) {
		const first = features.thumb2.first[0];
		for (const t of tallies) {
			const core = coreOf(t.candidate);
			if (!core) continue;
			const v6m = ARMV6M.has(core);
			if (features.thumb2.count >= 3 && v6m) t.score -= THUMB2_ON_V6M;
			else if (features.thumb2.count >= 3 && first)
				t.evidence.push(
					`its code uses Thumb-2 (${features.thumb2.count} ARMv7-M instructions, first ${first.encoding} at ${hex(first.address)})`,
				);
			else if (features.thumb2.count === 0 && features.instructions >= MANY_DECODED && v6m) {
				t.score += NO_THUMB2;
				t.evidence.push(
					`its code is ARMv6-M only (no Thumb-2 in ${features.instructions} instructions followed from the handlers)`,
				);
			}
		}
	}
	if (features.fpu.count > 0) {
		const first = features.fpu.first[0]!;
		for (const t of tallies) {
			if (t.candidate.fpu === "none") t.score -= FPU_WITHOUT_FPU;
			else if (t.candidate.fpu !== "unknown")
				t.evidence.push(
					`its code has FPU instructions (${features.fpu.count}, first ${first.encoding} at ${hex(first.address)})`,
				);
		}
	}

	const attrs = evidence.attributes;
	const cores = attrs?.cpuArch !== undefined ? coresForArch(attrs.cpuArch) : undefined;
	if (attrs && cores) {
		const name = `${attrs.cpuName ? `${attrs.cpuName}, ` : ""}${CPU_ARCH_NAMES[attrs.cpuArch!] ?? `arch ${attrs.cpuArch}`}`;
		for (const t of tallies) {
			const core = coreOf(t.candidate);
			if (!core) continue;
			if (cores.includes(core)) {
				t.score += ATTRIBUTE;
				t.evidence.push(`its ELF build attributes say ${name}`);
			} else if (!(ARMV6M.has(cores[0]!) && !ARMV6M.has(core))) {
				// ARMv6-M code also runs on bigger cores; anything else needs its own core.
				t.score -= ATTRIBUTE;
			}
		}
	}
}
