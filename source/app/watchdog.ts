import { Worker } from "node:worker_threads";

export interface WatchdogOptions {
	/** How long the main thread may go without a heartbeat before the process is ended. */
	stallMs?: number;
	/** Heartbeat period of the main thread. */
	beatMs?: number;
	/** Printed on stderr when the watchdog ends the process. */
	message?: string;
}

export interface Watchdog {
	stop(): void;
}

// Runs in its own thread: signals are only ever delivered to the main thread's event loop, so
// when that loop is stuck (an endless render, say) SIGTERM, SIGINT and Ctrl-C are never handled.
// The watchdog notices the missing heartbeat, restores the terminal and ends the process.
const WORKER = `
const { workerData } = require("node:worker_threads");
const { writeSync } = require("node:fs");
const { spawnSync } = require("node:child_process");
const beat = new Float64Array(workerData.heartbeat);
setInterval(() => {
	if (Date.now() - beat[0] < workerData.stallMs) return;
	try { writeSync(1, "\\u001b[?25h\\n"); } catch {}
	try { spawnSync("stty", ["sane"], { stdio: ["inherit", "ignore", "ignore"] }); } catch {}
	try { writeSync(2, workerData.message + "\\n"); } catch {}
	process.kill(process.pid, "SIGKILL");
}, Math.min(500, workerData.stallMs / 4));
`;

/**
 * Ends the process when its main thread stops answering for `stallMs`: the one way out of a
 * stuck event loop, where no signal handler can run. Neither the heartbeat nor the thread keeps
 * the process alive.
 */
export function startWatchdog(options: WatchdogOptions = {}): Watchdog {
	const stallMs = options.stallMs ?? 5_000;
	const beatMs = options.beatMs ?? 250;
	const heartbeat = new SharedArrayBuffer(8);
	const beat = new Float64Array(heartbeat);
	beat[0] = Date.now();
	const worker = new Worker(WORKER, {
		eval: true,
		// The worker's code is CommonJS whatever flags the process was started with.
		execArgv: [],
		workerData: {
			heartbeat,
			stallMs,
			message:
				options.message ??
				`bringup: the screen stopped answering for ${stallMs / 1000} s; ended it (this is a bug, please report it)`,
		},
	});
	// A watchdog that fails to start must not take the session with it.
	worker.on("error", () => {});
	worker.unref();
	const timer = setInterval(() => {
		beat[0] = Date.now();
	}, beatMs);
	timer.unref();
	return {
		stop() {
			clearInterval(timer);
			void worker.terminate();
		},
	};
}
