/**
 * One simulated board: the chip, the USB function currently on the bus (the ROM loader, an
 * application's device, or nothing), the scenario that decides what boots, the faults, the bus
 * time model and the counters.
 */
import type { Clock } from "../clock.js";
import { AppDevice, type AppDeviceSpec } from "./app-device.js";
import { Chip } from "./chip.js";
import { DfuRequest } from "./dfu-protocol.js";
import { type FaultSpec, SimDeviceGoneError } from "./faults.js";
import { DfuLoader, type LoaderFaults } from "./loader.js";
import type { ChipProfile } from "./profiles.js";
import type { BootOutcome, Scenario } from "./scenarios.js";
import { type SetupPacket, type SetupResult, STALL } from "./setup.js";
import type { FunctionDescriptors } from "./standard-requests.js";
import { controlTransferMs, FULL_SPEED_TRANSACTION_MS } from "./timing.js";

export interface BoardCounters {
	/** Control transfers answered through handleSetup (OS enumeration excluded). */
	controlTransfers: number;
	getStatus: number;
	/** DNLOADs with wBlockNum >= 2. */
	dataBlocks: number;
	eraseMs: number;
	programMs: number;
	/** Modelled full-speed bus time of the counted control transfers. */
	transferMs: number;
	/** eraseMs + programMs + transferMs: the least time the chip and bus needed. */
	deviceFloorMs: number;
	/** How many times a device enumerated on this board (loader or application). */
	enumerations: number;
}

/** The function on the bus: both kinds answer setup packets and describe themselves. */
export interface UsbFunction {
	readonly kind: "loader" | "app";
	readonly descriptors: FunctionDescriptors;
	handle(setup: SetupPacket, dataOut?: Uint8Array): SetupResult;
	/** A USB bus reset from the host. */
	busReset(): void;
	/** A STALL was forced on a class request (fault injection). */
	noteStall?(): void;
	/** Chip time this request waits (NAKed) before the function can answer it. */
	holdMs?(setup: SetupPacket): number;
}

export type BusTimeMode = "advance" | "sleep" | "none";

export interface BoardOptions {
	name: string;
	profile: ChipProfile;
	scenario: Scenario;
	clock: Clock;
	faults?: FaultSpec[];
	uid?: [number, number, number];
	busTime?: BusTimeMode;
	/** Bounds an endless watchdog reset loop, so that a virtual clock cannot run away. */
	maxResetCycles?: number;
	/** Called whenever memory changed and at the moments it should be persisted. */
	persist?: (board: Board, reason: "changed" | "checkpoint") => void;
}

type PresenceListener = (present: boolean) => void;

export class Board {
	readonly name: string;
	readonly profile: ChipProfile;
	readonly scenario: Scenario;
	readonly chip: Chip;
	readonly clock: Clock;
	readonly faults: FaultSpec[];
	readonly counters: BoardCounters = {
		controlTransfers: 0,
		getStatus: 0,
		dataBlocks: 0,
		eraseMs: 0,
		programMs: 0,
		transferMs: 0,
		deviceFloorMs: 0,
		enumerations: 0,
	};
	private current?: UsbFunction;
	private powered = false;
	/** Bumped on every power or bus change; timers from an older generation do nothing. */
	private generation = 0;
	private readonly listeners = new Set<PresenceListener>();
	private readonly busTime: BusTimeMode;
	private readonly maxResetCycles: number;
	private readonly persist?: BoardOptions["persist"];
	private queue: Promise<unknown> = Promise.resolve();
	private requestsSincePlug = 0;
	private sleepDebtMs = 0;
	private dataBlocksSincePlug = 0;
	private readonly firedOnce = new Set<FaultSpec>();

	constructor(options: BoardOptions) {
		this.name = options.name;
		this.profile = options.profile;
		this.scenario = options.scenario;
		this.clock = options.clock;
		this.faults = options.faults ?? [];
		this.chip = new Chip(options.profile, options.uid);
		this.busTime =
			options.busTime ??
			("advance" in options.clock && typeof options.clock.advance === "function"
				? "advance"
				: "sleep");
		this.maxResetCycles = options.maxResetCycles ?? 40;
		this.persist = options.persist;
	}

	/** Which function is on the bus now, if any. */
	get function(): UsbFunction | undefined {
		return this.current;
	}

	isPresent(): boolean {
		return this.current !== undefined;
	}

	isPowered(): boolean {
		return this.powered;
	}

	onPresenceChange(listener: PresenceListener): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Plug the cable in: the chip powers up in system memory (BOOT0 held) and the loader enumerates. */
	plugIn(): void {
		if (this.powered) return;
		this.powered = true;
		this.requestsSincePlug = 0;
		this.dataBlocksSincePlug = 0;
		this.boot({ kind: "loader", enumerateAfterMs: 0 });
	}

	/** Pull the cable: everything stops; pending timers are void. */
	unplug(): void {
		if (!this.powered) return;
		this.powered = false;
		this.generation++;
		this.detachFunction();
		this.persist?.(this, "checkpoint");
	}

