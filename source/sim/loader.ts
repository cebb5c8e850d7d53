/**
 * The ROM DFU loader's USB function: descriptors, the DFU 1.1 state machine and the DfuSe
 * commands, answering one setup packet at a time. Synchronous on purpose: the loader only reads
 * the clock; the board around it models bus time and presence.
 *
 * Behaviour and where it comes from (docs/dfuse-protocol.md §1 unless stated):
 * - A DNLOAD (command on wBlockNum 0 or data on wBlockNum >= 2) is only stored; it runs at the
 *   next GETSTATUS, which answers dfuDNBUSY with bwPollTimeout = the modelled duration, or the
 *   fixed value the profile's loader reports instead (F4: 104 ms Set Address, 100 ms erase). The
 *   next GETSTATUS answers dfuDNLOAD-IDLE/OK, or dfuERROR with errTARGET (address not allowed) or
 *   errVENDOR (read protection). Polled before the operation has ended, the loader holds that
 *   GETSTATUS (the chip is busy and NAKs) and answers when it is done: the F401 log answers a
 *   100 ms poll after a 16 KiB erase with dfuDNLOAD-IDLE and 0 ms, dfu-util stretches its
 *   control-transfer timeout to 35 s for the F4 mass erase, and pydfu never sleeps at all.
 * - The first GETSTATUS after enumeration answers dfuERROR/errFIRMWARE on loaders that do so
 *   (profile.usb.firstStatus: F405/F407/F446), dfuIDLE/OK elsewhere.
 * - Data address = (wBlockNum - 2) × wTransferSize + address pointer (AN2662 p.70).
 * - Requests the current state does not allow: STALL, and the state becomes dfuERROR with
 *   errSTALLEDPKT (DFU 1.1; a G431 reports errSTALLEDPKT after an oversized DNLOAD).
 * - CLRSTATUS outside dfuERROR is not stalled (older ST loaders tolerate it) but, as in ST's USB
 *   device library DFU class, it moves the state to dfuERROR with errUNKNOWN; the next CLRSTATUS
 *   returns to dfuIDLE. This is also what ends the H7 "wedged dfuDNBUSY" (two CLRSTATUS).
 * - ABORT from dfuIDLE, dfuDNLOAD-SYNC/IDLE, dfuDNBUSY, dfuMANIFEST-SYNC, dfuUPLOAD-IDLE → dfuIDLE;
 *   elsewhere it is acknowledged and ignored (ST's DFU class does not stall it).
 * - Write-protected sectors are silently neither erased nor programmed (AN2662 p.78).
 * - Programming clears bits only (old AND new). On G4 a double word that is no longer erased
 *   cannot be programmed again except to all zeros (RM0440 PROGERR): such a block ends in
 *   dfuERROR/errPROG and nothing of it is written.
 * - RDP level 1: flash erase, program and upload fail with errVENDOR; option bytes stay
 *   readable and writable, Set Address is executed (AN2662 p.77, RM0090 Table 18).
 * - Option-byte writes and Read Unprotect answer the first GETSTATUS with dfuDNBUSY, then the chip
 *   resets (AN2662 Fig. 56 notes).
 * - Leave: zero-length DNLOAD → dfuMANIFEST-SYNC; the next GETSTATUS answers dfuMANIFEST, then the
 *   loader disconnects and jumps to the address pointer; it is not manifestation tolerant.
 *
 * [inferred] A command whose length does not fit its opcode, or an unknown opcode, ends in
 * dfuERROR/errSTALLEDPKT at the second GETSTATUS. A flash write whose address is not a multiple of
 * the AN2606 Table 7 alignment, or which crosses the end of a memory, ends in dfuERROR/errTARGET.
 * A tail shorter than the programming unit is padded with 0xFF by the loader.
 */
import type { Chip, Location, MemoryKind } from "./chip.js";
import {
	DFU_ATTRIBUTES,
	deviceDescriptor,
	loaderConfigurationDescriptor,
	loaderIdentity,
	loaderStrings,
} from "./descriptors.js";
import {
	DfuRequest,
	DfuState,
	type DfuStateValue,
	DfuStatus,
	type DfuStatusValue,
	DfuseCommand,
	SUPPORTED_COMMANDS,
} from "./dfu-protocol.js";
import type { AltKind, ChipProfile } from "./profiles.js";
import { sectorAt } from "./profiles.js";
import { ok, type SetupPacket, type SetupResult, STALL } from "./setup.js";
import {
	type FunctionDescriptors,
	handleStandardRequest,
	type StandardState,
} from "./standard-requests.js";
import { massEraseMs, programMs, sectorEraseMs } from "./timing.js";

