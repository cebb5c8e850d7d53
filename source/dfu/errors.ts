/**
 * Failures of the DfuSe core. Each names what a user needs to act on: the operation, the block,
 * the address and the device's state/status ("erase of sector at 0x08020000 failed: dfuERROR,
 * errERASE").
 */
import { BringupError, DeviceError, DeviceSelectionError, type ExitCode, hex } from "../errors.js";
import { type DfuStatus, describeStatus, stateName, statusMessage, statusName } from "./status.js";

/** Where in an operation a failure happened; every field is optional but used when known. */
export interface FailureSite {
	/** "erase of sector", "write of block 5", "set address", ... */
	operation: string;
	address?: number;
	/** The DFU block number on the wire (wBlockNum), which the operation's "block 3/20" is not. */
	block?: number;
}

function siteText(site: FailureSite): string {
	const at = site.address !== undefined ? ` at ${hex(site.address)}` : "";
	return `${site.operation}${at}`;
}

function siteDetails(site: FailureSite): Record<string, string | number> {
	return {
		operation: site.operation,
		...(site.address !== undefined ? { address: site.address } : {}),
		...(site.block !== undefined ? { wBlockNum: site.block } : {}),
	};
}

function hintFor(status: number): string | undefined {
	switch (status) {
		case 0x0b:
			return "Read protection (RDP level 1) is active. Removing it mass-erases the chip: only if that is what you want, run bringup unprotect --yes (U on the Flash screen; dfu-util: -s :unprotect:force).";
		case 0x01:
		case 0x08:
			return "The loader refused the address: check the load address against the device's memory layout.";
		case 0x03:
		case 0x06:
		case 0x04:
			return "Check that the sector is not write-protected (option bytes nWRP), then try again.";
		default:
			return undefined;
	}
}

/** The device answered, but with an error status or a state that does not fit the step. */
export class DfuStatusError extends DeviceError {
	override readonly kind: string = "dfu-status";
	readonly state: number;
	readonly status: number;
	readonly address?: number;
	readonly block?: number;

	constructor(site: FailureSite, reply: Pick<DfuStatus, "state" | "status">, expected?: string) {
		const why = expected
			? `${describeStatus(reply)} (expected ${expected})`
			: `${describeStatus(reply)}${reply.status ? ` (${statusMessage(reply.status)})` : ""}`;
		super(
			`${siteText(site)} failed: ${why}`,
			{
				...siteDetails(site),
				state: stateName(reply.state),
				status: statusName(reply.status),
			},
			hintFor(reply.status),
		);
		this.state = reply.state;
		this.status = reply.status;
		this.address = site.address;
		this.block = site.block;
	}
}

/** The device stayed dfuDNBUSY far longer than the operation can take, even after a recovery. */
export class DfuBusyTimeoutError extends DeviceError {
	override readonly kind: string = "dfu-busy-timeout";
	constructor(
		site: FailureSite,
		readonly waitedMs: number,
	) {
		super(
			`${siteText(site)} failed: device stayed dfuDNBUSY for ${Math.round(waitedMs)} ms`,
			{ ...siteDetails(site), state: "dfuDNBUSY", waitedMs: Math.round(waitedMs) },
			"Unplug the board, re-enter DFU mode and try again; if it repeats, try another cable or port.",
		);
	}
}

/** The device disappeared (unplugged, reset, jumped away) in the middle of an operation. */
export class DeviceGoneError extends DeviceError {
	override readonly kind: string = "device-gone";
	readonly address?: number;
	readonly block?: number;
	constructor(site: FailureSite, cause?: unknown) {
		super(
			`${siteText(site)} failed: the device disconnected${cause instanceof Error ? ` (${cause.message})` : ""}`,
			siteDetails(site),
			"Check the cable and the board's power, re-enter DFU mode (BOOT0 high + reset) and run the operation again.",
		);
		this.address = site.address;
		this.block = site.block;
	}
}

/** A control transfer failed for a reason other than the device going away (stall, babble, I/O). */
export class DfuTransferError extends DeviceError {
	override readonly kind: string = "usb-transfer";
	constructor(
		site: FailureSite,
		readonly reason: string,
	) {
		super(`${siteText(site)} failed: USB transfer ${reason}`, { ...siteDetails(site), reason });
	}
}

