/**
 * An open DFU interface: device opened, configuration selected, interface claimed, alt setting
 * chosen, and the device brought to dfuIDLE. Every operation (flash.ts, upload.ts, dfuse.ts)
 * works on a session; the session owns the transport, the clock, the store and event stamping.
 */
import type { Clock } from "../clock.js";
import { vidPid } from "../format.js";
import type { AltSettingInfo, DfuFunctional, MemoryLayout, NewEvent } from "../store/events.js";
import type { Store } from "../store/store.js";
import { DFU_PROTOCOL_RUNTIME, type DfuInterfaceInfo, describeDfuInterface } from "./descriptor.js";
import {
	DeviceBusyError,
	DeviceGoneError,
	DevicePermissionError,
	DfuBusyTimeoutError,
	DfuStatusError,
	DfuTransferError,
	DfuUnsupportedError,
	type FailureSite,
} from "./errors.js";
import {
	DfuStallError,
	DfuTransport,
	GETSTATUS_TIMEOUT_MS,
	isDeviceGone,
	TRANSFER_TIMEOUT_MS,
} from "./requests.js";
import { DfuState, type DfuStatus, DfuStatusCode, describeStatus, statusInfo } from "./status.js";

/** How long a step may stay dfuDNBUSY before the device counts as wedged (ms on the clock). */
export interface BusyLimits {
	/** Set Address, Get Commands and data blocks. */
	command: number;
	/** One page/sector erase (F4 128 KiB sector: max 4 s in the datasheet). */
	erase: number;
	/** Mass erase (F4: "up to 32 seconds"; dfu-util waits 35 s). */
	massErase: number;
}

export const DEFAULT_BUSY_LIMITS: BusyLimits = { command: 5_000, erase: 10_000, massErase: 40_000 };

/** dfu-util gives up after 100 busy replies with a zero poll timeout ("Device stuck"). */
const MAX_ZERO_TIMEOUT_POLLS = 100;
/** L4 loaders stall GETSTATUS while erasing; dfu-util tolerates three (docs/dfuse-protocol.md §1b). */
const MAX_BUSY_STALLS = 3;
/** Steps `ensureIdle` may take before it gives up on a device that keeps changing state. */
const MAX_IDLE_STEPS = 32;

export interface OpenOptions {
	clock: Clock;
	/** Where events go; without one the core runs silently (tests of pure behaviour). */
	store?: Store;
	/** Alt setting by number or by name (a prefix of the interface string, e.g. "@Option Bytes"). */
	alt?: number | string;
	/** Device key used in dfu.status events (the watcher's key). */
	deviceKey?: string;
	/** Override the descriptor's wTransferSize (dfu-util's -t). */
	transferSize?: number;
	busyLimits?: Partial<BusyLimits>;
	/** Real-time limits for one control transfer (default 5 s, GETSTATUS 20 s). */
	timeouts?: { transfer?: number; getStatus?: number };
	/** Event source name; "dfu" unless told. */
	source?: string;
}

export class DfuSession {
	readonly transport: DfuTransport;
	readonly busyLimits: BusyLimits;
	readonly deviceKey: string;
	/** Event source name ("dfu" unless the opener said otherwise). */
	readonly source: string;
	/** The job that dfu.status events are attributed to while an operation runs. */
	job?: string;
	alt: AltSettingInfo;
	/** Set once an erase wedged in dfuDNBUSY twice (H7 Rev.V): later wedges are accepted at once. */
	eraseWedges = false;
	private lastReported?: { state: number; status: number };
	private jobCounter = 0;

	constructor(
		readonly device: USBDevice,
		readonly info: DfuInterfaceInfo,
		readonly clock: Clock,
		readonly store: Store | undefined,
		options: OpenOptions,
		alt: AltSettingInfo,
	) {
		this.transferSizeOverride = options.transferSize;
		this.transport = new DfuTransport(device, info.interfaceNumber, clock, {
			transfer: options.timeouts?.transfer ?? TRANSFER_TIMEOUT_MS,
			getStatus: options.timeouts?.getStatus ?? GETSTATUS_TIMEOUT_MS,
		});
		this.transport.onStatus = (s) => this.reportStatus(s);
		this.busyLimits = { ...DEFAULT_BUSY_LIMITS, ...options.busyLimits };
		this.deviceKey = options.deviceKey ?? defaultKey(device);
		this.source = options.source ?? "dfu";
		this.alt = alt;
	}

