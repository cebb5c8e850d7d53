import { expect, test } from "vitest";
import { soak } from "./soak-run.js";

const seed = Number(process.env.SOAK_SEED ?? 20261130);
// CI runs a short soak; npm run soak -- SEED KEYS runs a long one.
const keys = Number(process.env.SOAK_KEYS ?? 800);

test(`soak: ${keys} random keys, seed ${seed}`, async () => {
	const figures = await soak({
		seed,
		keys,
		every: 5_000,
		...(process.env.SOAK_LONG
			? { progress: (f) => process.stderr.write(`soak ${JSON.stringify(f)}\n`) }
			: {}),
	});
	if (process.env.SOAK_LONG) process.stderr.write(`soak done ${JSON.stringify(figures)}\n`);
	expect(figures.keys).toBeGreaterThanOrEqual(keys);
}, 600_000);