/** Fault behaviours that live inside the loader (see faults.ts for the names). */
export interface LoaderFaults {
	/** The loader enumerates in dfuERROR/errFIRMWARE, as the captured F4 Discovery did. */
	errorOnEntry?: boolean;
	/** The data block with this 1-based number (counted since enumeration) fails with `status`. */
	statusErrorAtBlock?: { block: number; status: DfuStatusValue };
	/** UPLOAD replies covering `address` come back with `bit` flipped. */
	readbackBitFlip?: { address: number; bit: number };
	/** Erases of sectors with index >= this never leave dfuDNBUSY until CLRSTATUS/ABORT. */
	wedgeEraseFromSector?: number;
}

export interface LoaderHooks {
	now(): number;
	/** Erase or program time the chip spent, for the device-floor counter. */
	chipBusy(kind: "erase" | "program", ms: number): void;
	memoryChanged(): void;
	/** Called after the dfuMANIFEST answer: the loader disconnects and jumps to `address`. */
	leave(address: number): void;
	/** Called after the dfuDNBUSY answer of an option-byte write or Read Unprotect. */
	systemReset(reason: "option-bytes" | "read-unprotect"): void;
	/** DFU_DETACH with bitWillDetach: the loader drops off the bus and enumerates again. */
	detach(): void;
	faults: LoaderFaults;
}

interface Outcome {
	state: DfuStateValue;
	status: DfuStatusValue;
}

interface Busy {
	until: number;
	outcome: Outcome;
	/** Set for a wedged erase: never finishes on its own. */
	wedged: boolean;
}

const IDLE_OK: Outcome = { state: DfuState.dfuDNLOAD_IDLE, status: DfuStatus.OK };

/** Which memories each alt setting's "media" reaches. Alt 0 also covers RAM and system memory. */
const REACH: Record<AltKind, { read: MemoryKind[]; write: MemoryKind[] }> = {
	flash: { read: ["flash", "ram", "system"], write: ["flash", "ram"] },
	"option-bytes": { read: ["option-bytes"], write: ["option-bytes"] },
	otp: { read: ["otp"], write: ["otp"] },
	"device-feature": { read: ["device-feature"], write: ["device-feature"] },
	eeprom: { read: ["eeprom"], write: ["eeprom"] },
};

export class DfuLoader {
	readonly descriptors: FunctionDescriptors;
	private readonly standard: StandardState;
	private state: DfuStateValue = DfuState.dfuIDLE;
	private status: DfuStatusValue = DfuStatus.OK;
	private pointer: number;
	private pending?: { block: number; data: Uint8Array };
	private busy?: Busy;
	private dataBlocks = 0;

	constructor(
		private readonly chip: Chip,
		private readonly hooks: LoaderHooks,
	) {
		const profile = chip.profile;
		this.descriptors = {
			device: deviceDescriptor(loaderIdentity(profile)),
			configuration: loaderConfigurationDescriptor(profile),
			strings: loaderStrings(profile, chip.uid),
			altCounts: [profile.alts.length],
			deviceStatus: profile.usb.deviceStatus,
		};
		// The OS configures the device during enumeration.
		this.standard = { configuration: 1, alts: [0] };
		this.pointer = profile.flash.base;
		if (hooks.faults.errorOnEntry || profile.usb.firstStatus === "errFIRMWARE") {
			this.state = DfuState.dfuERROR;
			this.status = DfuStatus.errFIRMWARE;
		}
	}

	get profile(): ChipProfile {
		return this.chip.profile;
	}

	/** For tests and the board: the state a GETSTATE would return. */
	get dfuState(): DfuStateValue {
		return this.state;
	}

	get addressPointer(): number {
		return this.pointer;
	}

	get alternateSetting(): number {
		return this.standard.alts[0] ?? 0;
	}

	/** A USB bus reset: the DFU function starts over (address pointer and memory stay). */
	busReset(): void {
		this.state = DfuState.dfuIDLE;
		this.status = DfuStatus.OK;
		this.pending = undefined;
		this.busy = undefined;
	}