	private readonly transferSizeOverride?: number;

	get functional(): DfuFunctional | undefined {
		return this.info.functional;
	}

	/**
	 * wTransferSize: the override, else the functional descriptor, else the ST ROM's 2048. An
	 * override above the descriptor's value is clamped to it: the loader stalls longer blocks, and
	 * finding that out at block 1 is after the erase (`transferSizeClamped` says so).
	 */
	get transferSize(): number {
		const own = this.info.functional?.transferSize;
		const asked = this.transferSizeOverride;
		if (asked !== undefined && own !== undefined && asked > own) return own;
		return asked ?? own ?? 2048;
	}

	/** The -t value that was clamped to the descriptor's wTransferSize, if one was. */
	get transferSizeClamped(): number | undefined {
		const own = this.info.functional?.transferSize;
		const asked = this.transferSizeOverride;
		return asked !== undefined && own !== undefined && asked > own ? asked : undefined;
	}

	/**
	 * The loader places data block N at (N − 2) × its own wTransferSize + the address pointer
	 * (ST's DFU class uses its fixed buffer size). With another size (-t) that formula misplaces
	 * every block after the first, so each block then gets its own Set Address (dfu-util's way).
	 */
	get blocksFollowPointer(): boolean {
		const own = this.info.functional?.transferSize;
		return this.transferSizeOverride === undefined || this.transferSize === own;
	}

	/** DfuSe (bcdDFUVersion 0x011A) speaks ST's command channel on wBlockNum 0. */
	get isDfuse(): boolean {
		return this.info.functional?.dfuVersion === 0x011a;
	}

	get isRuntime(): boolean {
		return this.info.protocol === DFU_PROTOCOL_RUNTIME;
	}

	get layout(): MemoryLayout | undefined {
		return this.alt.layout;
	}

	newJob(): string {
		this.jobCounter++;
		return `${this.deviceKey}#${this.jobCounter}@${Math.round(this.clock.now())}`;
	}

	emit(event: NewEvent): void {
		this.store?.append({ ...event, at: event.at ?? this.clock.now() } as NewEvent);
	}

	log(level: "debug" | "info" | "warn" | "error", text: string): void {
		this.emit({ type: "log.message", source: this.source, level, text });
	}

	/** Starts attributing statuses to `job` (or none); its first status is always reported. */
	attachJob(job: string | undefined): void {
		this.job = job;
		this.lastReported = undefined;
	}

	/** Only changes of state/status become events: a 1 MiB flash would otherwise add a thousand. */
	private reportStatus(s: DfuStatus): void {
		const last = this.lastReported;
		if (last && last.state === s.state && last.status === s.status) return;
		this.lastReported = { state: s.state, status: s.status };
		this.emit({
			type: "dfu.status",
			source: this.source,
			device: this.deviceKey,
			...(this.job ? { job: this.job } : {}),
			status: statusInfo(s),
		});
	}

	async selectAlt(alt: number | string): Promise<AltSettingInfo> {
		const chosen = resolveAlt(this.info.alts, alt);
		try {
			await this.device.selectAlternateInterface(this.info.interfaceNumber, chosen.alt);
		} catch (error) {
			throw usbFailure(this.device, { operation: `select alt setting ${chosen.alt}` }, error);
		}
		this.alt = chosen;
		return chosen;
	}

