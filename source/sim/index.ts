/**
 * The simulated STM32 system bootloader: boards with a chip profile and a scenario, a fake
 * WebUSB `USB` that reports them, and the setup-packet entry point each board answers.
 *
 *   const sim = createSimulation({ profile: "f407", scenario: "healthy", clock });
 *   const [device] = await sim.usb.getDevices();          // a WebUSB USBDevice
 *   await sim.boards[0].handleSetup({ bmRequestType: 0x80, bRequest: 6, ... });
 */
import type { Clock } from "../clock.js";
import { realClock } from "../clock.js";
import { UsageError } from "../errors.js";
import { Board, type BoardCounters, type BusTimeMode } from "./board.js";
import {
	type BoardFileSaveError,
	boardToJson,
	lockBoardFile,
	readBoardFile,
	restoreChip,
	writeBoardFile,
} from "./board-file.js";
import { type FaultSpec, parseFaults } from "./faults.js";
import { type ChipProfile, DEFAULT_PROFILE, profileById } from "./profiles.js";
import { DEFAULT_SCENARIO, type Scenario, scenarioByName } from "./scenarios.js";
import type { SetupPacket, SetupResult } from "./setup.js";
import { parseSimSpec } from "./sim-spec.js";
import type { SimUSBDevice } from "./webusb-device.js";
import { SimUSB } from "./webusb-usb.js";

export type { BoardCounters, BusTimeMode } from "./board.js";
export { Board } from "./board.js";
export { BoardFileBusyError, BoardFileSaveError } from "./board-file.js";
export { DfuRequest, DfuState, DfuStatus, DfuseCommand } from "./dfu-protocol.js";
export { type FaultSpec, parseFaults, SimDeviceGoneError } from "./faults.js";
export { type ChipProfile, PROFILES, profileById, serialFromUid } from "./profiles.js";
export { type BootOutcome, SCENARIOS, type Scenario, scenarioByName } from "./scenarios.js";
export type { SetupPacket, SetupResult } from "./setup.js";
export { parseSimSpec, type SimSpec } from "./sim-spec.js";
export { SimUSBDevice } from "./webusb-device.js";
export { SimUSB, SimUSBConnectionEvent } from "./webusb-usb.js";

export interface BoardSpec {
	profile?: string | ChipProfile;
	scenario?: string | Scenario;
	faults?: string | readonly FaultSpec[];
}

export interface SimulationOptions extends BoardSpec {
	/** Defaults to the real clock; pass a VirtualClock for tests and benchmarks. */
	clock?: Clock;
	/** JSON file holding the first board's chip across processes (created if missing). */
	boardFile?: string;
	/** Plug the first board in at once (default true). */
	autoPlug?: boolean;
	/** How bus time is spent: advance a VirtualClock (default for one), sleep, or not at all. */
	busTime?: BusTimeMode;
}

/** What tests, the CLI and the USB/IP export get for each board. */
export interface SimBoard {
	readonly name: string;
	readonly profile: ChipProfile;
	readonly scenario: Scenario;
	readonly counters: BoardCounters;
	/** The WebUSB object of the device on the bus now, if any. */
	readonly device: SimUSBDevice | undefined;
	handleSetup(setup: SetupPacket, dataOut?: Uint8Array): Promise<SetupResult>;
	isPresent(): boolean;
	onPresenceChange(listener: (present: boolean) => void): () => void;
	readMemory(address: number, length: number): Uint8Array;
	writeMemory(address: number, data: Uint8Array): void;
	optionBytes: Uint8Array[];
	save(): void;
	/** The underlying board (chip, loader state) for tests that need to look deeper. */
	readonly board: Board;
}

export interface Simulation {
	readonly usb: SimUSB;
	readonly boards: SimBoard[];
	readonly clock: Clock;
	/** Adds a new board and plugs it in, or plugs an existing (unplugged) board back in. */
	plug(spec?: string | BoardSpec | SimBoard): SimBoard;
	/** Pulls the cable of a board (it stays in `boards`, unplugged, and can be plugged again). */
	unplug(board: SimBoard): void;
	/**
	 * Pulls the cable and puts the board away: it leaves `boards`, its board file is written, and
	 * nothing here keeps it (the assistant's unplug; a session that plugs and unplugs all day
	 * must not pile up chips).
	 */
	remove(board: SimBoard): void;
	/** Saves board files and stops all background activity (watchdog loops, re-enumerations). */
	close(): void;
	/**
	 * Why the last save of the board file failed, if it did. The simulated board goes on working
	 * (a full disk is not a fault of the chip); the command reports this when it ends.
	 */
	readonly saveError: BoardFileSaveError | undefined;
}

function resolveProfile(profile: string | ChipProfile | undefined): ChipProfile {
	if (profile === undefined) return profileById(DEFAULT_PROFILE)!;
	if (typeof profile !== "string") return profile;
	const found = profileById(profile);
	if (!found) throw new UsageError(`unknown chip profile "${profile}"`, { profile });
	return found;
}