	handle(setup: SetupPacket, dataOut?: Uint8Array): SetupResult {
		if (setup.bmRequestType === 0x81 && setup.bRequest === 6 && setup.wValue >> 8 === 0x21) {
			// GET_DESCRIPTOR(DFU functional) to the interface, as ST's DFU class answers it.
			const functional = this.descriptors.configuration.slice(-9);
			return ok(functional.slice(0, setup.wLength));
		}
		const standard = handleStandardRequest(setup, this.descriptors, this.standard);
		if (standard) return standard;
		if ((setup.bmRequestType & 0x7f) !== 0x21 || setup.wIndex !== 0) return STALL;
		const isIn = (setup.bmRequestType & 0x80) !== 0;
		switch (setup.bRequest) {
			case DfuRequest.DETACH:
				return isIn ? this.stall() : this.detach();
			case DfuRequest.DNLOAD:
				return isIn ? this.stall() : this.download(setup, dataOut);
			case DfuRequest.UPLOAD:
				return isIn ? this.upload(setup) : this.stall();
			case DfuRequest.GETSTATUS:
				return isIn ? this.getStatus(setup) : this.stall();
			case DfuRequest.CLRSTATUS:
				return isIn ? this.stall() : this.clearStatus();
			case DfuRequest.GETSTATE:
				return isIn ? ok(Uint8Array.of(this.state).slice(0, setup.wLength)) : this.stall();
			case DfuRequest.ABORT:
				return isIn ? this.stall() : this.abort();
			default:
				return this.stall();
		}
	}

	/**
	 * How long the chip keeps this request waiting before it can answer: a GETSTATUS that arrives
	 * while an erase or program is still running is held (NAKed) until it ends.
	 */
	holdMs(setup: SetupPacket): number {
		const isGetStatus =
			setup.bmRequestType === 0xa1 && setup.bRequest === DfuRequest.GETSTATUS && setup.wIndex === 0;
		if (!isGetStatus || this.state !== DfuState.dfuDNBUSY || !this.busy || this.busy.wedged)
			return 0;
		return Math.max(0, Math.ceil(this.busy.until - this.hooks.now()));
	}

	/** A STALL forced on a class request from outside (fault injection) leaves the same trace. */
	noteStall(): void {
		this.stall();
	}

	/** STALL a request the state does not allow; the loader notes it as errSTALLEDPKT. */
	private stall(): SetupResult {
		this.state = DfuState.dfuERROR;
		this.status = DfuStatus.errSTALLEDPKT;
		this.pending = undefined;
		this.busy = undefined;
		return STALL;
	}

	private detach(): SetupResult {
		const from: DfuStateValue[] = [
			DfuState.dfuIDLE,
			DfuState.dfuDNLOAD_SYNC,
			DfuState.dfuDNLOAD_IDLE,
			DfuState.dfuMANIFEST_SYNC,
			DfuState.dfuUPLOAD_IDLE,
		];
		if (!from.includes(this.state)) return this.stall();
		this.state = DfuState.dfuIDLE;
		this.status = DfuStatus.OK;
		if (DFU_ATTRIBUTES & 0x08) this.hooks.detach();
		return ok();
	}

	private download(setup: SetupPacket, dataOut?: Uint8Array): SetupResult {
		if (this.state !== DfuState.dfuIDLE && this.state !== DfuState.dfuDNLOAD_IDLE)
			return this.stall();
		if (setup.wLength > this.profile.usb.transferSize) return this.stall();
		if (setup.wLength === 0) {
			this.state = DfuState.dfuMANIFEST_SYNC;
			return ok();
		}
		const data = (dataOut ?? new Uint8Array(0)).slice(0, setup.wLength);
		if (data.length < setup.wLength) return this.stall();
		this.pending = { block: setup.wValue, data };
		this.state = DfuState.dfuDNLOAD_SYNC;
		return ok();
	}

	private getStatus(setup: SetupPacket): SetupResult {
		let pollTimeout = 0;
		let after: (() => void) | undefined;
		if (this.state === DfuState.dfuDNLOAD_SYNC && this.pending) {
			const pending = this.pending;
			this.pending = undefined;
			const run = this.execute(pending.block, pending.data);
			this.busy = {
				until: this.hooks.now() + run.ms,
				outcome: run.outcome,
				wedged: run.wedged ?? false,
			};
			this.state = DfuState.dfuDNBUSY;
			pollTimeout = run.reportedMs ?? Math.ceil(run.ms);
			after = run.afterReply;
		} else if (this.state === DfuState.dfuDNBUSY && this.busy) {
			const left = this.busy.until - this.hooks.now();
			if (this.busy.wedged || left > 0) {
				pollTimeout = this.busy.wedged ? 0 : Math.ceil(left);
			} else {
				this.state = this.busy.outcome.state;
				this.status = this.busy.outcome.status;
				this.busy = undefined;
			}
		} else if (this.state === DfuState.dfuMANIFEST_SYNC) {
			this.state = DfuState.dfuMANIFEST;
			pollTimeout = 1;
			const address = this.pointer;
			after = () => this.hooks.leave(address);
		}
		const reply = Uint8Array.of(
			this.status,
			pollTimeout & 0xff,
			(pollTimeout >> 8) & 0xff,
			(pollTimeout >> 16) & 0xff,
			this.state,
			0,
		);
		// The reply is on the wire before the chip resets or jumps.
		if (after) queueMicrotask(after);
		return ok(reply.slice(0, setup.wLength));
	}