	/**
	 * Polls GETSTATUS (paced by bwPollTimeout) while the device is busy, and returns the first
	 * reply that is not dfuDNBUSY/dfuDNLOAD-SYNC. Throws `WedgedError` when it stays busy past
	 * `limitMs`; L4-style stalls during the wait are tolerated a few times.
	 */
	async pollWhileBusy(first: DfuStatus, site: FailureSite, limitMs: number): Promise<DfuStatus> {
		const started = this.clock.now();
		let status = first;
		let zeroPolls = 0;
		let stalls = 0;
		const allowed = Math.max(limitMs, first.pollTimeout * 10);
		while (status.state === DfuState.dfuDNBUSY || status.state === DfuState.dfuDNLOAD_SYNC) {
			if (this.clock.now() - started > allowed)
				throw new WedgedError(site, this.clock.now() - started);
			zeroPolls = status.pollTimeout === 0 ? zeroPolls + 1 : 0;
			if (zeroPolls > MAX_ZERO_TIMEOUT_POLLS)
				throw new WedgedError(site, this.clock.now() - started);
			try {
				status = await this.transport.getStatus(site);
			} catch (error) {
				if (!(error instanceof DfuStallError) || ++stalls > MAX_BUSY_STALLS) throw error;
				// Reuse the last timeout before asking again.
				await this.clock.sleep(Math.max(1, status.pollTimeout));
			}
		}
		return status;
	}

	/**
	 * Brings the device to dfuIDLE from whatever state it is in: dfuERROR → CLRSTATUS (the F4
	 * loader reports dfuERROR/errFIRMWARE on the very first GETSTATUS: normal), DNLOAD-IDLE or
	 * UPLOAD-IDLE → ABORT, busy/sync/manifest → keep polling at the pace the device asks for.
	 */
	async ensureIdle(site: FailureSite = { operation: "reset to dfuIDLE" }): Promise<DfuStatus> {
		let clearedNonOk = false;
		let started = this.clock.now();
		let zeroPolls = 0;
		let recovered = false;
		// Busy replies are bounded by time and by zero-timeout polls, not by the step count.
		for (let step = 0; step < MAX_IDLE_STEPS; ) {
			const s = await this.transport.getStatus(site);
			if (s.state === DfuState.dfuDNLOAD_SYNC || s.state === DfuState.dfuDNBUSY) {
				zeroPolls = s.pollTimeout === 0 ? zeroPolls + 1 : 0;
				const waited = this.clock.now() - started;
				if (zeroPolls <= MAX_ZERO_TIMEOUT_POLLS && waited <= this.busyLimits.massErase) continue;
				if (recovered) throw new DfuBusyTimeoutError(site, waited);
				// Wedged (H7 Rev.V erase, or left so by a run that died): CubeProgrammer's recovery.
				this.log(
					"warn",
					`${site.operation}: device stayed dfuDNBUSY for ${Math.round(waited)} ms; recovering with CLRSTATUS/ABORT`,
				);
				recovered = true;
				await this.clearStatusTolerant(site);
				const after = await this.transport.getStatus(site);
				if (after.state === DfuState.dfuDNBUSY || after.state === DfuState.dfuDNLOAD_SYNC)
					await this.transport.abort(site);
				started = this.clock.now();
				zeroPolls = 0;
				continue;
			}
			step++;
			switch (s.state) {
				case DfuState.dfuIDLE:
					if (s.status === 0 || clearedNonOk) return s;
					clearedNonOk = true;
					await this.clearStatusTolerant(site);
					break;
				case DfuState.dfuERROR:
					// F405/F407/F446 loaders answer their first GETSTATUS so on every connection,
					// and dfu-util clears it without a word: not news for the user.
					if (step === 1 && s.status === DfuStatusCode.errFIRMWARE)
						this.log(
							"debug",
							`the loader started in ${describeStatus(s)}, as ST's F4 loaders do; cleared`,
						);
					else
						this.log(
							step === 1 ? "info" : "warn",
							`device reported ${describeStatus(s)}; clearing it (CLRSTATUS)`,
						);
					await this.transport.clrStatus(site);
					break;
				case DfuState.dfuDNLOAD_IDLE:
				case DfuState.dfuUPLOAD_IDLE:
					await this.transport.abort(site);
					break;
				case DfuState.dfuMANIFEST_SYNC:
				case DfuState.dfuMANIFEST:
					if (this.clock.now() - started > this.busyLimits.massErase)
						throw new DfuBusyTimeoutError(site, this.clock.now() - started);
					break;
				case DfuState.appIDLE:
				case DfuState.appDETACH:
					throw new DfuUnsupportedError(
						"the device is in run-time (application) mode, not DFU mode",
						{ state: s.state },
						"Detach it into DFU mode first (bringup -e, as dfu-util -e), or use BOOT0 + reset.",
					);
				default:
					throw new DfuStatusError(site, s, "a state that can return to dfuIDLE");
			}
		}
		throw new DfuStatusError(site, await this.transport.getStatus(site), "dfuIDLE");
	}

