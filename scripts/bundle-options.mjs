/**
 * How the assistant is bundled, for the CLI (scripts/build.mjs) and for anything that must run the
 * screens exactly as the CLI does (the soak test): Ink, React and meow bundled, React's production
 * build, Ink's text caches bounded. usb stays external: it is a native module.
 */
import { readFile } from "node:fs/promises";
import { BOUNDED_FILES, boundInkCache } from "./ink-bounded-caches.mjs";

/**
 * meow's prebuilt dependency file runs normalize-package-data (with its SPDX licence tables) when
 * it loads, about 15 ms of every start, although bringup gives meow its package data and never asks
 * for it normalised. Make that one call lazy; if the file ever changes shape, keep it as it is.
 */
export const lazyPackageNormaliser = {
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

/** Ink's text caches, bounded (see ink-bounded-caches.mjs). */
export const boundedInkCaches = {
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

/** The esbuild options every bundle of the assistant shares; add entryPoints and where it goes. */
export const bundleOptions = {
	bundle: true,
	format: "esm",
	platform: "node",
	target: "node20",
	// Ink loads its devtools only when DEV=true; the package is not a dependency of ours.
	external: ["usb", "react-devtools-core"],
	// React's development build checks every element and times every render: the assistant is a
	// product, not a React app under development.
	define: { "process.env.NODE_ENV": '"production"' },
	// Bundled CommonJS (React, meow's dependencies) calls require() for Node's own modules.
	banner: {
		js: "import{createRequire as __bringupRequire}from'node:module';const require=__bringupRequire(import.meta.url);",
	},
	plugins: [lazyPackageNormaliser, boundedInkCaches],
	logLevel: "warning",
};
