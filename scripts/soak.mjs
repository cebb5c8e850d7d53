#!/usr/bin/env node
// npm run soak -- [SEED] [KEYS]: the assistant's soak test (test/soak/) for as many keys as asked,
// with progress every 5,000 keys on stderr. CI runs 100,000 keys with a fixed seed.
import { spawnSync } from "node:child_process";

const [seed = String(Date.now() % 2 ** 31), keys = "1000000"] = process.argv.slice(2);
if (!/^\d+$/.test(seed) || !/^\d+$/.test(keys)) {
	process.stderr.write("usage: npm run soak -- [SEED] [KEYS]   (whole numbers)\n");
	process.exit(2);
}
process.stderr.write(`soak: seed ${seed}, ${keys} keys\n`);
const run = spawnSync("npx", ["vitest", "run", "test/soak/soak.test.ts"], {
	stdio: "inherit",
	env: { ...process.env, SOAK_SEED: seed, SOAK_KEYS: keys, SOAK_LONG: "1" },
});
process.exit(run.status ?? 1);
