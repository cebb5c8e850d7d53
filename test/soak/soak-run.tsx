import { EventEmitter } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import { timersFromClock, VirtualClock } from "../../source/clock.js";
import { invariantViolations, jobRunning } from "../../source/store/invariants.js";
import { FINISHED_JOBS_LIMIT, LOG_LIMIT } from "../../source/store/reduce.js";
import { createStore, DEFAULT_HISTORY } from "../../source/store/store.js";
import { MIN_COLUMNS, MIN_ROWS } from "../../source/ui/app.js";
import { createKeyboard, type Keyboard } from "../../source/ui/keyboard.js";
import { APP_MAX_FPS, type RunningApp, renderApp } from "../../source/ui/render-app.js";
import { defaultTheme } from "../../source/ui/theme.js";
import { frameStats } from "./fast-frames.js";
import { frameProblem, SoakTerminal } from "./terminal.js";

/** Small, fast, seedable (mulberry32). */
export function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const K = {
	up: "\u001b[A",
	down: "\u001b[B",
	left: "\u001b[D",
	right: "\u001b[C",
	pageUp: "\u001b[5~",
	pageDown: "\u001b[6~",
	home: "\u001b[H",
	end: "\u001b[F",
	enter: "\r",
	escape: "\u001b",
	tab: "\t",
	backspace: "\u007f",
	ctrlC: "\u0003",
	ctrlU: "\u0015",
};

/** Keys a person might press anywhere, weighted towards the ones the screens use. */
const KEYS = [
	..."1234".split(""),
	..."1234".split(""),
	..."psuyneafvwMUFx0.-?".split(""),
	K.up,
	K.down,
	K.up,
	K.down,
	K.left,
	K.right,
	K.pageUp,
	K.pageDown,
	K.home,
	K.end,
	K.enter,
	K.enter,
	K.escape,
	K.tab,
	K.backspace,
	K.backspace,
	" ",
];

/** Keys of someone looking around while a flash runs. */
const BROWSE_KEYS = [..."12341234?".split(""), K.up, K.down, K.pageUp, K.escape, K.enter];

const SIZES: [number, number][] = [
	[80, 24],
	[80, 24],
	[40, 12],
	[120, 40],
	[30, 8],
	[100, 30],
	[60, 16],
];

/** The simulated boards the Devices screen offers on p (its chooser's 1..6). */
const PROFILES = ["f407", "f411", "f429", "f746", "g474", "h743"];

/**
 * How long the screens may take to show what a key did, in session time: from the key reaching
 * the terminal to the frame that shows its effect. Ink's own cap of APP_MAX_FPS frames a second
 * runs on wall time inside Ink, where no clock can be put; the soak has Ink write every frame and
 * counts a whole frame interval on top of every answer instead.
 */
export const ANSWER_MS = 200;
export const INK_FRAME_MS = 1000 / APP_MAX_FPS;

/**
 * Boards the user keeps plugged: plugs stop at this many, and above it they unplug some before
 * anything else, half the time (random keys plug boards too: p, then a digit).
 */
export const BENCH_BOARDS = 6;

/** Bounds the session is held to after every key. */
export const DEVICES_BOUND = 16;
/** Present boards plus the ones between two enumerations (leave, reset). */
export const BOARDS_BOUND = DEVICES_BOUND + 2;
/**
 * Finished jobs the store keeps (it prunes ten at a time, never the newest flash of many boards),
 * and jobs planned or running.
 */
export const FINISHED_JOBS_BOUND = FINISHED_JOBS_LIMIT + 10 + DEVICES_BOUND;
export const OPEN_JOBS_BOUND = 2 * DEVICES_BOUND;
/**
 * V8 heap plus array buffers (a simulated chip's flash is one) after a full collection, every
 * MEMORY_EVERY keys.
 */
export const MEMORY_BOUND_MIB = 100;
export const MEMORY_EVERY = 2_000;

export interface SoakOptions {
	seed: number;
	keys: number;
	/** Called every `every` actions (a key, a burst, a flash from the form...) with the figures so far. */
	progress?: (figures: SoakFigures) => void;
	every?: number;
}