	private clearStatus(): SetupResult {
		if (this.state === DfuState.dfuERROR) {
			this.state = DfuState.dfuIDLE;
			this.status = DfuStatus.OK;
		} else {
			this.state = DfuState.dfuERROR;
			this.status = DfuStatus.errUNKNOWN;
			this.pending = undefined;
			this.busy = undefined;
		}
		return ok();
	}

	private abort(): SetupResult {
		const from: DfuStateValue[] = [
			DfuState.dfuIDLE,
			DfuState.dfuDNLOAD_SYNC,
			DfuState.dfuDNLOAD_IDLE,
			DfuState.dfuDNBUSY,
			DfuState.dfuMANIFEST_SYNC,
			DfuState.dfuUPLOAD_IDLE,
		];
		if (from.includes(this.state)) {
			this.state = DfuState.dfuIDLE;
			this.status = DfuStatus.OK;
			this.pending = undefined;
			this.busy = undefined;
		}
		return ok();
	}

	private upload(setup: SetupPacket): SetupResult {
		if (this.state !== DfuState.dfuIDLE && this.state !== DfuState.dfuUPLOAD_IDLE)
			return this.stall();
		if (setup.wLength > this.profile.usb.transferSize) return this.stall();
		if (setup.wLength === 0) {
			this.state = DfuState.dfuIDLE;
			return ok(new Uint8Array(0));
		}
		if (setup.wValue === 0) {
			const reply = SUPPORTED_COMMANDS.slice(0, setup.wLength);
			this.state = reply.length < setup.wLength ? DfuState.dfuIDLE : DfuState.dfuUPLOAD_IDLE;
			return ok(reply);
		}
		if (setup.wValue === 1) return this.stall();
		const address = (setup.wValue - 2) * this.profile.usb.transferSize + this.pointer;
		const at = this.reachable(address, "read");
		if (!at) return this.fail(DfuStatus.errTARGET);
		if (at.kind === "flash" && this.chip.rdpLevel() > 0) return this.fail(DfuStatus.errVENDOR);
		const length = Math.min(setup.wLength, at.remaining);
		const data = this.chip.read(address, length);
		const flip = this.hooks.faults.readbackBitFlip;
		if (flip && flip.address >= address && flip.address < address + length)
			data[flip.address - address]! ^= 1 << flip.bit;
		// A short frame ends the upload (DFU 1.1 §6.2).
		this.state = length < setup.wLength ? DfuState.dfuIDLE : DfuState.dfuUPLOAD_IDLE;
		return ok(data);
	}

	/** An upload the loader refuses: STALL with the reason left in the status. */
	private fail(status: DfuStatusValue): SetupResult {
		this.stall();
		this.status = status;
		return STALL;
	}

	private reachable(address: number, mode: "read" | "write"): Location | undefined {
		const alt = this.profile.alts[this.alternateSetting];
		if (!alt) return undefined;
		const at = this.chip.locate(address);
		return at && REACH[alt.kind][mode].includes(at.kind) ? at : undefined;
	}

	private execute(
		block: number,
		data: Uint8Array,
	): {
		ms: number;
		outcome: Outcome;
		reportedMs?: number;
		wedged?: boolean;
		afterReply?: () => void;
	} {
		const error = (status: DfuStatusValue) => ({
			ms: 0,
			outcome: { state: DfuState.dfuERROR, status },
		});
		if (block === 0) return this.command(data, error);
		if (block === 1) return { ms: 0, outcome: IDLE_OK };
		this.dataBlocks++;
		const address = (block - 2) * this.profile.usb.transferSize + this.pointer;
		const at = this.reachable(address, "write");
		if (!at || at.remaining < data.length) return error(DfuStatus.errTARGET);
		if (at.kind === "flash" && address % this.profile.writeAlignment !== 0)
			return error(DfuStatus.errTARGET);
		if (at.kind === "flash" && this.chip.rdpLevel() > 0) return error(DfuStatus.errVENDOR);
		const injected = this.hooks.faults.statusErrorAtBlock;
		if (injected && injected.block === this.dataBlocks) return error(injected.status);
		if (at.kind === "option-bytes") return this.writeOptionBytes(at, data);
		if (at.kind === "flash" && this.chip.wouldFailVirginCheck(address, data))
			return error(DfuStatus.errPROG);
		const parallelism = this.chip.parallelism();
		const { programmedBytes } = this.chip.program(address, data);
		this.hooks.memoryChanged();
		const ms =
			at.kind === "flash" || at.kind === "otp"
				? programMs(this.profile, at.kind === "otp" ? data.length : programmedBytes, parallelism)
				: 0;
		this.hooks.chipBusy("program", ms);
		return { ms, outcome: IDLE_OK };
	}

