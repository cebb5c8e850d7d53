import { spawn } from "node:child_process";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { build, type Plugin } from "esbuild";
import { expect, test } from "vitest";
// @ts-expect-error: a build script, plain JavaScript
import { bundleOptions } from "../../scripts/bundle-options.mjs";
import type { SoakFigures } from "./soak-run.js";

const seed = Number(process.env.SOAK_SEED ?? 20261130);
// CI runs 100,000 keys; npm run soak -- SEED KEYS runs as many as asked.
const keys = Number(process.env.SOAK_KEYS ?? 100_000);
const long = process.env.SOAK_LONG !== undefined;

/** Ink's Output class goes through withPlainFrames (fast-frames.ts) in the soak's bundle. */
const plainFrames: Plugin = {
	name: "soak-plain-frames",
	setup(bundler) {
		bundler.onLoad({ filter: /ink[\\/]build[\\/]output\.js$/ }, async ({ path }) => {
			const text = await readFile(path, "utf8");
			const head = "export default class Output";
			if (!text.includes(head)) throw new Error(`${path} changed: '${head}' is not there`);
			const helper = JSON.stringify(join(import.meta.dirname, "fast-frames.ts"));
			return {
				contents: `${text.replace(head, "class Output")}\nimport { withPlainFrames } from ${helper};\nexport default withPlainFrames(Output);\n`,
				loader: "js",
			};
		});
	},
};

/**
 * The soak runs in a process of its own, bundled as the CLI bundles the assistant
 * (scripts/bundle-options.mjs: Ink and React bundled, React's production build, Ink's caches
 * bounded): the screens are timed and measured as a user runs them, and the memory figures are
 * the assistant's alone. Its terminal has no styles (FORCE_COLOR=0, as with TERM=dumb).
 */
async function runSoak(): Promise<{
	ok: boolean;
	error?: string;
	figures?: SoakFigures;
}> {
	const root = join(import.meta.dirname, "../..");
	const outdir = join(root, "node_modules/.cache/bringup-soak");
	await build({
		...bundleOptions,
		entryPoints: [join(import.meta.dirname, "soak-main.tsx")],
		// Split like the CLI: Ink's devtools (and the package they import) stay in a chunk never loaded.
		splitting: true,
		outdir,
		outExtension: { ".js": ".mjs" },
		plugins: [...bundleOptions.plugins, plainFrames],
	});
	const outfile = join(outdir, "soak-main.mjs");
	const child = spawn(
		process.execPath,
		["--expose-gc", outfile, String(seed), String(keys), "5000"],
		{
			cwd: root,
			env: { ...process.env, CI: "false", FORCE_COLOR: "0" },
			stdio: ["ignore", "pipe", "inherit"],
		},
	);
	let last: { ok: boolean; error?: string; figures?: SoakFigures } | undefined;
	for await (const text of createInterface({ input: child.stdout })) {
		const line = JSON.parse(text) as { progress?: SoakFigures; ok?: boolean };
		if (line.progress) {
			if (long) process.stderr.write(`soak ${JSON.stringify(line.progress)}\n`);
		} else last = line as typeof last;
	}
	const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
	return last ?? { ok: false, error: `the soak process ended with code ${code} and no result` };
}

test(
	`soak: ${keys} random keys at the assistant, seed ${seed}`,
	async () => {
		const result = await runSoak();
		process.stderr.write(
			`soak ${result.ok ? "done" : "FAILED"} ${JSON.stringify(result.figures)}\n`,
		);
		expect(result.error).toBeUndefined();
		const figures = result.figures!;
		expect(figures.keys).toBeGreaterThanOrEqual(keys);
		// It did what it claims: flashes for real, keys during them, plugs, resizes and quits, and
		// frames checked against Ink's own layout.
		expect(figures.flashesStarted).toBeGreaterThanOrEqual(Math.floor(keys / 1_000));
		expect(figures.flashesDone).toBeGreaterThan(0);
		expect(figures.keysWhileFlashing).toBeGreaterThanOrEqual(Math.floor(keys / 50));
		for (const what of [
			"plugs",
			"unplugs",
			"resizes",
			"quits",
			"bursts",
			"verifiedFrames",
		] as const)
			expect(figures[what], what).toBeGreaterThan(0);
		// npm run soak runs as long as asked: about 1.5 ms a key, and time to spare.
	},
	Math.max(900_000, keys * 10),
);
