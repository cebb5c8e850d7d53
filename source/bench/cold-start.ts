import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { median } from "./median.js";

/** The bundled CLI the benches start, as `bringup` runs it. */
export const CLI = fileURLToPath(new URL("../../bin/cli.js", import.meta.url));

export interface ColdStart {
	command: string;
	medianMs: number;
	/** Median of `node -e 0` on this machine: the floor no Node CLI can go under. */
	nodeFloorMs: number;
	runs: number;
}

function time(args: string[], runs: number): number {
	const samples: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		const r = spawnSync(process.execPath, args, { stdio: "ignore" });
		samples.push(performance.now() - start);
		if (r.status !== 0 && args[0] !== "-e") throw new Error(`${args.join(" ")} exited ${r.status}`);
	}
	return median(samples);
}

/** Wall time of whole processes, as a person at a shell prompt sees it. */
export function measureColdStart(commands: string[][], runs = 9): ColdStart[] {
	const nodeFloorMs = time(["-e", "0"], runs);
	return commands.map((argv) => ({
		command: `bringup ${argv.join(" ")}`,
		medianMs: time([CLI, ...argv], runs),
		nodeFloorMs,
		runs,
	}));
}
