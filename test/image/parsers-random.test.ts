import { describe, expect, it } from "vitest";
import { fuzzTargets, runFuzz } from "./fuzz-harness.js";

/** A quick pass of the fuzz harness in the normal suite; `npm run fuzz` runs 100k per parser. */
describe("parsers under random and mutated input", () => {
	for (const target of fuzzTargets()) {
		it(`${target.name}: 2000 cases give an Image or a typed error`, () => {
			const { images, errors } = runFuzz(target, 0xb00710ad, 2000);
			expect(images + errors).toBe(2000);
			// Mutations must reach both outcomes, or the harness is not exercising the parser.
			expect(errors).toBeGreaterThan(0);
			expect(images).toBeGreaterThan(0);
		});
	}
});
