import { beforeAll, describe, expect, it } from "vitest";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { evidenceTargets, runEvidenceFuzz } from "./evidence-fuzz-harness.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

const CASES = Number(process.env.BRINGUP_FUZZ_CASES ?? 100_000);
const SEED = Number(process.env.BRINGUP_FUZZ_SEED ?? 20261130);

describe("evidence parsers, long fuzz", () => {
	for (const target of evidenceTargets()) {
		it(`${target.name}: ${CASES} cases (seed ${SEED})`, () => {
			const { results, errors } = runEvidenceFuzz(target, SEED, CASES);
			console.log(`${target.name}: ${results} results, ${errors} typed errors`);
			expect(results + errors).toBe(CASES);
			expect(results).toBeGreaterThan(0);
		});
	}
});
