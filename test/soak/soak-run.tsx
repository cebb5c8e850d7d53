import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink";
import { openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import { VirtualClock } from "../../source/clock.js";
import { invariantViolations } from "../../source/store/invariants.js";
import { LOG_LIMIT } from "../../source/store/reduce.js";
import { createStore, DEFAULT_HISTORY } from "../../source/store/store.js";
import { createKeyboard } from "../../source/ui/keyboard.js";
import { Root } from "../../source/ui/root.js";
import { createStoreView } from "../../source/ui/store-view.js";
import { defaultTheme } from "../../source/ui/theme.js";
import { FakeStdin, FakeStdout } from "../ui/harness.js";
import { SIM_PROFILES } from "../ui/live-harness.js";

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

const SIZES: [number, number][] = [
	[80, 24],
	[40, 12],
	[120, 40],
	[30, 8],
	[100, 30],
];

/** Event-loop turns the screens may take to answer one read of keys (a render each, or a few). */
export const ANSWER_TURNS = 200;

export interface SoakOptions {
	seed: number;
	keys: number;
	/** Called every `every` keys with the figures so far. */
	progress?: (figures: SoakFigures) => void;
	every?: number;
}

export interface SoakFigures {
	seed: number;
	keys: number;
	actions: number;
	bursts: number;
	resizes: number;
	flashesStarted: number;
	quits: number;
	plugs: number;
	/** Wall milliseconds (machine dependent) and event-loop turns the slowest answer took. */
	maxAnswerMs: number;
	maxTurns: number;
	/** Session time that passed while the screens answered (the board keeps flashing meanwhile). */
	maxSessionMs: number;
	maxHistory: number;
	maxLog: number;
	maxJobs: number;
	maxDevices: number;
	maxBoards: number;
	heapMiB: number;
	seconds: number;
}

export class SoakFailure extends Error {
	constructor(
		message: string,
		readonly figures: SoakFigures,
		readonly recent: string[],
	) {
		super(`${message}\nlast actions:\n  ${recent.join("\n  ")}`);
	}
}

/**
 * Types `keys` random keys (bursts, resizes, plugs, flashes, quits included) at the assistant as
 * `bringup --sim` runs it, on a virtual clock, and checks after every action that the screens
 * answered in time, that the store's invariants hold and that nothing grows without bound.
 */
export async function soak(options: SoakOptions): Promise<SoakFigures> {
	const started = performance.now();
	const rand = random(options.seed);
	const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
	const image = join(tmpdir(), `bringup-soak-${process.pid}.bin`);
	{
		const data = Buffer.alloc(48 * 1024);
		for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
		data.writeUInt32LE(0x20020000, 0);
		data.writeUInt32LE(0x08000189, 4);
		for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
		writeFileSync(image, data);
	}

	// w writes a checklist report to a path relative to the working directory: keep them out of the tree.
	const home = process.cwd();
	process.chdir(mkdtempSync(join(tmpdir(), "bringup-soak-")));
	const clock = new VirtualClock(1_000);
	const store = createStore({ now: () => clock.now() });
	const bus = await openBus({ store, clock, sim: "" });
	let quits = 0;
	const intents = createController({ store, clock, bus, onQuit: () => quits++ });
	const view = createStoreView(store, { minIntervalMs: 66 });
	const stdout = new FakeStdout(80, 24);
	// Keep the last frame only: a soak writes millions of them.
	stdout.write = (frame: string) => {
		stdout.frames[0] = frame;
		return true;
	};
	let stdin = new FakeStdin();
	let keyboard = createKeyboard({ afterKey: () => view.flush() });
	const mount = () =>
		render(
			<Root
				view={view}
				intents={intents}
				theme={{ ...defaultTheme, color: false }}
				simProfiles={SIM_PROFILES}
				keyboard={keyboard}
			/>,
			{
				stdout: stdout as unknown as NodeJS.WriteStream,
				stdin: stdin as unknown as NodeJS.ReadStream,
				exitOnCtrlC: false,
				patchConsole: false,
			},
		);
	let instance = mount();

	const figures: SoakFigures = {
		seed: options.seed,
		keys: 0,
		actions: 0,
		bursts: 0,
		resizes: 0,
		flashesStarted: 0,
		quits: 0,
		plugs: 0,
		maxAnswerMs: 0,
		maxTurns: 0,
		maxSessionMs: 0,
		maxHistory: 0,
		maxLog: 0,
		maxJobs: 0,
		maxDevices: 0,
		maxBoards: 0,
		heapMiB: 0,
		seconds: 0,
	};
	const recent: string[] = [];
	const fail = (message: string): never => {
		figures.seconds = (performance.now() - started) / 1000;
		throw new SoakFailure(message, figures, recent);
	};
	const turn = () => new Promise<void>((r) => setImmediate(r));

	/** Sends one read's worth of input, then waits for the screens to have answered it. */
	const send = async (chunk: string, count: number) => {
		const at = clock.now();
		const wall = performance.now();
		stdin.write(chunk);
		figures.keys += count;
		let turns = 0;
		while (turns < ANSWER_TURNS && !keyboard.idle() && quits === figures.quits) {
			await turn();
			turns++;
		}
		// Answering is counted in event-loop turns, which do not depend on how loaded the machine
		// is; session time runs as fast as the simulated board can go meanwhile, and wall time
		// depends on the machine: both are reported, neither is a pass mark.
		figures.maxTurns = Math.max(figures.maxTurns, turns);
		figures.maxSessionMs = Math.max(figures.maxSessionMs, clock.now() - at);
		figures.maxAnswerMs = Math.max(figures.maxAnswerMs, Math.round(performance.now() - wall));
		if (quits === figures.quits && !keyboard.idle())
			fail(`the screens did not answer ${JSON.stringify(chunk)} within ${turns} turns`);
		if (quits > figures.quits) {
			// q or Ctrl+C ended the session: open a new one on the same store and boards.
			figures.quits = quits;
			instance.unmount();
			instance.cleanup();
			stdin = new FakeStdin();
			keyboard = createKeyboard({ afterKey: () => view.flush() });
			instance = mount();
			await turn();
		}
	};

	const check = () => {
		const state = store.getState();
		const problems = invariantViolations(state);
		if (problems.length) fail(`store invariant broken: ${problems.join("; ")}`);
		const history = store.history().length;
		figures.maxHistory = Math.max(figures.maxHistory, history);
		figures.maxLog = Math.max(figures.maxLog, state.log.length);
		figures.maxJobs = Math.max(figures.maxJobs, state.jobOrder.length);
		figures.maxDevices = Math.max(figures.maxDevices, state.deviceOrder.length);
		figures.maxBoards = Math.max(figures.maxBoards, bus.simulation?.boards.length ?? 0);
		if (history > DEFAULT_HISTORY * 1.25) fail(`history holds ${history} events`);
		if (state.log.length > LOG_LIMIT) fail(`the log holds ${state.log.length} lines`);
		if (state.jobOrder.length > JOBS_BOUND) fail(`the store holds ${state.jobOrder.length} jobs`);
		if (state.deviceOrder.length > DEVICES_BOUND)
			fail(`${state.deviceOrder.length} devices attached`);
		if ((bus.simulation?.boards.length ?? 0) > BOARDS_BOUND)
			fail(`the simulator holds ${bus.simulation?.boards.length} boards`);
	};

	const flash = async () => {
		// The Flash screen: open the form (a job on screen is put away first), type the image, plan, start.
		for (const k of ["2", K.enter, K.enter]) await send(k, 1);
		for (const k of [..."\u0015", ...image, K.enter, "p"]) await send(k, 1);
		for (
			let i = 0;
			i < 50 &&
			!store
				.getState()
				.jobOrder.some(
					(id) =>
						!store.getState().jobs[id]?.result &&
						store.getState().jobs[id]!.phases.every((p) => p.status === "pending"),
				);
			i++
		)
			await turn();
		await send("y", 1);
		figures.flashesStarted++;
	};

	try {
		while (figures.keys < options.keys) {
			figures.actions++;
			const r = rand();
			let label: string;
			if (r < 0.04) {
				const n = 2 + Math.floor(rand() * 6);
				const keys = Array.from({ length: n }, () => pick(KEYS));
				label = `burst ${JSON.stringify(keys.join(""))}`;
				recent.push(label);
				figures.bursts++;
				await send(keys.join(""), n);
			} else if (r < 0.05) {
				const [columns, rows] = pick(SIZES);
				label = `resize ${columns}x${rows}`;
				recent.push(label);
				stdout.columns = columns;
				stdout.rows = rows;
				stdout.emit("resize");
				figures.resizes++;
				await send("", 0);
			} else if (r < 0.058) {
				label = "flash";
				recent.push(label);
				await flash();
			} else if (r < 0.064) {
				label = "plug";
				recent.push(label);
				figures.plugs++;
				for (const k of ["1", "p", pick(["1", "2", "3", "4", "5", "6"])]) await send(k, 1);
			} else if (r < 0.068) {
				label = "unplug";
				recent.push(label);
				for (const k of ["1", "u"]) await send(k, 1);
			} else if (r < 0.069) {
				label = pick(["q", K.ctrlC, "q y", `${K.ctrlC} ${K.ctrlC}`]);
				recent.push(`quit ${JSON.stringify(label)}`);
				for (const k of label.split(" ")) await send(k, 1);
			} else {
				const k = pick(KEYS);
				label = JSON.stringify(k);
				recent.push(label);
				await send(k, 1);
			}
			if (recent.length > 30) recent.shift();
			check();
			if (options.progress && figures.actions % (options.every ?? 10_000) === 0) {
				figures.heapMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
				figures.seconds = (performance.now() - started) / 1000;
				options.progress({ ...figures });
			}
		}
	} finally {
		instance.unmount();
		instance.cleanup();
		view.dispose();
		bus.stop();
		process.chdir(home);
	}
	figures.heapMiB = Math.round(process.memoryUsage().heapUsed / 2 ** 20);
	figures.seconds = (performance.now() - started) / 1000;
	return figures;
}

/** Bounds the soak holds the session to. */
export const JOBS_BOUND = 100_000;
export const DEVICES_BOUND = 64;
export const BOARDS_BOUND = 100_000;