	/**
	 * The single setup-packet entry point. Rejects with SimDeviceGoneError when nothing is on the
	 * bus, or when the device goes away during this transfer.
	 */
	handleSetup(setup: SetupPacket, dataOut?: Uint8Array): Promise<SetupResult> {
		// Control transfers on endpoint 0 are one at a time, as on a real bus.
		const run = this.queue.then(() => this.transfer(setup, dataOut));
		this.queue = run.catch(() => {});
		return run;
	}

	private async transfer(setup: SetupPacket, dataOut?: Uint8Array): Promise<SetupResult> {
		const fn = this.current;
		if (!fn) throw new SimDeviceGoneError(this.name, false);
		const generation = this.generation;
		this.requestsSincePlug++;
		this.counters.controlTransfers++;
		const isIn = (setup.bmRequestType & 0x80) !== 0;
		const isDfu = (setup.bmRequestType & 0x7f) === 0x21;
		if (isDfu && setup.bRequest === DfuRequest.GETSTATUS) this.counters.getStatus++;
		const isDataBlock =
			isDfu &&
			!isIn &&
			setup.bRequest === DfuRequest.DNLOAD &&
			setup.wValue >= 2 &&
			setup.wLength > 0;
		if (isDataBlock) {
			this.counters.dataBlocks++;
			this.dataBlocksSincePlug++;
		}
		// Setup and OUT data reach the device before it acts; IN data and the status stage follow
		// its answer, sized by what it really returns (a 6-byte GETSTATUS, a short last UPLOAD).
		const before = isIn
			? FULL_SPEED_TRANSACTION_MS
			: controlTransferMs(dataOut?.length ?? setup.wLength, setup.wLength > 0) -
				FULL_SPEED_TRANSACTION_MS;
		this.addFloor("transferMs", before);
		await this.spendBusTime(before);
		if (this.generation !== generation || this.current !== fn)
			throw new SimDeviceGoneError(this.name, true);

		const unplug = this.fault("unplug-at-block");
		if (isDataBlock && unplug && unplug.block === this.dataBlocksSincePlug && this.once(unplug)) {
			this.unplug();
			throw new SimDeviceGoneError(this.name, true);
		}
		const stall = this.fault("stall-request");
		let result: SetupResult;
		if (stall && stall.request === this.requestsSincePlug && this.once(stall)) {
			// The device stalls; a DFU function records it like any stalled class request.
			if (isDfu) fn.noteStall?.();
			result = STALL;
		} else {
			const hold = fn.holdMs?.(setup) ?? 0;
			if (hold > 0) {
				// The chip is busy erasing or programming: the host waits, whatever the bus mode.
				await this.clock.sleep(hold);
				if (this.generation !== generation || this.current !== fn)
					throw new SimDeviceGoneError(this.name, true);
			}
			result = fn.handle(setup, dataOut);
		}
		const returned = result.status === "ok" ? (result.data?.length ?? 0) : 0;
		const after = isIn
			? controlTransferMs(returned, setup.wLength > 0) - FULL_SPEED_TRANSACTION_MS
			: FULL_SPEED_TRANSACTION_MS;
		this.addFloor("transferMs", after);
		await this.spendBusTime(after);
		return result;
	}

	private fault<N extends FaultSpec["name"]>(name: N): Extract<FaultSpec, { name: N }> | undefined {
		return this.faults.find((f) => f.name === name) as Extract<FaultSpec, { name: N }> | undefined;
	}

	private once(fault: FaultSpec): boolean {
		if (this.firedOnce.has(fault)) return false;
		this.firedOnce.add(fault);
		return true;
	}

	/**
	 * On a virtual clock bus time is added exactly. On a real clock it is slept, but only once a
	 * whole millisecond is owed: timers are not finer than that, and sleeping 0.2 ms per transfer
	 * would really cost 1 ms each.
	 */
	private async spendBusTime(ms: number): Promise<void> {
		if (this.busTime === "advance")
			(this.clock as unknown as { advance(ms: number): void }).advance(ms);
		else if (this.busTime === "sleep") {
			this.sleepDebtMs += ms;
			if (this.sleepDebtMs >= 1) {
				const owed = Math.floor(this.sleepDebtMs);
				this.sleepDebtMs -= owed;
				await this.clock.sleep(owed);
			}
		}
	}

	private addFloor(kind: "eraseMs" | "programMs" | "transferMs", ms: number): void {
		this.counters[kind] += ms;
		this.counters.deviceFloorMs += ms;
	}

	/** A USB bus reset from the host (WebUSB reset()). */
	busReset(): void {
		this.current?.busReset();
	}

	/** Test hook: read memory as it is, without protection rules. */
	readMemory(address: number, length: number): Uint8Array {
		return this.chip.read(address, length);
	}

	/** Test hook: write memory as is, bypassing erase/program rules. */
	writeMemory(address: number, data: Uint8Array): void {
		this.chip.poke(address, data);
		this.persist?.(this, "changed");
	}

