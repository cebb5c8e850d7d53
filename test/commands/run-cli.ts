import { vi } from "vitest";
import { main } from "../../source/commands/main.js";

export interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
	/** stdout lines parsed as JSON (for --json runs). */
	json(): Record<string, unknown>[];
}

/** Runs the CLI in-process, as `bringup ARGS...`, capturing what it prints. */
export async function runCli(...argv: string[]): Promise<CliRun> {
	let stdout = "";
	let stderr = "";
	const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
		stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
		return true;
	});
	const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
		stderr += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
		return true;
	});
	try {
		const code = await main(argv);
		return {
			code,
			stdout,
			stderr,
			json: () =>
				stdout
					.split("\n")
					.filter((l) => l.startsWith("{"))
					.map((l) => JSON.parse(l) as Record<string, unknown>),
		};
	} finally {
		out.mockRestore();
		err.mockRestore();
	}
}
