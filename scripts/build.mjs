/**
 * Bundles the CLI (dist/cli.js, from tsc) into dist/bin: one entry plus code-split chunks, so that
 * each command loads only what it runs. Ink, React and meow are bundled too: loading them as
 * hundreds of separate modules (React's reconciler through Node's CommonJS lexer) cost the
 * assistant's first frame about 300 ms. usb stays external: it is a native module.
 */
import { readFile, rm } from "node:fs/promises";
import { build } from "esbuild";
import { BOUNDED_FILES, boundInkCache } from "./ink-bounded-caches.mjs";

/**
 * meow's prebuilt dependency file runs normalize-package-data (with its SPDX licence tables) when
 * it loads, about 15 ms of every start, although bringup gives meow its package data and never asks
 * for it normalised. Make that one call lazy; if the file ever changes shape, keep it as it is.
 */
const lazyPackageNormaliser = {
	name: "lazy-package-normaliser",
	setup(bundler) {
		bundler.onLoad({ filter: /meow[\\/]build[\\/]dependencies\.js$/ }, async ({ path }) => {
			const text = await readFile(path, "utf8");
			const eager =
				"var normalizeExports = requireNormalize();\nconst normalizePackageData = getDefaultExportFromCjs(normalizeExports);";
			if (!text.includes(eager)) {
				return {
					contents: text,
					warnings: [
						{ text: "meow's dependencies changed shape: normalize-package-data stays eager" },
					],
				};
			}
			const lazy =
				"const normalizePackageData = (...a) => getDefaultExportFromCjs(requireNormalize())(...a);";
			return { contents: text.replace(eager, lazy), loader: "js" };
		});
	},
};

// Chunk names carry a hash: clear out the last build's chunks.
await rm("dist/bin", { recursive: true, force: true });

/** Ink's text caches, bounded (see ink-bounded-caches.mjs). */
const boundedInkCaches = {
	name: "bounded-ink-caches",
	setup(bundler) {
		const names = BOUNDED_FILES.map((n) => n.replace(".", "\\.")).join("|");
		bundler.onLoad(
			{ filter: new RegExp(`ink[\\\\/]build[\\\\/](${names})$`) },
			async ({ path }) => {
				const name = path.split(/[\\/]/).pop();
				return { contents: boundInkCache(name, await readFile(path, "utf8")), loader: "js" };
			},
		);
	},
};

await build({
	entryPoints: ["dist/cli.js"],
	bundle: true,
	splitting: true,
	format: "esm",
	platform: "node",
	target: "node20",
	outdir: "dist/bin",
	chunkNames: "chunks/[name]-[hash]",
	// Ink loads its devtools only when DEV=true; the package is not a dependency of ours.
	external: ["usb", "react-devtools-core"],
	// React's development build checks every element and times every render: the assistant is a
	// product, not a React app under development.
	define: { "process.env.NODE_ENV": '"production"' },
	// Less to parse at every start (about 10 ms of the first frame); BRINGUP_NO_MINIFY=1 for profiling.
	minify: process.env.BRINGUP_NO_MINIFY !== "1",
	// Bundled CommonJS (React, meow's dependencies) calls require() for Node's own modules.
	banner: {
		js: "import{createRequire as __bringupRequire}from'node:module';const require=__bringupRequire(import.meta.url);",
	},
	plugins: [lazyPackageNormaliser, boundedInkCaches],
	logLevel: "warning",
});