function resolveScenario(scenario: string | Scenario | undefined): Scenario {
	if (scenario === undefined) return scenarioByName(DEFAULT_SCENARIO)!;
	if (typeof scenario !== "string") return scenario;
	const found = scenarioByName(scenario);
	if (!found) throw new UsageError(`unknown scenario "${scenario}"`, { scenario });
	return found;
}

/**
 * The n-th board of one profile gets a UID whose wafer X coordinate differs, so that serial
 * numbers differ; the first keeps the profile's own UID (the one its capture shows).
 */
function uidFor(profile: ChipProfile, index: number): [number, number, number] {
	const [a, b, c] = profile.uid.words;
	return [(a + index) >>> 0, b, c];
}

export function createSimulation(options: SimulationOptions = {}): Simulation {
	const clock = options.clock ?? realClock;
	const usb = new SimUSB();
	const boards: SimBoard[] = [];
	const flushers = new Map<SimBoard, () => void>();
	// Boards made so far, in all and per profile: names and serials stay unique after removals.
	let made = 0;
	const madeOf = new Map<ChipProfile, number>();
	let saveError: BoardFileSaveError | undefined;

	const makeBoard = (spec: BoardSpec, boardFile?: string): SimBoard => {
		const saved = boardFile ? readBoardFile(boardFile) : undefined;
		const profile = resolveProfile(saved?.profile ?? spec.profile);
		const scenario = resolveScenario(saved?.scenario ?? spec.scenario);
		let dirty = false;
		let lastWrite = 0;
		const write = (b: Board, when: "open" | "save" = "save") => {
			if (!boardFile) return;
			lastWrite = performance.now();
			try {
				writeBoardFile(boardFile, boardToJson(b.chip, scenario.name), when);
			} catch (error) {
				if (when === "open") throw error;
				saveError = error as BoardFileSaveError;
				return;
			}
			saveError = undefined;
			dirty = false;
		};
		const index = madeOf.get(profile) ?? 0;
		madeOf.set(profile, index + 1);
		const board = new Board({
			name: `${profile.id}#${++made}`,
			profile,
			scenario,
			clock,
			faults: parseFaults(spec.faults),
			uid: saved?.uid ?? uidFor(profile, index),
			busTime: options.busTime,
			persist: (b, reason) => {
				if (!boardFile) return;
				if (reason === "changed") {
					dirty = true;
					if (performance.now() - lastWrite >= 1000) write(b);
				} else if (dirty || !saved) write(b);
			},
		});
		if (saved && boardFile) restoreChip(board.chip, saved, boardFile);
		else {
			scenario.prepare(board.chip);
			if (boardFile) write(board, "open");
		}
		usb.attach(board);
		const view: SimBoard = {
			name: board.name,
			profile,
			scenario,
			counters: board.counters,
			get device() {
				return usb.deviceOf(board);
			},
			handleSetup: (setup, data) => board.handleSetup(setup, data),
			isPresent: () => board.isPresent(),
			onPresenceChange: (listener) => board.onPresenceChange(listener),
			readMemory: (address, length) => board.readMemory(address, length),
			writeMemory: (address, data) => board.writeMemory(address, data),
			get optionBytes() {
				return board.optionBytes;
			},
			set optionBytes(runs: Uint8Array[]) {
				board.optionBytes = runs;
			},
			save: () => {
				dirty = true;
				write(board);
			},
			board,
		};
		if (boardFile) flushers.set(view, () => dirty && write(board));
		boards.push(view);
		return view;
	};

	const flushAll = () => {
		for (const flush of flushers.values()) flush();
	};
	const release = options.boardFile ? lockBoardFile(options.boardFile) : () => {};
	// At exit nothing can be thrown any more: the last save's failure is said on stderr.
	const atExit = () => {
		flushAll();
		release();
		if (saveError) {
			process.stderr.write(`error: ${saveError.message}\n`);
			process.exitCode ||= saveError.exitCode;
		}
	};
	if (options.boardFile) process.once("exit", atExit);

	let first: SimBoard;
	try {
		first = makeBoard(options, options.boardFile);
	} catch (error) {
		process.removeListener("exit", atExit);
		release();
		throw error;
	}
	if (options.autoPlug !== false) first.board.plugIn();

	return {
		usb,
		boards,
		clock,
		plug(spec) {
			if (spec && typeof spec === "object" && "board" in spec) {
				spec.board.plugIn();
				return spec;
			}
			const boardSpec: BoardSpec =
				typeof spec === "string"
					? parseSimSpec(spec)
					: (spec ?? { profile: first.profile, scenario: first.scenario });
			const view = makeBoard(boardSpec);
			view.board.plugIn();
			return view;
		},
		unplug(board) {
			board.board.unplug();
		},
		remove(board) {
			const i = boards.indexOf(board);
			if (i < 0) return;
			board.board.unplug();
			usb.detach(board.board);
			flushers.get(board)?.();
			flushers.delete(board);
			boards.splice(i, 1);
		},
		get saveError() {
			return saveError;
		},
		close() {
			flushAll();
			for (const b of boards) {
				b.board.unplug();
				usb.detach(b.board);
			}
			process.removeListener("exit", atExit);
			release();
		},
	};
}
