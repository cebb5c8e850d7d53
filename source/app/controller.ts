import { writeFile } from "node:fs/promises";
import { resolveGuess } from "../chips/index.js";
import type { Chip } from "../chips/types.js";
import type { Clock } from "../clock.js";
import { hasDeviceFeature, voltageRangeLabel } from "../dfu/device-feature.js";
import {
	type DfuSession,
	DfuUnsupportedError,
	massErase,
	openDfu,
	readUnprotect,
} from "../dfu/index.js";
import { MAX_VOLTS, MIN_VOLTS, rangeForVolts, voltsFrom } from "../dfu/supply-range.js";
import { AUTO_STEPS, createChecklist } from "../doctor/checklist.js";
import type { DoctorResult } from "../doctor/doctor.js";
import { runDoctor } from "../doctor/doctor.js";
import type { Inspection } from "../doctor/inspect-types.js";
import { checklistReport, doctorReport } from "../doctor/report-doctor.js";
import { errorInfo, UsageError } from "../errors.js";
import { vidPid } from "../format.js";
import type { Image } from "../image/image.js";
import type { Simulation } from "../sim/index.js";
import type { Store } from "../store/store.js";
import { boardKey, configPath, loadBoardSettings, saveBoardSettings } from "./board-config.js";
import { boardLabels, matchingBoards, serialShared } from "./boards.js";
import type { Bus } from "./bus.js";
import { DeviceBusyError } from "./device-busy.js";
import { DeviceDetachedError, NoDeviceSelectedError, NotPlannedError } from "./errors.js";
import {
	type FlashProposal,
	finishUnstarted,
	type ProposeContext,
	proposeFlash,
	startFlash,
} from "./flash-service.js";
import type { CheckAnswer, FlashRequest, IntentResult, Intents } from "./intents.js";
import { loadForFlash } from "./load-for-flash.js";

interface PendingFlash {
	session: DfuSession;
	proposal: FlashProposal;
	chip?: Chip;
	/** What the plan says of the board beyond the flash: its batch, label and supply. */
	annotate: PlanAnnotation;
}

type PlanAnnotation = NonNullable<ProposeContext["annotate"]>;

export interface ControllerOptions {
	store: Store;
	clock: Clock;
	bus: Bus;
	onQuit: () => void;
	/** The per-board settings file (supply voltages); default $XDG_CONFIG_HOME/bringup/boards.json. */
	configFile?: string;
}

/**
 * Turns the screens' intents into work: DfuSe operations on the selected device, simulator
 * plugging, the doctor. Screens see only the events this work appends to the store.
 */
