import { writeFile } from "node:fs/promises";
import { resolveGuess } from "../chips/index.js";
import type { Clock } from "../clock.js";
import {
	type DfuSession,
	DfuUnsupportedError,
	massErase,
	openDfu,
	readUnprotect,
} from "../dfu/index.js";
import { AUTO_STEPS, createChecklist } from "../doctor/checklist.js";
import type { DoctorResult } from "../doctor/doctor.js";
import { runDoctor } from "../doctor/doctor.js";
import { checklistReport, doctorReport } from "../doctor/report-doctor.js";
import { errorInfo } from "../errors.js";
import { vidPid } from "../format.js";
import type { Simulation } from "../sim/index.js";
import type { Store } from "../store/store.js";
import type { Bus } from "./bus.js";
import { DeviceBusyError } from "./device-busy.js";
import { DeviceDetachedError, NoDeviceSelectedError } from "./errors.js";
import { type FlashProposal, finishUnstarted, proposeFlash, startFlash } from "./flash-service.js";
import type { CheckAnswer, IntentResult, Intents } from "./intents.js";
import { loadForFlash } from "./load-for-flash.js";

interface PendingFlash {
	session: DfuSession;
	proposal: FlashProposal;
}

export interface ControllerOptions {
	store: Store;
	clock: Clock;
	bus: Bus;
	onQuit: () => void;
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
		plugSim(profile) {
			void guarded(async () => {
				const sim: Simulation = await bus.startSimulator();
				if (sim.boards.some((b) => b.isPresent()) || profile) sim.plug(profile);
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
				// Planning opens the device and selects the alt: not in the middle of other work.
				refuseWhileBusy(key, "planning a flash");
				const image = await loadForFlash(request.file, request.address);
				const session = await sessionFor(key, request.alt ?? 0);
				if (!session.isDfuse)
					throw new DfuUnsupportedError(
						"the assistant flashes DfuSe devices (ST's loader); this one speaks plain DFU",
						{},
						"Flash it headless: bringup flash FILE.",
					);
				const chip = await resolveGuess(store.getState().devices[key]?.description?.chip);
				const proposal = proposeFlash(
					session,
					image,
					{
						...(request.address !== undefined ? { address: request.address } : {}),
						verify: request.verify,
						leave: request.leave,
						force: request.force ?? false,
						delta: true,
					},
					{ ...(chip ? { chip } : {}), newJob: () => `flash-${++jobCounter}` },
				);
				for (const target of proposal.targets) pending.set(target.job, { session, proposal });
				// The screen shows the first job; its plan lists the checks and confirmations of all.
				return { ok: true, job: proposal.targets[0]!.job };
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