export interface SoakFigures {
	seed: number;
	keys: number;
	/** Keys pressed while a flash ran (screen switches, quits, plugs during a write). */
	keysWhileFlashing: number;
	actions: number;
	bursts: number;
	resizes: number;
	/** Flashes planned and confirmed from the Flash screen; jobs that ended done or failed. */
	flashesStarted: number;
	/** Times the form's Boards box (flash every board like the selected one) was switched. */
	boardsToggled: number;
	flashesDone: number;
	flashesFailed: number;
	/** Why jobs failed, by error kind. */
	failures: Record<string, number>;
	/** Flash attempts given up (the form could not be reached or nothing was planned). */
	flashesAbandoned: number;
	/** Why, by reason. */
	abandoned: Record<string, number>;
	quits: number;
	plugs: number;
	unplugs: number;
	/** Session time the slowest answer took (Ink's frame interval included) and the mean. */
	maxAnswerMs: number;
	meanAnswerMs: number;
	/** Session time the run covered. */
	sessionHours: number;
	/** Clock steps (timers and sleepers woken); frames Ink wrote, in all and answering keys. */
	steps: number;
	frames: number;
	keyFrames: number;
	/** Frames laid out as plain text, by Ink's own code, and both ways and compared (fast-frames.ts). */
	plainFrames: number;
	inkFrames: number;
	verifiedFrames: number;
	maxHistory: number;
	maxLog: number;
	maxJobs: number;
	maxDevices: number;
	maxBoards: number;
	maxMemoryMiB: number;
	memoryMiB: number;
	/** Wall seconds, CPU seconds (all threads of the process) and keys per wall second. */
	seconds: number;
	cpuSeconds: number;
	keysPerSecond: number;
}

export class SoakFailure extends Error {
	constructor(
		message: string,
		readonly figures: SoakFigures,
		readonly recent: string[],
		readonly frame: string[],
	) {
		super(
			`${message}\nlast actions:\n  ${recent.join("\n  ")}\nlast frame:\n  ${frame.join("\n  ")}`,
		);
	}
}

/** Work that is still running at the current instant: callbacks queued, files being read. */
function busyNow(): boolean {
	for (const resource of process.getActiveResourcesInfo())
		if (resource === "Immediate" || resource.startsWith("FSReq") || resource.endsWith("CloseReq"))
			return true;
	return false;
}

/**
 * Types `keys` random keys (bursts, resizes, plugs, flashes, quits included) at the assistant as
 * `bringup --sim` runs it, with every timer of the session on one manual VirtualClock: time
 * passes between the keys as a user's would, and everything the program does meanwhile happens
 * at the instant it is due. After every key: the screens answered within ANSWER_MS of session
 * time, the frame fits the terminal, the store's invariants hold and nothing grows without bound.
 */
