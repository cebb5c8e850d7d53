import { constants } from "node:os";

export type ShutdownSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

export interface ShutdownOptions {
	/** Ends the session the normal way (unmounts the screens, closes devices). */
	quit: (signal: ShutdownSignal) => void;
	/** How long the normal way may take before the process is ended regardless. */
	graceMs?: number;
	exit?: (code: number) => void;
	/** The process to listen on; tests pass an EventEmitter. */
	on?: Pick<NodeJS.Process, "on" | "off">;
}

/** 128 + the signal's number, as a shell reports a process ended by it (130 for SIGINT). */
export function signalExitCode(signal: ShutdownSignal): number {
	return 128 + constants.signals[signal];
}

/**
 * SIGINT, SIGTERM and SIGHUP end the assistant: the session is quit the normal way, and if that
 * has not ended the process within `graceMs` (a device that does not answer, a stuck promise), the
 * process exits anyway. A second signal exits at once. Returns the function that uninstalls it.
 */
export function installShutdown(options: ShutdownOptions): () => void {
	const target = options.on ?? process;
	const exit = options.exit ?? ((code: number) => process.exit(code));
	const graceMs = options.graceMs ?? 1500;
	let received: ShutdownSignal | undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const handlers = new Map<ShutdownSignal, () => void>();
	for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
		const handler = () => {
			const code = signalExitCode(signal);
			if (received) return exit(code);
			received = signal;
			process.exitCode = code;
			timer = setTimeout(() => exit(code), graceMs);
			try {
				options.quit(signal);
			} catch {
				exit(code);
			}
		};
		handlers.set(signal, handler);
		target.on(signal, handler);
	}
	return () => {
		if (timer) clearTimeout(timer);
		for (const [signal, handler] of handlers) target.off(signal, handler);
	};
}
