/**
 * The seven DFU 1.1 class requests as WebUSB control transfers (bmRequestType 0x21 out /
 * 0xA1 in: class, recipient interface, wIndex = interface number), with the bookkeeping every
 * caller needs: transfer counts for stats, and GETSTATUS pacing — the next GETSTATUS is never sent
 * before the previous reply's bwPollTimeout has passed on the clock.
 */
import type { Clock } from "../clock.js";
import { DeviceError } from "../errors.js";
import { DeviceGoneError, DfuTransferError, type FailureSite } from "./errors.js";
import {
	type DfuStatus,
	describeStatus,
	MalformedStatusError,
	parseStatus,
	stateName,
	statusName,
} from "./status.js";

const EMPTY = new Uint8Array(0);

export const DfuRequest = {
	DETACH: 0,
	DNLOAD: 1,
	UPLOAD: 2,
	GETSTATUS: 3,
	CLRSTATUS: 4,
	GETSTATE: 5,
	ABORT: 6,
} as const;

/** A stalled request: the device refused it. Loaders stall e.g. a CLRSTATUS outside dfuERROR. */
export class DfuStallError extends DfuTransferError {
	override readonly kind: string = "usb-stall";
	/** What GETSTATUS said right after the stall, when the device still answered. */
	readonly deviceStatus?: DfuStatus;
	constructor(site: FailureSite, deviceStatus?: DfuStatus) {
		super(site, deviceStatus ? `stalled (${describeStatus(deviceStatus)})` : "stalled");
		this.deviceStatus = deviceStatus;
		if (deviceStatus) {
			this.details.state = stateName(deviceStatus.state);
			this.details.status = statusName(deviceStatus.status);
		}
	}
}

/** Errors that mean the device is no longer there, from node-usb, browsers and the simulator. */
export function isDeviceGone(error: unknown, device?: USBDevice): boolean {
	if (device && device.opened === false) return true;
	if (!(error instanceof Error)) return false;
	// WebUSB: NotFoundError for a device no longer there, NetworkError for a transfer cut short.
	if (error.name === "NotFoundError" || error.name === "NetworkError") return true;
	return /NO_DEVICE|no such device|disconnected|device (is )?gone|device not found|has been (closed|removed)/i.test(
		error.message,
	);
}

/**
 * WebUSB transfers have no timeout of their own; a hung device would hang the tool. dfu-util uses
 * 5 s for every request, pydfu 20 s for GETSTATUS (loaders may hold it off while erasing). Real
 * time on purpose: a virtual clock would fire it at once while the transfer is still pending.
 */
export const TRANSFER_TIMEOUT_MS = 5_000;
export const GETSTATUS_TIMEOUT_MS = 20_000;

function withTimeout<T>(transfer: Promise<T>, ms: number): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new TransferTimeoutError(ms)), ms);
		timer.unref?.();
	});
	return Promise.race([transfer, timeout]).finally(() => clearTimeout(timer));
}

/**
 * node-usb 3 gives each control transfer 1 s unless a third argument says otherwise (WebUSB has
 * no such argument and ignores it). A loader holds GETSTATUS until an erase ends, 2 s for a
 * 128 KiB F4 sector, so the transfer is given the same limit as our own timer.
 */
interface TimedControl {
	controlTransferIn(
		setup: USBControlTransferParameters,
		length: number,
		timeoutMs: number,
	): Promise<USBInTransferResult>;
	controlTransferOut(
		setup: USBControlTransferParameters,
		data: Uint8Array,
		timeoutMs: number,
	): Promise<USBOutTransferResult>;
}

/** A control transfer the USB stack never completed; reported as the operation's DfuTransferError. */
class TransferTimeoutError extends DeviceError {
	override readonly kind = "transfer-timeout";

	constructor(readonly ms: number) {
		super(`timed out after ${ms} ms`, { ms });
	}
}

export class DfuTransport {
	/** Control transfers sent so far (every request, GETSTATUS included). */
	controlTransfers = 0;
	getStatusCount = 0;
	/** Clock time before which the device asked not to be polled again. */
	private nextPollAt = Number.NEGATIVE_INFINITY;
	/** Called with every GETSTATUS reply (the session turns them into dfu.status events). */
	onStatus?: (status: DfuStatus) => void;

	constructor(
		readonly device: USBDevice,
		readonly interfaceNumber: number,
		readonly clock: Clock,
		readonly timeouts: { transfer: number; getStatus: number } = {
			transfer: TRANSFER_TIMEOUT_MS,
			getStatus: GETSTATUS_TIMEOUT_MS,
		},
	) {}