	/** CLRSTATUS where the device may legitimately stall it (outside dfuERROR, e.g. STM32C5). */
	async clearStatusTolerant(site: FailureSite): Promise<void> {
		try {
			await this.transport.clrStatus(site);
		} catch (error) {
			if (!(error instanceof DfuStallError)) throw error;
		}
	}

	/** Best-effort return to dfuIDLE after a failure, so the device stays usable; never throws. */
	async tryRecover(): Promise<void> {
		try {
			await this.ensureIdle();
		} catch {
			// The original failure is what the user needs to see.
		}
	}

	async close(): Promise<void> {
		try {
			await this.device.releaseInterface(this.info.interfaceNumber);
		} catch {
			// Already gone or released.
		}
		try {
			await this.device.close();
		} catch {
			// Already closed.
		}
	}
}

/** Internal: the device stayed busy past the plausible time for a step. */
export class WedgedError extends DfuBusyTimeoutError {}

function defaultKey(device: USBDevice): string {
	const id = vidPid(device);
	return device.serialNumber ? `${id}/${device.serialNumber}` : id;
}

function resolveAlt(alts: AltSettingInfo[], wanted: number | string): AltSettingInfo {
	const found =
		typeof wanted === "number"
			? alts.find((a) => a.alt === wanted)
			: alts.find((a) => {
					const w = wanted.trim().toLowerCase().replace(/^@/, "");
					const name = a.name.trim().toLowerCase().replace(/^@/, "");
					return name === w || name.startsWith(w) || a.layout?.name.toLowerCase() === w;
				});
	if (!found)
		throw new DfuUnsupportedError(
			`the device has no alt setting ${typeof wanted === "number" ? wanted : `"${wanted}"`}`,
			{ alt: String(wanted) },
			`Alt settings: ${alts.map((a) => `${a.alt} ${a.name.trim()}`).join("; ")}`,
		);
	return found;
}

export function usbFailure(device: USBDevice, site: FailureSite, error: unknown): Error {
	// Asked first: a device that could not be opened is also "not opened", which reads as gone.
	const reason = error instanceof Error ? error.message : String(error);
	if (/EACCES|permission|access denied|LIBUSB_ERROR_ACCESS|SecurityError/i.test(reason))
		return new DevicePermissionError(site, reason);
	if (/EBUSY|resource busy|LIBUSB_ERROR_BUSY|already claimed/i.test(reason))
		return new DeviceBusyError(site, reason);
	if (isDeviceGone(error, device)) return new DeviceGoneError(site, error);
	return new DfuTransferError(site, reason);
}

/** Opens a DFU device and brings it to dfuIDLE on the chosen alt setting (default 0). */
export async function openDfu(device: USBDevice, options: OpenOptions): Promise<DfuSession> {
	if (!device.opened) {
		try {
			await device.open();
		} catch (error) {
			throw usbFailure(device, { operation: "open device" }, error);
		}
	}
	const info = await describeDfuInterface(device);
	try {
		if (device.configuration?.configurationValue !== info.configurationValue)
			await device.selectConfiguration(info.configurationValue);
		await device.claimInterface(info.interfaceNumber);
	} catch (error) {
		throw usbFailure(device, { operation: `claim interface ${info.interfaceNumber}` }, error);
	}
	const first = info.alts[0];
	if (!first) throw new DfuUnsupportedError("the DFU interface has no alt settings");
	const session = new DfuSession(device, info, options.clock, options.store, options, first);
	await session.selectAlt(options.alt ?? first.alt);
	if (!session.isRuntime) await session.ensureIdle({ operation: "open" });
	return session;
}