/** The OS refused to open or claim the device: no permission. Exit 3, like "no device". */
export class DevicePermissionError extends DeviceSelectionError {
	override readonly kind: string = "usb-permission";
	constructor(site: FailureSite, reason: string) {
		super(
			`${siteText(site)} failed: no permission to use the device (${reason})`,
			{ ...siteDetails(site), reason },
			'Linux: add a udev rule for 0483:df11 (SUBSYSTEMS=="usb", ATTRS{idVendor}=="0483", ATTRS{idProduct}=="df11", MODE="0664", TAG+="uaccess"), reload the rules and replug the board; see the README.',
		);
	}
}

/** Another program holds the interface (dfu-util, STM32CubeProgrammer, ModemManager...). */
export class DeviceBusyError extends DeviceSelectionError {
	override readonly kind: string = "usb-busy";
	constructor(site: FailureSite, reason: string) {
		super(
			`${siteText(site)} failed: the device is in use by another program (${reason})`,
			{ ...siteDetails(site), reason },
			"Close other DFU tools (dfu-util, STM32CubeProgrammer, another bringup) and try again.",
		);
	}
}

/** Read-back differs from the image. */
export class VerifyError extends DeviceError {
	override readonly kind: string = "verify-mismatch";
	constructor(
		readonly address: number,
		readonly expected: number,
		readonly actual: number,
		file?: string,
		/** The Device Feature voltage range the write used (AN2606 Table 4), if one was set. */
		voltageRange?: string,
	) {
		super(
			`verify failed at ${hex(address)}: expected ${hex(expected, 2)}, read ${hex(actual, 2)}`,
			{
				address,
				expected,
				actual,
				...(file ? { file } : {}),
				...(voltageRange ? { voltageRange } : {}),
			},
			voltageRange
				? `The write used the ${voltageRange} supply range (wider words); if the board's supply is lower or droops, flash again without --voltage (byte-wise, slower), or with its real supply. Otherwise the sector may be write-protected or worn: read the option bytes.`
				: "The sector may be write-protected (an erase of a WRP sector reports no error), or the flash is worn. Read the option bytes.",
		);
	}
}

/** The device cannot do what was asked (no DFU interface, no upload support, wrong mode). */
export class DfuUnsupportedError extends DeviceError {
	override readonly kind: string = "dfu-unsupported";
}

/** A destructive operation was asked for without the caller's explicit confirmation. */
export class ConfirmationRequiredError extends BringupError {
	readonly kind = "confirmation-required";
	readonly exitCode = 2;
	constructor(operation: string, consequence: string) {
		super(
			`${operation} needs an explicit confirmation: ${consequence}`,
			{ operation },
			"Confirm the operation (the UI asks you to type it; the CLI needs :force).",
		);
	}
}

/** An address range the device's layout does not allow for the operation (read, leave). */
export class RangeRejectedError extends BringupError {
	readonly kind = "range-rejected";
	readonly exitCode = 2;
}

/** The caller cancelled the operation (between two requests; the device is left in dfuIDLE). */
export class OperationCancelledError extends BringupError {
	readonly kind: string = "cancelled";
	readonly exitCode: ExitCode = 1;
	constructor(
		readonly operation: string,
		readonly address?: number,
		/** What the chip holds now (a flash cancelled part-way says it sector by sector). */
		readonly onChip?: string,
	) {
		super(
			`${operation} cancelled${address !== undefined ? ` at ${hex(address)}` : ""}${onChip ? `; ${onChip}` : ""}`,
			{ operation, ...(address !== undefined ? { address } : {}), ...(onChip ? { onChip } : {}) },
			onChip?.startsWith("nothing")
				? "The device is back in dfuIDLE; flash again when ready."
				: "The device is back in dfuIDLE. Flash again before leaving DFU mode (sectors that already hold the image are skipped).",
		);
	}

	withOnChip(onChip: string): OperationCancelledError {
		return new OperationCancelledError(this.operation, this.address, onChip);
	}
}

/** Ctrl-C (SIGINT) stopped an operation between two requests: exit 130, as a shell expects. */
export class InterruptedError extends OperationCancelledError {
	override readonly kind = "interrupted";
	override readonly exitCode: ExitCode = 130;
	constructor(cancelled: OperationCancelledError) {
		super(`${cancelled.operation} (Ctrl-C)`, cancelled.address, cancelled.onChip);
	}
}