	private setup(request: number, value: number): USBControlTransferParameters {
		return {
			requestType: "class",
			recipient: "interface",
			request,
			value,
			index: this.interfaceNumber,
		};
	}

	private async out(
		request: number,
		value: number,
		data: Uint8Array | undefined,
		site: FailureSite,
	) {
		this.controlTransfers++;
		let result: USBOutTransferResult;
		try {
			result = await withTimeout(
				// WebUSB makes the data optional, but node-usb 3 dereferences it: always pass a buffer.
				(this.device as TimedControl).controlTransferOut(
					this.setup(request, value),
					data ?? EMPTY,
					this.timeouts.transfer,
				),
				this.timeouts.transfer,
			);
		} catch (error) {
			throw this.failure(error, site);
		}
		if (result.status === "stall") throw await this.stalled(site);
		if (result.status !== "ok") throw new DfuTransferError(site, result.status);
		return result;
	}

	private async in(request: number, value: number, length: number, site: FailureSite) {
		this.controlTransfers++;
		let result: USBInTransferResult;
		try {
			const ms =
				request === DfuRequest.GETSTATUS ? this.timeouts.getStatus : this.timeouts.transfer;
			result = await withTimeout(
				(this.device as TimedControl).controlTransferIn(this.setup(request, value), length, ms),
				ms,
			);
		} catch (error) {
			throw this.failure(error, site);
		}
		if (result.status === "stall")
			throw request === DfuRequest.GETSTATUS ? new DfuStallError(site) : await this.stalled(site);
		if (result.status !== "ok") throw new DfuTransferError(site, result.status);
		const view = result.data;
		return view ? new Uint8Array(view.buffer, view.byteOffset, view.byteLength) : new Uint8Array(0);
	}

	/** A stalled request leaves its reason in the DFU status: ask for it, once. */
	private async stalled(site: FailureSite): Promise<DfuStallError> {
		try {
			return new DfuStallError(site, await this.getStatus(site));
		} catch {
			return new DfuStallError(site);
		}
	}

	private failure(error: unknown, site: FailureSite): Error {
		if (isDeviceGone(error, this.device)) return new DeviceGoneError(site, error);
		return new DfuTransferError(site, error instanceof Error ? error.message : String(error));
	}

	/** DFU_DETACH: a run-time device should re-enumerate in DFU mode within `timeoutMs`. */
	async detach(timeoutMs: number, site: FailureSite = { operation: "detach" }): Promise<void> {
		await this.out(DfuRequest.DETACH, timeoutMs, undefined, site);
	}

	async dnload(blockNum: number, data: Uint8Array, site: FailureSite): Promise<void> {
		const result = await this.out(DfuRequest.DNLOAD, blockNum, data, site);
		if (result.bytesWritten !== data.length)
			throw new DfuTransferError(site, `wrote ${result.bytesWritten} of ${data.length} bytes`);
	}

	async upload(blockNum: number, length: number, site: FailureSite): Promise<Uint8Array> {
		return this.in(DfuRequest.UPLOAD, blockNum, length, site);
	}

	/** GETSTATUS, sent no earlier than the previous reply allowed. */
	async getStatus(site: FailureSite = { operation: "get status" }): Promise<DfuStatus> {
		const wait = this.nextPollAt - this.clock.now();
		if (wait > 0) await this.clock.sleep(wait);
		this.getStatusCount++;
		const bytes = await this.in(DfuRequest.GETSTATUS, 0, 6, site);
		let status: DfuStatus;
		try {
			status = parseStatus(bytes);
		} catch (error) {
			if (error instanceof MalformedStatusError) throw new DfuTransferError(site, error.message);
			throw error;
		}
		this.nextPollAt = this.clock.now() + status.pollTimeout;
		this.onStatus?.(status);
		return status;
	}

	async clrStatus(site: FailureSite = { operation: "clear status" }): Promise<void> {
		await this.out(DfuRequest.CLRSTATUS, 0, undefined, site);
	}

	async getState(site: FailureSite = { operation: "get state" }): Promise<number> {
		const bytes = await this.in(DfuRequest.GETSTATE, 0, 1, site);
		if (bytes.length < 1) throw new DfuTransferError(site, "GETSTATE returned no byte");
		return bytes[0]!;
	}

	async abort(site: FailureSite = { operation: "abort" }): Promise<void> {
		await this.out(DfuRequest.ABORT, 0, undefined, site);
	}
}
