#!/usr/bin/env node
// npm run soak -- [SEED] [KEYS]: the assistant's soak test for as long as asked (CI runs a short one).
import { spawnSync } from "node:child_process";

const [seed = String(Date.now() % 2 ** 31), keys = "100000"] = process.argv.slice(2);
if (!/^\d+$/.test(seed) || !/^\d+$/.test(keys)) {
	process.stderr.write("usage: npm run soak -- [SEED] [KEYS]   (whole numbers)\n");
	process.exit(2);
}
process.stderr.write(`soak: seed ${seed}, ${keys} keys\n`);
const run = spawnSync("npx", ["vitest", "run", "test/soak/soak.test.tsx"], {
	stdio: "inherit",
	env: { ...process.env, SOAK_SEED: seed, SOAK_KEYS: keys, SOAK_LONG: "1" },
});
process.exit(run.status ?? 1);
