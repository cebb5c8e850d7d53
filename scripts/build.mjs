/**
 * Bundles the CLI (dist/cli.js, from tsc) into dist/bin: one entry plus code-split chunks, so that
 * each command loads only what it runs. Ink, React and meow are bundled too: loading them as
 * hundreds of separate modules (React's reconciler through Node's CommonJS lexer) cost the
 * assistant's first frame about 300 ms. usb stays external: it is a native module. The options
 * are in bundle-options.mjs.
 */
import { rm } from "node:fs/promises";
import { build } from "esbuild";
import { bundleOptions } from "./bundle-options.mjs";

// Chunk names carry a hash: clear out the last build's chunks.
await rm("dist/bin", { recursive: true, force: true });

await build({
	...bundleOptions,
	entryPoints: ["dist/cli.js"],
	splitting: true,
	outdir: "dist/bin",
	chunkNames: "chunks/[name]-[hash]",
	// Less to parse at every start (about 10 ms of the first frame); BRINGUP_NO_MINIFY=1 for profiling.
	minify: process.env.BRINGUP_NO_MINIFY !== "1",
});
