import { beforeAll, describe, expect, it } from "vitest";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { evidenceTargets, runEvidenceFuzz } from "./evidence-fuzz-harness.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

/** A quick pass in the normal suite; `npm run fuzz` runs 100,000 cases per target. */
describe("evidence parsers under random and mutated input", () => {
	for (const target of evidenceTargets()) {
		it(`${target.name}: 1000 cases give a result or a typed error`, () => {
			const { results, errors } = runEvidenceFuzz(target, 0x5eed, 1000);
			expect(results + errors).toBe(1000);
			expect(results).toBeGreaterThan(0);
		});
	}
});
