import type { ErrorInfo } from "../store/events.js";

/** What the Flash screen asks the controller to plan. Nothing is written until confirmFlash. */
export interface FlashRequest {
	/** The target the user saw when planning (the store's selection then); the job names it too. */
	device?: string;
	file: string;
	/** Load address for raw images (.bin); other formats carry their own addresses. */
	address?: number;
	alt?: number;
	verify: boolean;
	leave: boolean;
	/** Plan even when the inspector reports errors (dfu-util's `:force`). */
	force?: boolean;
	/**
	 * "matching": every DFU board like the selected one (source/app/boards.ts), each planned as
	 * its own job of one batch; default: the selected board alone.
	 */
	boards?: "selected" | "matching";
}

/** The outcome of an intent that starts work: the job the store will report on, or why not. */
export type IntentResult = { ok: true; job: string } | { ok: false; error: ErrorInfo };

/** Answers a checklist step accepts from the keyboard. */
export type CheckAnswer = "pass" | "fail" | "skip" | "value";

/**
 * Everything the screens can ask for. Screens never touch USB, the DfuSe core or the simulator:
 * they call these, and what happens comes back as events in the store. A call returning
 * `void` is fire-and-forget; its effect shows up in the store or not at all.
 */
export interface Intents {
	/** True when nothing can be sent (a replayed recording): screens hide their actions. */
	readonly readOnly?: boolean;
	/** Present when the session is a recording the user can step through (`--replay FILE`). */
	readonly replay?: ReplayControls;
	selectDevice(key: string): void;
	/** Switch to the simulated backend (no USB, or the user wants to try things out). */
	useSimulator(): void;
	/**
	 * Plug simulated boards (`count`, default 1); `profile` names a scenario when the controller
	 * knows several.
	 */
	plugSim(profile?: string, count?: number): void;
	unplugSim(key: string): void;
	/** Plans a flash on the selected device; the job appears as `flash.planned`. */
	prepareFlash(request: FlashRequest): Promise<IntentResult>;
	/**
	 * Starts a planned flash. `confirmed` holds the ids of the plan's confirmations the user
	 * accepted (option bytes, OTP, mass erase); without all of them nothing is written.
	 */
	confirmFlash(job: string, confirmed?: readonly string[]): void;
	cancelFlash(job: string): void;
	/**
	 * The board's supply for a planned flash (every board of its batch), in volts, or null when
	 * it is not known: remembered per board (as --voltage is) and the plan made again with the
	 * loader's supply range, or byte-wise. Nothing is written to a device.
	 */
	setSupply(job: string, volts: number | null): Promise<IntentResult>;
	/** Destructive: erases all of flash. The UI asks for a typed confirmation first. */
	massErase(key: string): Promise<IntentResult>;
	/** Destructive: read-unprotect mass-erases the chip. The UI asks for a typed confirmation first. */
	unprotect(key: string): Promise<IntentResult>;
	startChecklist(): void;
	answerCheck(step: string, answer: CheckAnswer, value?: number | string): void;
	writeReport(path: string): Promise<{ ok: true; path: string } | { ok: false; error: ErrorInfo }>;
	quit(): void;
}

const readOnlyError: ErrorInfo = {
	kind: "read-only",
	message: "this is a replayed session; nothing can be sent to a device",
	hint: "run bringup without --replay to work with a board",
};

/**
 * Moving through a recorded session. The state the screens read is always the reducer over the
 * first N events, so its `seq` is the position and its `now` the time of the last applied event.
 * A replay store satisfies this as it is; the screens never import it.
 */
export interface ReplayControls {
	/** Events in the recording. */
	length(): number;
	/** Timestamp of the first event, so the header can show time into the session. */
	startedAt(): number | undefined;
	/** Moves to `n` applied events (clamped). */
	seek(n: number): void;
	next(): void;
	previous(): void;
	/** The next / previous interesting event: plans, phases, results, plugs, answers, warnings. */
	nextMarker(): void;
	previousMarker(): void;
}

/** Intents for `--replay`: every action is refused or ignored, so the screens only show. */
export const readOnlyIntents: Intents = {
	readOnly: true,
	selectDevice: () => {},
	useSimulator: () => {},
	plugSim: () => {},
	unplugSim: () => {},
	prepareFlash: async () => ({ ok: false, error: readOnlyError }),
	confirmFlash: () => {},
	cancelFlash: () => {},
	setSupply: async () => ({ ok: false, error: readOnlyError }),
	massErase: async () => ({ ok: false, error: readOnlyError }),
	unprotect: async () => ({ ok: false, error: readOnlyError }),
	startChecklist: () => {},
	answerCheck: () => {},
	writeReport: async () => ({ ok: false, error: readOnlyError }),
	quit: () => {},
};

/** Read-only intents that can also step through the recording. */
export function replayIntents(replay: ReplayControls): Intents {
	return { ...readOnlyIntents, replay };
}