	private command(
		data: Uint8Array,
		error: (status: DfuStatusValue) => { ms: number; outcome: Outcome },
	) {
		const opcode = data[0];
		const address =
			data.length === 5
				? (data[1]! | (data[2]! << 8) | (data[3]! << 16) | (data[4]! << 24)) >>> 0
				: 0;
		if (opcode === DfuseCommand.GET_COMMANDS && data.length === 1)
			return { ms: 0, outcome: IDLE_OK };
		if (opcode === DfuseCommand.SET_ADDRESS_POINTER && data.length === 5) {
			if (!this.reachable(address, "read")) return error(DfuStatus.errTARGET);
			this.pointer = address;
			return { ms: 0, outcome: IDLE_OK, reportedMs: this.profile.pollTimeouts?.setAddress };
		}
		if (opcode === DfuseCommand.ERASE && data.length === 5) {
			if (this.chip.rdpLevel() > 0) return error(DfuStatus.errVENDOR);
			const at = this.reachable(address, "write");
			const sector = sectorAt(this.profile, address);
			if (at?.kind !== "flash" || !sector) return error(DfuStatus.errTARGET);
			this.pointer = address;
			const erased = this.chip.eraseSector(sector.index);
			const ms = erased ? sectorEraseMs(this.profile, sector.size, this.chip.parallelism()) : 0;
			if (erased) this.hooks.memoryChanged();
			this.hooks.chipBusy("erase", ms);
			const wedgeFrom = this.hooks.faults.wedgeEraseFromSector;
			const wedged = wedgeFrom !== undefined && sector.index >= wedgeFrom;
			return { ms, outcome: IDLE_OK, wedged, reportedMs: this.profile.pollTimeouts?.erase };
		}
		if (opcode === DfuseCommand.ERASE && data.length === 1) {
			if (this.chip.rdpLevel() > 0) return error(DfuStatus.errVENDOR);
			if (this.profile.alts[this.alternateSetting]?.kind !== "flash")
				return error(DfuStatus.errTARGET);
			this.chip.massErase();
			this.hooks.memoryChanged();
			const ms = massEraseMs(this.profile, this.chip.parallelism());
			this.hooks.chipBusy("erase", ms);
			return { ms, outcome: IDLE_OK, reportedMs: this.profile.pollTimeouts?.massErase };
		}
		if (opcode === DfuseCommand.READ_UNPROTECT && data.length === 1) {
			// RDP 1 → 0 erases the whole flash whatever the write protection (RM0090 §3.7.3).
			this.chip.eraseAll();
			this.chip.optionBytes = this.profile.optionBytes.withRdpByte(this.chip.optionBytes, 0xaa);
			this.hooks.memoryChanged();
			const ms =
				massEraseMs(this.profile, this.chip.parallelism()) + this.profile.timing.optionBytesMs;
			this.hooks.chipBusy("erase", ms);
			return {
				ms,
				outcome: IDLE_OK,
				afterReply: () => this.hooks.systemReset("read-unprotect"),
			};
		}
		return error(DfuStatus.errSTALLEDPKT);
	}

	private writeOptionBytes(at: Location, data: Uint8Array) {
		const codec = this.profile.optionBytes;
		const previous = this.chip.optionBytes;
		const written = previous.map((run) => Uint8Array.from(run));
		written[at.run]!.set(data, at.offset);
		let next = codec.normalize(written, previous);
		const wasProtected = codec.rdpByte(previous) !== 0xaa;
		// Going from level 1 to level 0 mass-erases the flash (RM0090 §3.7.3).
		if (wasProtected && codec.rdpByte(next) === 0xaa) this.chip.eraseAll();
		if (codec.rdpByte(previous) === 0xcc) next = previous; // level 2 freezes the option bytes
		this.chip.optionBytes = next;
		this.hooks.memoryChanged();
		const ms = this.profile.timing.optionBytesMs;
		this.hooks.chipBusy("program", ms);
		return { ms, outcome: IDLE_OK, afterReply: () => this.hooks.systemReset("option-bytes") };
	}
}
