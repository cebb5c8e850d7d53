import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The repository carries its own documentation: every document a comment cites must be in it, and
 * nothing may point at material a reader of the repository does not have.
 */
const ROOT = join(import.meta.dirname, "..", "..");
const SCANNED = ["source", "test", "cli.tsx", "README.md", "docs", "scripts", ".ci"];
const SKIPPED = new Set(["node_modules", "dist", "fixtures"]);

function* files(path: string): Generator<string> {
	let stats: ReturnType<typeof statSync>;
	try {
		stats = statSync(path);
	} catch {
		return;
	}
	if (stats.isFile()) {
		yield path;
		return;
	}
	for (const entry of readdirSync(path)) {
		if (!SKIPPED.has(entry)) yield* files(join(path, entry));
	}
}

const texts = SCANNED.flatMap((top) => [...files(join(ROOT, top))])
	.filter((file) => /\.(ts|tsx|mjs|js|md|sh)$/.test(file) || file.endsWith("/run"))
	.map((file) => ({ file: relative(ROOT, file), text: readFileSync(file, "utf8") }));

describe("documents cited in the repository", () => {
	it("scans the source and the docs", () => {
		expect(texts.some((t) => t.file.startsWith("source/"))).toBe(true);
		expect(texts.some((t) => t.file === "docs/dfuse-protocol.md")).toBe(true);
	});

	it("every docs/*.md a file cites exists", () => {
		const missing: string[] = [];
		for (const { file, text } of texts) {
			for (const match of text.matchAll(/\bdocs\/([\w./-]+\.md)\b/g)) {
				const target = join(ROOT, "docs", match[1] as string);
				try {
					statSync(target);
				} catch {
					missing.push(`${file} cites docs/${match[1]}`);
				}
			}
		}
		expect(missing).toEqual([]);
	});

	it("nothing points at documents outside the repository", () => {
		const outside = texts
			.filter(
				({ file, text }) =>
					file !== "test/docs/citations.test.ts" &&
					/DFUSE\.md|shared\/docs|ARCHITECTURE\.md/.test(text),
			)
			.map(({ file }) => file);
		expect(outside).toEqual([]);
	});
});
