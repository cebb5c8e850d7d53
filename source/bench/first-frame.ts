import { spawn, spawnSync } from "node:child_process";
import { CLI } from "./cold-start.js";
import { median } from "./median.js";

/** Ink ends every frame it draws with the end of a synchronized update (DEC mode 2026). */
const FRAME_END = "\x1b[?2026l";

export interface FirstFrame {
	/** Process start to the end of the first whole frame of the Devices screen. */
	firstFrameMs: number;
	/** Process start to the first frame that shows the simulated board decoded (its alt settings). */
	decodedMs: number;
}

/** Whether util-linux `script` is here to give the assistant a terminal (80x24) to draw on. */
export function canMeasureFirstFrame(): boolean {
	return spawnSync("script", ["--version"], { stdio: "ignore" }).status === 0;
}

function once(args: readonly string[]): Promise<FirstFrame> {
	const command = `stty cols 80 rows 24; exec ${[process.execPath, CLI, ...args].join(" ")}`;
	return new Promise((resolve, reject) => {
		const start = performance.now();
		const child = spawn("script", ["-qfec", command, "/dev/null"], {
			stdio: ["pipe", "pipe", "ignore"],
			detached: true,
		});
		let seen = "";
		let firstFrameMs: number | undefined;
		const stop = (error?: Error) => {
			clearTimeout(timer);
			try {
				if (child.pid) process.kill(-child.pid, "SIGKILL");
			} catch {}
			if (error) reject(error);
		};
		const timer = setTimeout(
			() => stop(new Error(`no frame within 10 s: ${JSON.stringify(seen.slice(-300))}`)),
			10_000,
		);
		child.stdout.setEncoding("latin1");
		child.stdout.on("data", (chunk: string) => {
			const now = performance.now() - start;
			seen += chunk;
			if (firstFrameMs === undefined && seen.includes("Devices") && seen.includes(FRAME_END))
				firstFrameMs = now;
			const decoded = seen.lastIndexOf("Alt 0");
			if (firstFrameMs !== undefined && decoded >= 0 && seen.indexOf(FRAME_END, decoded) >= 0) {
				stop();
				resolve({ firstFrameMs, decodedMs: now });
			}
		});
		child.on("error", (error) => stop(error));
	});
}

/**
 * The assistant's start as a person at a terminal sees it: wall time from the process start to
 * its first complete frame, in a pseudo-terminal of 80x24, median of `runs`.
 */
export async function measureFirstFrame(
	args: readonly string[] = ["--sim"],
	runs = 9,
): Promise<FirstFrame> {
	const samples: FirstFrame[] = [];
	for (let i = 0; i < runs; i++) samples.push(await once(args));
	return {
		firstFrameMs: median(samples.map((s) => s.firstFrameMs)),
		decodedMs: median(samples.map((s) => s.decodedMs)),
	};
}