	get optionBytes(): Uint8Array[] {
		return this.chip.optionBytes.map((r) => Uint8Array.from(r));
	}

	set optionBytes(runs: Uint8Array[]) {
		this.chip.optionBytes = runs.map((r) => Uint8Array.from(r));
		this.persist?.(this, "changed");
	}

	/** Writes the board file now (no-op without one). */
	save(): void {
		this.persist?.(this, "checkpoint");
	}

	private loaderFaults(): LoaderFaults {
		const statusError = this.fault("status-error-at-block");
		const flip = this.fault("readback-bitflip");
		const wedge = this.fault("wedged-busy");
		return {
			errorOnEntry: this.fault("error-on-entry") !== undefined,
			statusErrorAtBlock: statusError
				? { block: statusError.block, status: statusError.status }
				: undefined,
			readbackBitFlip: flip ? { address: flip.address, bit: flip.bit } : undefined,
			wedgeEraseFromSector: wedge?.fromSector,
		};
	}

	private createLoader(): UsbFunction {
		const loader = new DfuLoader(this.chip, {
			now: () => this.clock.now(),
			chipBusy: (kind, ms) => this.addFloor(kind === "erase" ? "eraseMs" : "programMs", ms),
			memoryChanged: () => this.persist?.(this, "changed"),
			leave: (address) =>
				this.afterLoader(
					this.holdsVectorTable(address)
						? this.scenario.afterLeave(this.chip)
						: this.scenario.afterReset(this.chip),
				),
			systemReset: () => this.afterLoader(this.scenario.afterReset(this.chip)),
			detach: () => this.afterLoader({ kind: "loader", enumerateAfterMs: 50 }),
			faults: this.loaderFaults(),
		});
		return {
			kind: "loader",
			descriptors: loader.descriptors,
			handle: (setup, data) => loader.handle(setup, data),
			busReset: () => loader.busReset(),
			noteStall: () => loader.noteStall(),
			holdMs: (setup) => loader.holdMs(setup),
			loader,
		} as UsbFunction & { loader: DfuLoader };
	}

	/**
	 * AN2662 p.80: "If the Address Pointer points to an address that doesn't contain executable
	 * code, then the device will be reset". [inferred] The test the loader applies is modelled as
	 * "the first word there is a stack pointer inside this chip's RAM (its top included)", the
	 * check ST's own IAP examples make before jumping. An erased flash fails it.
	 */
	private holdsVectorTable(address: number): boolean {
		const at = this.chip.locate(address);
		if (at?.kind !== "flash" && at?.kind !== "ram") return false;
		const word = this.chip.read(address, 4);
		const sp = (word[0]! | (word[1]! << 8) | (word[2]! << 16) | (word[3]! << 24)) >>> 0;
		return this.profile.ram.some((r) => sp > r.address && sp <= r.address + r.size);
	}

	/** The loader in charge now, for tests that look at the DFU state directly. */
	get loader(): DfuLoader | undefined {
		return (this.current as { loader?: DfuLoader } | undefined)?.loader;
	}

	private createApp(spec: AppDeviceSpec): UsbFunction {
		const app = new AppDevice(spec, this.chip.uid);
		return {
			kind: "app",
			descriptors: app.descriptors,
			handle: (setup, data) => app.handle(setup, data),
			busReset: () => {},
		};
	}

	/** The loader left the bus (jump or reset): save, drop off, then boot what comes next. */
	private afterLoader(next: BootOutcome): void {
		this.generation++;
		this.detachFunction();
		this.persist?.(this, "checkpoint");
		// A chip with RDP level 2 never runs the system-memory loader (AN2606).
		if (next.kind === "loader" && this.chip.rdpLevel() === 2)
			next = this.scenario.afterLeave(this.chip);
		this.boot(next);
	}

	private boot(next: BootOutcome, cycle = 0): void {
		const generation = this.generation;
		const later = (ms: number, action: () => void) => {
			if (ms <= 0) {
				action();
				return;
			}
			void this.clock.sleep(ms).then(() => {
				if (this.generation === generation && this.powered) action();
			});
		};
		switch (next.kind) {
			case "silent":
				return;
			case "loader":
				later(next.enumerateAfterMs, () => this.attach(this.createLoader()));
				return;
			case "app":
				later(next.enumerateAfterMs, () => this.attach(this.createApp(next.device)));
				return;
			case "app-reset-loop":
				later(next.enumerateAfterMs, () => {
					this.attach(this.createApp(next.device));
					later(next.periodMs - next.enumerateAfterMs, () => {
						this.generation++;
						this.detachFunction();
						if (cycle + 1 < this.maxResetCycles) this.boot(next, cycle + 1);
					});
				});
				return;
		}
	}

	private attach(fn: UsbFunction): void {
		this.current = fn;
		this.counters.enumerations++;
		if (fn.kind === "loader") this.dataBlocksSincePlug = 0;
		for (const listener of [...this.listeners]) listener(true);
	}

	private detachFunction(): void {
		if (!this.current) return;
		this.current = undefined;
		for (const listener of [...this.listeners]) listener(false);
	}
}
