import { describe, expect, it } from "vitest";
import { fuzzTargets, runFuzz } from "./fuzz-harness.js";

const CASES = Number(process.env.BRINGUP_FUZZ_CASES ?? 100_000);
const SEED = Number(process.env.BRINGUP_FUZZ_SEED ?? 20261124);

describe("image parsers, long fuzz", () => {
	for (const target of fuzzTargets()) {
		it(`${target.name}: ${CASES} cases (seed ${SEED})`, () => {
			const { images, errors } = runFuzz(target, SEED, CASES);
			console.log(`${target.name}: ${images} images, ${errors} typed errors`);
			expect(images + errors).toBe(CASES);
			expect(errors).toBeGreaterThan(0);
		});
	}
});
