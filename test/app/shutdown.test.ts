import { spawn } from "node:child_process";
import { EventEmitter } from "node:events";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it, vi } from "vitest";
import { installShutdown, signalExitCode } from "../../source/app/shutdown.js";

afterEach(() => {
	vi.useRealTimers();
	process.exitCode = undefined;
});

describe("installShutdown", () => {
	it("quits the session on SIGTERM and exits with 143 if quitting does not end it in time", () => {
		vi.useFakeTimers();
		const signals = new EventEmitter();
		const quits: string[] = [];
		const exits: number[] = [];
		installShutdown({
			quit: (s) => quits.push(s),
			exit: (c) => exits.push(c),
			graceMs: 1000,
			on: signals as unknown as NodeJS.Process,
		});
		signals.emit("SIGTERM");
		expect(quits).toEqual(["SIGTERM"]);
		expect(process.exitCode).toBe(143);
		expect(exits).toEqual([]);
		vi.advanceTimersByTime(1000);
		expect(exits).toEqual([143]);
	});

	it("a second signal exits at once; uninstalling removes the handlers", () => {
		const signals = new EventEmitter();
		const exits: number[] = [];
		const uninstall = installShutdown({
			quit: () => {},
			exit: (c) => exits.push(c),
			on: signals as unknown as NodeJS.Process,
		});
		signals.emit("SIGINT");
		signals.emit("SIGINT");
		expect(exits).toEqual([130]);
		uninstall();
		expect(signals.listenerCount("SIGINT")).toBe(0);
		expect(signalExitCode("SIGHUP")).toBe(129);
	});
});

const WATCHDOG = resolve("dist/source/app/watchdog.js");

describe.skipIf(!existsSync(WATCHDOG))("startWatchdog", () => {
	it("ends a process whose event loop is stuck, where no signal handler can run", async () => {
		const script = `
			const { startWatchdog } = await import(${JSON.stringify(pathToFileURL(WATCHDOG).href)});
			process.on("SIGTERM", () => {});
			startWatchdog({ stallMs: 400, beatMs: 50, message: "watchdog: stuck" });
			setTimeout(() => { process.stdout.write("stuck"); for (;;) {} }, 100);
		`;
		const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
			stdio: ["ignore", "pipe", "pipe"],
		});
		let stderr = "";
		child.stderr.on("data", (d) => {
			stderr += d;
		});
		child.stdout.once("data", () => child.kill("SIGTERM"));
		const started = Date.now();
		const signal = await new Promise<NodeJS.Signals | null>((r) =>
			child.on("exit", (_code, s) => r(s)),
		);
		expect(signal).toBe("SIGKILL");
		expect(Date.now() - started).toBeLessThan(5000);
		expect(stderr).toContain("watchdog: stuck");
	});

	it("leaves a process that answers alone, and does not keep it alive", async () => {
		const script = `
			const { startWatchdog } = await import(${JSON.stringify(pathToFileURL(WATCHDOG).href)});
			startWatchdog({ stallMs: 200, beatMs: 20 });
			setTimeout(() => process.stdout.write("done"), 600);
		`;
		const child = spawn(process.execPath, ["--input-type=module", "-e", script]);
		let stdout = "";
		child.stdout.on("data", (d) => {
			stdout += d;
		});
		const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
		expect(code).toBe(0);
		expect(stdout).toBe("done");
	});
});