export async function soak(options: SoakOptions): Promise<SoakFigures> {
	const started = performance.now();
	const cpuStarted = process.cpuUsage();
	const rand = random(options.seed);
	const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
	const between = (lo: number, hi: number) => lo + rand() * (hi - lo);

	// The images are typed as relative paths, and w writes checklist reports into the working
	// directory: both live in a directory of their own.
	const home = process.cwd();
	const dir = mkdtempSync(join(tmpdir(), "bringup-soak-"));
	process.chdir(dir);
	const IMAGES = ["fw.bin", "fw.bin", "big.bin"];
	for (const [name, size] of [
		["fw.bin", 48 * 1024],
		["big.bin", 160 * 1024],
	] as const) {
		const data = Buffer.alloc(size);
		for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
		data.writeUInt32LE(0x20020000, 0);
		data.writeUInt32LE(0x08000189, 4);
		for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
		writeFileSync(name, data);
	}

	const clock = new VirtualClock(1_000, { manual: true });
	const timers = timersFromClock(clock);
	const store = createStore({ now: () => clock.now() });
	const bus = await openBus({ store, clock, sim: "", timers });
	let quits = 0;
	const intents = createController({ store, clock, bus, onQuit: () => quits++ });
	const terminal = new SoakTerminal(80, 24);

	let keyboard: Keyboard;
	let stdin: SoakStdin;
	let app: RunningApp;
	let exited = false;
	const mount = () => {
		keyboard = createKeyboard({ afterKey: () => app?.view.flush() });
		stdin = new SoakStdin();
		exited = false;
		// As commands/app.ts opens it, on the session's clock; Ink writes every frame (see ANSWER_MS).
		app = renderApp({
			store,
			intents,
			stdout: terminal as unknown as NodeJS.WriteStream,
			stdin: stdin as unknown as NodeJS.ReadStream,
			theme: { ...defaultTheme, color: false },
			simProfiles: PROFILES,
			timer: timers,
			maxFps: 0,
			keyboard,
		});
		void app.waitUntilExit().then(() => {
			exited = true;
		});
	};

	const figures: SoakFigures = {
		seed: options.seed,
		keys: 0,
		keysWhileFlashing: 0,
		actions: 0,
		bursts: 0,
		resizes: 0,
		flashesStarted: 0,
		boardsToggled: 0,
		flashesDone: 0,
		flashesFailed: 0,
		failures: {},
		flashesAbandoned: 0,
		abandoned: {},
		quits: 0,
		plugs: 0,
		unplugs: 0,
		maxAnswerMs: 0,
		meanAnswerMs: 0,
		sessionHours: 0,
		steps: 0,
		frames: 0,
		keyFrames: 0,
		plainFrames: 0,
		inkFrames: 0,
		verifiedFrames: 0,
		maxHistory: 0,
		maxLog: 0,
		maxJobs: 0,
		maxDevices: 0,
		maxBoards: 0,
		maxMemoryMiB: 0,
		memoryMiB: 0,
		seconds: 0,
		cpuSeconds: 0,
		keysPerSecond: 0,
	};
	const startedAt = clock.now();
	let answers = 0;
	let answerTotal = 0;
	const recent: string[] = [];
	const note = (what: string) => {
		recent.push(`${((clock.now() - startedAt) / 1000).toFixed(3)}s ${what}`);
		if (recent.length > 40) recent.shift();
	};
	const finish = () => {
		figures.seconds = (performance.now() - started) / 1000;
		const cpu = process.cpuUsage(cpuStarted);
		figures.cpuSeconds = Number(((cpu.user + cpu.system) / 1e6).toFixed(2));
		figures.keysPerSecond = Math.round(figures.keys / figures.seconds);
		figures.sessionHours = Number(((clock.now() - startedAt) / 3_600_000).toFixed(2));
		figures.meanAnswerMs = answers ? Math.round(answerTotal / answers) : 0;
		figures.frames = terminal.frames;
		figures.plainFrames = frameStats.plain;
		figures.inkFrames = frameStats.ink;
		figures.verifiedFrames = frameStats.verified;
	};
	const fail = (message: string): never => {
		finish();
		throw new SoakFailure(message, { ...figures }, recent, terminal.lines());
	};

	/** Runs everything due at the current instant: queued callbacks, file reads, renders. */
	const settle = async () => {
		const since = performance.now();
		for (let turns = 1; ; turns++) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			if (!busyNow()) return;
			// A render loop, or work that re-queues itself for ever (a slow file read on a busy
			// machine takes milliseconds, not this).
			if (turns % 10_000 === 0 && performance.now() - since > 30_000)
				fail(
					`the program kept working at one instant for 30 s and never waited (${process.getActiveResourcesInfo().join(", ")})`,
				);
		}
	};
	/** Wakes the next timer or sleeper and runs what it starts. */
	const step = async () => {
		clock.step();
		figures.steps++;
		await settle();
	};
	/** Lets `ms` of session time pass: the boards flash, the poll runs, the screens repaint. */
	const wait = async (ms: number) => {
		const until = clock.now() + ms;
		for (let due = clock.nextDue(); due !== undefined && due <= until; due = clock.nextDue())
			await step();
		clock.advance(until - clock.now());
		checkStore();
	};

	const checkStore = () => {
		const state = store.getState();
		const problems = invariantViolations(state);
		if (problems.length) fail(`store invariant broken: ${problems.join("; ")}`);
	};

	const checkAfterKey = () => {
		checkStore();
		const state = store.getState();
		const history = store.history().length;
		const boards = bus.simulation?.boards.length ?? 0;
		figures.maxHistory = Math.max(figures.maxHistory, history);
		figures.maxLog = Math.max(figures.maxLog, state.log.length);
		figures.maxJobs = Math.max(figures.maxJobs, state.jobOrder.length);
		figures.maxDevices = Math.max(figures.maxDevices, state.deviceOrder.length);
		figures.maxBoards = Math.max(figures.maxBoards, boards);
		if (history > DEFAULT_HISTORY * 1.25) fail(`history holds ${history} events`);
		if (state.log.length > LOG_LIMIT) fail(`the log holds ${state.log.length} lines`);
		const finished = state.jobOrder.filter((id) => state.jobs[id]?.result).length;
		if (finished > FINISHED_JOBS_BOUND) fail(`the store holds ${finished} finished jobs`);
		if (state.jobOrder.length - finished > OPEN_JOBS_BOUND)
			fail(`the store holds ${state.jobOrder.length - finished} jobs planned or running`);
		if (state.deviceOrder.length > DEVICES_BOUND)
			fail(`${state.deviceOrder.length} devices attached`);
		if (boards > BOARDS_BOUND) fail(`the simulator holds ${boards} boards`);
		if (!exited) {
			const problem = frameProblem(terminal.lines(), terminal.columns, terminal.rows, {
				columns: MIN_COLUMNS,
				rows: MIN_ROWS,
			});
			if (problem) fail(`frame: ${problem}`);
		}
	};

	const checkMemory = () => {
		// What the session holds, not what the collector has yet to free (node --expose-gc).
		(globalThis as { gc?: () => void }).gc?.();
		const { heapUsed, arrayBuffers } = process.memoryUsage();
		const mib = Math.round((heapUsed + arrayBuffers) / 2 ** 20);
		figures.memoryMiB = mib;
		figures.maxMemoryMiB = Math.max(figures.maxMemoryMiB, mib);
		if (mib > MEMORY_BOUND_MIB) fail(`${mib} MiB in use (bound ${MEMORY_BOUND_MIB} MiB)`);
	};
	let nextMemoryCheck = MEMORY_EVERY;

	/**
	 * Sends one read's worth of input (a key, or several that arrive together), then runs the
	 * session until the screens have answered: every key handled, the frame drawn, and the store
	 * as it was after the keys published to the screens. Time moves only as far as the timers the
	 * screens wait on (the store view's frame interval); more than ANSWER_MS fails.
	 */
	const send = async (chunk: string, count: number, label = JSON.stringify(chunk)) => {
		note(label);
		const sentAt = clock.now();
		const framesBefore = terminal.frames;
		const quitsBefore = quits;
		const state = store.getState();
		if (state.jobOrder.some((id) => jobRunning(state.jobs[id]!)))
			figures.keysWhileFlashing += count;
		stdin.write(chunk);
		figures.keys += count;
		await settle();
		let seqAfterKeys: number | undefined;
		for (;;) {
			if (exited) break;
			if (keyboard.idle()) {
				seqAfterKeys ??= store.getState().seq;
				if (app.view.getState().seq >= seqAfterKeys) break;
			}
			const due = clock.nextDue();
			if (due === undefined || due - sentAt + INK_FRAME_MS > ANSWER_MS)
				fail(
					`the screens did not answer ${label} within ${ANSWER_MS} ms of session time (${
						keyboard.idle() ? "the view did not publish" : `${keyboard.queued()} keys queued`
					})`,
				);
			await step();
		}
		figures.keyFrames += terminal.frames - framesBefore;
		const answer = clock.now() - sentAt + INK_FRAME_MS;
		figures.maxAnswerMs = Math.max(figures.maxAnswerMs, answer);
		answers++;
		answerTotal += answer;
		if (exited) {
			// q or Ctrl+C ended the session: the controller stops a running flash first (at most
			// 2 s), then a new session opens on the same store and boards.
			const deadline = clock.now() + 3_000;
			while (quits === quitsBefore) {
				const due = clock.nextDue();
				if (due === undefined || due > deadline) fail("quitting did not end the session");
				await step();
			}
			figures.quits++;
			note("(new session)");
			mount();
			await settle();
		} else if (quits !== quitsBefore) fail("the session ended but the screens stayed");
		checkAfterKey();
		if (figures.keys >= nextMemoryCheck) {
			nextMemoryCheck = figures.keys + MEMORY_EVERY;
			checkMemory();
		}
	};
	const press = (key: string) => send(key, 1);
	/** Keys a person types one after another. */
	const type = async (keys: readonly string[]) => {
		for (const key of keys) {
			await wait(between(30, 160));
			await press(key);
		}
	};
	const lines = () => terminal.lines();
	const shows = (pattern: RegExp) => lines().some((line) => pattern.test(line));
	const screenTitle = () => /^bringup {2}(\w+)/.exec(lines()[0] ?? "")?.[1];

	/** Lets session time pass until the frame shows `pattern`, at most `ms`. */
	const waitFor = async (pattern: RegExp, ms: number) => {
		const until = clock.now() + ms;
		while (!shows(pattern) && clock.now() < until) await wait(Math.min(100, until - clock.now()));
		return shows(pattern);
	};

	const tooSmall = () => terminal.columns < MIN_COLUMNS || terminal.rows < MIN_ROWS;

	/** Up/Down to a field of the Flash form, Enter, Ctrl+U, the value, Enter. */
	const fill = async (label: string, value: string) => {
		const focused = new RegExp(`^> ${label}\\b`);
		for (let i = 0; i < 6 && !shows(focused); i++) await type([K.down]);
		if (!shows(focused)) return false;
		await type([K.enter, K.ctrlU]);
		// Typed key by key, or pasted (one read).
		if (value.length > 1 && rand() < 0.5) {
			await wait(between(200, 1_000));
			await send(value, value.length, `paste ${JSON.stringify(value)}`);
		} else await type(value.split(""));
		await type([K.enter]);
		return true;
	};

	/** The Flash screen, as a user would fill it: form, image path, plan, start. */
	const flash = async () => {
		const abandon = (why: string) => {
			figures.flashesAbandoned++;
			figures.abandoned[why] = (figures.abandoned[why] ?? 0) + 1;
			note(`(flash abandoned: ${why})`);
			if (process.env.SOAK_DEBUG)
				process.stderr.write(
					`ABANDON ${why} ${terminal.columns}x${terminal.rows}\n${terminal.lines().join("\n")}\n\n`,
				);
		};
		if (tooSmall()) return abandon("the terminal is too small");
		// Esc closes whatever holds the keyboard (a field, a chooser, a confirmation, help).
		await type([K.escape, "2"]);
		if (screenTitle() !== "Flash") return abandon("not on the Flash screen");
		if (/ no target$/.test(lines()[0] ?? "")) {
			// Nothing to flash: plug a board first.
			await plug();
			await type(["2"]);
		}
		// Put away what the screen shows: finished jobs (a checklist's reads too), a plan. Failed
		// jobs stay until put away one by one; a session reopened after q has forgotten which ones
		// the last put away (a real restart would start with an empty store), so there may be as
		// many as the store keeps.
		for (let i = 0; i <= FINISHED_JOBS_BOUND; i++) {
			if (shows(/it runs on while you look/)) {
				// A flash runs: watch it for a while instead.
				await wait(between(1_000, 8_000));
				return abandon("a flash is running");
			}
			if (shows(/Enter new flash/)) await type([K.enter]);
			else if (shows(/n\/Esc cancel/)) await type(["n"]);
			else break;
		}
		if (!shows(/^Write an image to/)) return abandon("no form");
		const file = pick(IMAGES);
		if (!(await fill("Image", file))) return abandon("the Image field is not on screen");
		if (!(await fill("Address", rand() < 0.7 ? "0x08000000" : "")))
			return abandon("the Address field is not on screen");
		if (!(await fill("Alt", rand() < 0.8 ? "" : "0")))
			return abandon("the Alt field is not on screen");
		// With several boards like the selected one, the Boards box flashes them all (or not).
		if (shows(/^. Boards\b/) && rand() < 0.5) {
			for (let i = 0; i < 7 && !shows(/^> Boards\b/); i++) await type([K.down]);
			if (shows(/^> Boards\b/)) {
				await type([K.enter]);
				figures.boardsToggled++;
			}
		}
		await type(["p"]);
		if (!(await waitFor(/n\/Esc cancel|Could not plan/, 5_000)))
			return abandon("no plan within 5 s");
		if (shows(/F plan with force/)) {
			if (rand() < 0.5) {
				await type(["n"]);
				return abandon("blocked (not forced)");
			}
			await type(["F"]);
			if (!(await waitFor(/y\/Enter start/, 5_000))) return abandon("no plan with force");
		}
		if (!shows(/y\/Enter start/)) return abandon("the plan cannot start");
		await wait(between(300, 3_000));
		await press(rand() < 0.5 ? "y" : K.enter);
		figures.flashesStarted++;
		// Mostly the user looks around while it writes: other screens, the log, help.
		if (rand() < 0.7)
			await type(Array.from({ length: 3 + Math.floor(rand() * 12) }, () => pick(BROWSE_KEYS)));
	};

	const plug = async () => {
		// Now and then a tray of them (+ in the chooser), up to a few below the devices bound.
		const room = BENCH_BOARDS - 1 - store.getState().deviceOrder.length;
		const more = rand() < 0.3 ? Math.floor(rand() * Math.max(0, room)) : 0;
		note(`plug ${1 + more}`);
		figures.plugs += 1 + more;
		await type([
			"1",
			"p",
			...Array<string>(more).fill("+"),
			String(1 + Math.floor(rand() * PROFILES.length)),
		]);
		// The new board enumerates and is described.
		await wait(between(500, 2_000));
	};
	const unplug = async () => {
		note("unplug");
		figures.unplugs++;
		await type(["1", "u"]);
	};

	const countFinished = () => {
		const state = store.getState();
		// Only the jobs the store still holds need remembering (it prunes finished ones).
		if (counted.size > 2 * FINISHED_JOBS_BOUND)
			for (const id of counted) if (!state.jobs[id]) counted.delete(id);
		for (const id of state.jobOrder) {
			const job = state.jobs[id];
			if (!job?.result || counted.has(id)) continue;
			counted.add(id);
			if (job.result.ok) figures.flashesDone++;
			else {
				figures.flashesFailed++;
				const kind = job.result.error?.kind ?? "unknown";
				figures.failures[kind] = (figures.failures[kind] ?? 0) + 1;
			}
		}
	};
	const counted = new Set<string>();

	mount();
	try {
		// The simulated board is described before the user looks.
		await wait(1_000);
		while (figures.keys < options.keys) {
			figures.actions++;
			// Think time: mostly a typist's, sometimes reading the screen, now and then a pause.
			const think = rand();
			await wait(
				think < 0.7
					? between(40, 250)
					: think < 0.96
						? between(250, 2_500)
						: between(2_500, 30_000),
			);
			const r = rand();
			if (store.getState().deviceOrder.length > BENCH_BOARDS && rand() < 0.5) await unplug();
			else if (r < 0.03) {
				const n = 2 + Math.floor(rand() * 7);
				const keys = Array.from({ length: n }, () => pick(KEYS));
				figures.bursts++;
				await send(keys.join(""), n, `burst ${JSON.stringify(keys.join(""))}`);
			} else if (r < 0.04 || (tooSmall() && r < 0.5)) {
				// A terminal too small for the screens is made larger again soon.
				const [columns, rows] = tooSmall()
					? pick(SIZES.filter(([c, w]) => c >= MIN_COLUMNS && w >= MIN_ROWS))
					: pick(SIZES);
				note(`resize ${columns}x${rows}`);
				terminal.resize(columns, rows);
				figures.resizes++;
				await send("", 0, "(after the resize)");
			} else if (r < 0.052) {
				note("flash");
				await flash();
			} else if (r < 0.06) {
				const attached = store.getState().deviceOrder.length;
				if (attached < BENCH_BOARDS) await plug();
				else await unplug();
			} else if (r < 0.065) {
				// The last board mostly stays: a class flashes boards.
				if (store.getState().deviceOrder.length > 1 || rand() < 0.2) await unplug();
			} else if (r < 0.067) {
				const keys = pick([["q"], [K.ctrlC], ["q", "y"], [K.ctrlC, K.ctrlC]]);
				note(`quit ${JSON.stringify(keys.join(" "))}`);
				await type(keys);
			} else await press(pick(KEYS));
			countFinished();
			if (options.progress && figures.actions % (options.every ?? 10_000) === 0) {
				finish();
				options.progress({ ...figures });
			}
		}
		checkMemory();
	} finally {
		app!.unmount();
		bus.stop();
		process.chdir(home);
		rmSync(dir, { recursive: true, force: true });
	}
	finish();
	return figures;
}

/** What Ink reads keys from: one read per write, like a terminal in raw mode. */
class SoakStdin extends EventEmitter {
	readonly isTTY = true;
	private data: string | null = null;
	write(data: string) {
		this.data = data;
		this.emit("readable");
	}
	read() {
		const data = this.data;
		this.data = null;
		return data;
	}
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}
