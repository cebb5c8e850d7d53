import { readFileSync } from "node:fs";

function packageVersion(): string {
	// dist/source/commands/version.js and source/commands/version.ts both sit below the package root.
	for (const up of ["../../../package.json", "../../package.json"]) {
		try {
			const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as {
				name?: string;
				version?: string;
			};
			if (pkg.name === "bringup" && pkg.version) return pkg.version;
		} catch {
			// try the next candidate
		}
	}
	return "unknown";
}

export const VERSION = packageVersion();