export function createController(options: ControllerOptions): Intents {
	const { store, clock, bus } = options;
	const sessions = new Map<string, DfuSession>();
	const pending = new Map<string, PendingFlash>();
	/** Flashes under way, by job: cancelFlash aborts them between two blocks. */
	const underway = new Map<string, AbortController>();
	let jobCounter = 0;
	let batchCounter = 0;
	const configFile = options.configFile ?? configPath();
	let lastDoctor: DoctorResult | undefined;
	let doctorRunning = false;
	// One piece of work per device at a time: what runs on each (a job id, or "the checklist").
	const busy = new Map<string, string>();
	// A job that has its result is over, even before its promise has settled.
	const runningOn = (key: string): string | undefined => {
		const what = busy.get(key);
		if (what && store.getState().jobs[what]?.result) busy.delete(key);
		return busy.get(key);
	};
	const refuseWhileBusy = (key: string, wanted: string) => {
		const running = runningOn(key);
		if (running) throw new DeviceBusyError(key, running, wanted);
	};
	const claim = (key: string, what: string, wanted: string) => {
		refuseWhileBusy(key, wanted);
		busy.set(key, what);
	};
	const release = (key: string, what: string) => {
		if (busy.get(key) === what) busy.delete(key);
	};
	// Running flashes, so that quitting stops them between two blocks instead of mid-write.
	const running = new Map<string, { abort: AbortController; done: Promise<unknown> }>();

	const fail = (error: unknown): IntentResult => ({ ok: false, error: errorInfo(error) });
	const log = (level: "info" | "warn" | "error", text: string) =>
		store.append({ type: "log.message", source: "ui", at: clock.now(), level, text });

	/** One open DFU session per device, reopened if the device re-enumerated. */
	const sessionFor = async (key: string, alt?: number): Promise<DfuSession> => {
		// Sessions of devices that left the bus (unplugged, or re-enumerated under a new key) are
		// dropped, not kept for ever with the board behind them.
		for (const [k, s] of sessions) if (bus.device(k) !== s.device) sessions.delete(k);
		const device = bus.device(key);
		if (!device) throw new DeviceDetachedError(key);
		let session = sessions.get(key);
		if (!session || session.device !== device) {
			session = await openDfu(device, { clock, store, deviceKey: key, source: "dfu" });
			sessions.set(key, session);
		}
		if (alt !== undefined && session.alt.alt !== alt) await session.selectAlt(alt);
		return session;
	};

	const selectedKey = (): string => {
		const key = store.getState().selected;
		if (!key) throw new NoDeviceSelectedError();
		return key;
	};

	const finishFailed = (job: string, error: unknown) => {
		const state = store.getState();
		if (state.jobs[job] && !state.jobs[job]!.result)
			store.append({
				type: "flash.finished",
				source: "dfu",
				at: clock.now(),
				job,
				ok: false,
				error: errorInfo(error),
			});
	};

	/** Mass erase and read-unprotect: the device is claimed for the job until it ends. */
	const wholeChip = async (
		key: string,
		kind: "erase" | "unprotect",
		run: (session: DfuSession, job: string) => Promise<unknown>,
	): Promise<IntentResult> => {
		try {
			const job = `${kind}-${++jobCounter}`;
			claim(key, job, job);
			let session: DfuSession;
			try {
				session = await sessionFor(key, 0);
			} catch (error) {
				release(key, job);
				throw error;
			}
			void run(session, job)
				.catch((e: unknown) => finishFailed(job, e))
				.finally(() => release(key, job));
			return { ok: true, job };
		} catch (error) {
			return fail(error);
		}
	};

	/** Where a board's settings live (its serial, or its path where serials collide). */
	const settingsKey = (key: string): string | undefined => {
		const state = store.getState();
		const identity = state.devices[key]?.identity;
		return identity ? boardKey(identity, serialShared(state, key)) : undefined;
	};

	/**
	 * Plans `image` on one board: its remembered supply (if its loader takes one) sets the range,
	 * and the plan says so; nothing is written. The proposal waits in `pending` for confirmFlash.
	 */
	const planOn = async (
		key: string,
		image: Image,
		request: FlashRequest,
		annotate: PlanAnnotation,
		inspection?: Inspection,
	): Promise<PendingFlash> => {
		// Planning opens the device and selects the alt: not in the middle of other work.
		refuseWhileBusy(key, "planning a flash");
		const session = await sessionFor(key, request.alt ?? 0);
		if (!session.isDfuse)
			throw new DfuUnsupportedError(
				"the assistant flashes DfuSe devices (ST's loader); this one speaks plain DFU",
				{},
				"Flash it headless: bringup flash FILE.",
			);
		const chip = await resolveGuess(store.getState().devices[key]?.description?.chip);
		const where = settingsKey(key);
		const volts =
			hasDeviceFeature(session) && where
				? loadBoardSettings(where, configFile)?.voltage
				: undefined;
		if (volts !== undefined)
			log(
				"info",
				`supply ${volts} V remembered for ${annotate.board ?? where} (${configFile}): the plan uses its range`,
			);
		const proposal = proposeFlash(
			session,
			image,
			{
				...(request.address !== undefined ? { address: request.address } : {}),
				verify: request.verify,
				leave: request.leave,
				force: request.force ?? false,
				delta: true,
				...(volts !== undefined ? { voltageRange: rangeForVolts(volts) } : {}),
			},
			{
				...(chip ? { chip } : {}),
				...(inspection ? { inspection } : {}),
				newJob: () => `flash-${++jobCounter}`,
				annotate: { ...annotate, ...(volts !== undefined ? { supplyVolts: volts } : {}) },
			},
		);
		const work: PendingFlash = { session, proposal, annotate, ...(chip ? { chip } : {}) };
		for (const target of proposal.targets) pending.set(target.job, work);
		return work;
	};

	/**
	 * A board of a batch that could not be planned (it left the bus, it is busy, it is no DfuSe
	 * device) still gets its row: a job that ends at once with why.
	 */
	const planFailed = (
		key: string,
		request: FlashRequest,
		annotate: PlanAnnotation,
		error: unknown,
	) => {
		const job = `flash-${++jobCounter}`;
		store.append({
			type: "flash.planned",
			source: "dfu",
			at: clock.now(),
			job,
			device: key,
			plan: {
				operation: "download",
				alt: request.alt ?? 0,
				ranges: [],
				sectors: [],
				totalBytes: 0,
				transferSize: 0,
				file: request.file,
				verify: request.verify,
				leave: request.leave,
				...annotate,
			},
		});
		finishFailed(job, error);
		return job;
	};

	/** Every board of a batch, each planned as its own job; boards of one chip judged once. */
	const planBatch = async (keys: string[], image: Image, request: FlashRequest) => {
		const state = store.getState();
		const batch = `batch-${++batchCounter}`;
		const labels = boardLabels(keys.map((k) => state.devices[k]!.identity));
		// Open them together (each its own USB device); plan in bus order.
		await Promise.all(keys.map((k) => sessionFor(k, request.alt ?? 0).catch(() => {})));
		const verdicts = new Map<string, Inspection>();
		const jobs: string[] = [];
		for (const key of keys) {
			const annotate = { batch, board: labels.get(key) ?? key };
			const chip = state.devices[key]?.description?.chip?.name;
			try {
				const work = await planOn(
					key,
					image,
					request,
					annotate,
					chip ? verdicts.get(chip) : undefined,
				);
				if (chip && work.proposal.inspection) verdicts.set(chip, work.proposal.inspection);
				jobs.push(work.proposal.targets[0]!.job);
			} catch (error) {
				jobs.push(planFailed(key, request, annotate, error));
			}
		}
		return jobs;
	};

	const guarded = async <T>(work: () => Promise<T>): Promise<T | undefined> => {
		try {
			return await work();
		} catch (error) {
			log("error", errorInfo(error).message);
			return undefined;
		}
	};

	return {
		selectDevice(key) {
			store.append({ type: "device.selected", source: "ui", at: clock.now(), key });
		},
		useSimulator() {
			void guarded(() => bus.startSimulator());
		},
		plugSim(profile, count = 1) {
			void guarded(async () => {
				const fresh = !bus.simulation;
				const sim: Simulation = await bus.startSimulator();
				// A simulator started just now has plugged its first board already.
				for (let i = fresh && !profile ? 1 : 0; i < count; i++) sim.plug(profile);
			});
		},
		unplugSim(key) {
			const device = bus.device(key);
			const board = bus.simulation?.boards.find((b) => b.device === device);
			// Pulled for good: a new board is plugged with p, never this one again.
			if (board) bus.simulation!.remove(board);
		},
		async prepareFlash(request) {
			try {
				const key = selectedKey();
				const image = await loadForFlash(request.file, request.address);
				if (request.boards === "matching") {
					const keys = matchingBoards(store.getState(), key);
					if (keys.length === 0) throw new DeviceDetachedError(key);
					return { ok: true, job: (await planBatch(keys, image, request))[0]! };
				}
				const work = await planOn(key, image, request, {});
				// The screen shows the first job; its plan lists the checks and confirmations of all.
				return { ok: true, job: work.proposal.targets[0]!.job };
			} catch (error) {
				return fail(error);
			}
		},
		confirmFlash(job, confirmed = []) {
			const work = pending.get(job);
			if (!work) return;
			for (const target of work.proposal.targets) pending.delete(target.job);
			const key = work.session.deviceKey;
			// The last target's result comes last: the device is busy until then.
			const last = work.proposal.targets.at(-1)?.job ?? job;
			try {
				claim(key, last, job);
			} catch (error) {
				return finishUnstarted(work.session, work.proposal.targets, errorInfo(error));
			}
			// The service re-checks blocking findings and confirmations, and records any refusal.
			const abort = new AbortController();
			const jobs = work.proposal.targets.map((t) => t.job);
			for (const id of jobs) underway.set(id, abort);
			const done = startFlash(work.session, work.proposal, { confirmed, signal: abort.signal })
				.catch(() => {})
				.finally(() => {
					for (const id of jobs) underway.delete(id);
					release(key, last);
					running.delete(job);
				});
			running.set(job, { abort, done });
		},
		cancelFlash(job) {
			// A running flash stops between two blocks; its job says what the chip holds now.
			underway.get(job)?.abort();
			const work = pending.get(job);
			if (!work) return;
			for (const target of work.proposal.targets) pending.delete(target.job);
			finishUnstarted(work.session, work.proposal.targets, {
				kind: "cancelled",
				message: "cancelled before anything was written",
			});
		},
		async setSupply(job, volts) {
			try {
				const work = pending.get(job);
				if (!work) throw new NotPlannedError(job);
				if (volts !== null && voltsFrom(String(volts)) === undefined)
					throw new UsageError(
						`${volts} V: the supply ranges cover ${MIN_VOLTS} to ${MAX_VOLTS} V`,
						{ volts },
						"Type the board's supply in volts (e.g. 3.3), or none if it is not known.",
					);
				const batch = work.annotate.batch;
				const works = batch
					? [...new Set(pending.values())].filter((w) => w.annotate.batch === batch)
					: [work];
				let remembered = 0;
				for (const w of works) {
					// Loaders without the Device Feature word (not F2/F4/F7) take no range.
					if (!hasDeviceFeature(w.session)) continue;
					const where = settingsKey(w.session.deviceKey);
					if (where) {
						saveBoardSettings(where, volts === null ? undefined : { voltage: volts }, configFile);
						remembered++;
					}
					// The same jobs, planned again: the plan on screen changes in place.
					const ids = w.proposal.targets.map((t) => t.job);
					let next = 0;
					const { voltageRange: _old, ...settings } = w.proposal.settings;
					const { supplyVolts: _was, ...annotate } = w.annotate;
					const proposal = proposeFlash(
						w.session,
						w.proposal.image,
						{ ...settings, ...(volts !== null ? { voltageRange: rangeForVolts(volts) } : {}) },
						{
							...(w.chip ? { chip: w.chip } : {}),
							...(w.proposal.inspection ? { inspection: w.proposal.inspection } : {}),
							newJob: () => ids[next++] ?? `flash-${++jobCounter}`,
							annotate: { ...annotate, ...(volts !== null ? { supplyVolts: volts } : {}) },
						},
					);
					const again: PendingFlash = { ...w, proposal };
					for (const id of ids) pending.set(id, again);
				}
				const boards = `${remembered} board${remembered === 1 ? "" : "s"}`;
				log(
					"info",
					volts === null
						? `supply forgotten for ${boards} (${configFile}): they flash byte-wise`
						: `supply ${volts} V (${voltageRangeLabel(rangeForVolts(volts))}) for ${boards}: remembered in ${configFile}`,
				);
				return { ok: true, job };
			} catch (error) {
				return fail(error);
			}
		},
		massErase: (key) =>
			wholeChip(key, "erase", (session, job) => massErase(session, { confirmed: true, job })),
		unprotect: (key) =>
			wholeChip(key, "unprotect", (session, job) =>
				readUnprotect(session, { confirmed: true, job }),
			),
		startChecklist() {
			if (doctorRunning) return;
			doctorRunning = true;
			let claimed: string | undefined;
			void guarded(async () => {
				const key = selectedKey();
				// The checks talk to the loader: never in the middle of a flash on that device.
				claim(key, "the checklist", "the checklist");
				claimed = key;
				const device = bus.device(key);
				if (!device) throw new DeviceDetachedError(key);
				const identity = store.getState().devices[key]?.identity;
				if (identity && identity.mode !== "dfu") {
					// The automatic checks talk to the ROM loader; an application on the bus cannot
					// answer them. Say so on each of them and go on to the bench checks.
					const engine = createChecklist({ store, clock, source: "ui" });
					const usbId = vidPid(identity);
					for (const step of AUTO_STEPS)
						engine.record(step.id, {
							status: "skip",
							summary: `Needs the board in DFU mode (BOOT0 high, then reset); the selected device ${usbId} is running its application.`,
							findings: [],
						});
					return;
				}
				const open = sessions.get(key);
				sessions.delete(key);
				await open?.close();
				lastDoctor = await runDoctor({
					device,
					usb: bus.usbFor(key),
					store,
					clock,
					backend: key.startsWith("sim") ? "sim" : "usb",
					watch: bus.watchFor(key),
				});
			}).finally(() => {
				doctorRunning = false;
				if (claimed) release(claimed, "the checklist");
			});
		},
		answerCheck(step, answer: CheckAnswer, value) {
			const family = (() => {
				const key = store.getState().selected;
				return key ? store.getState().devices[key]?.description?.chip?.family : undefined;
			})();
			const engine = createChecklist({ store, clock, source: "ui", ...(family ? { family } : {}) });
			try {
				engine.answer(step, answer, value);
			} catch (error) {
				log("warn", errorInfo(error).message);
			}
		},
		async writeReport(path) {
			try {
				const date = new Date().toISOString().slice(0, 10);
				const state = store.getState();
				const chip = state.selected ? state.devices[state.selected]?.description?.chip : undefined;
				// After a doctor run its result carries the option bytes and boot watch; otherwise
				// (answers only) the report is built from the store alone.
				const text = lastDoctor
					? doctorReport(lastDoctor, state, { date })
					: checklistReport(state, {
							date,
							...(chip ? { family: chip.family, chip: chip.name } : {}),
						});
				await writeFile(path, text);
				return { ok: true, path };
			} catch (error) {
				return { ok: false, error: errorInfo(error) };
			}
		},
		quit() {
			// A flash still running is stopped between two blocks (the loader back in dfuIDLE, the
			// job's error saying what the chip holds) before the session ends; at most 2 s.
			const end = () => {
				for (const s of sessions.values()) void s.close().catch(() => {});
				options.onQuit();
			};
			const flashes = [...running.values()];
			if (flashes.length === 0) return end();
			for (const f of flashes) f.abort.abort();
			void Promise.race([Promise.all(flashes.map((f) => f.done)), clock.sleep(2000)]).then(end);
		},
	};
}
