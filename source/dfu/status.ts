/**
 * DFU 1.1 states and status codes (usb_dfu.h numbering) with dfu-util's wording, and the
 * 6-byte GETSTATUS record. Names match what users paste from dfu-util logs.
 */
import { DeviceError } from "../errors.js";
import type { DfuStatusInfo } from "../store/events.js";

export const DfuState = {
	appIDLE: 0,
	appDETACH: 1,
	dfuIDLE: 2,
	dfuDNLOAD_SYNC: 3,
	dfuDNBUSY: 4,
	dfuDNLOAD_IDLE: 5,
	dfuMANIFEST_SYNC: 6,
	dfuMANIFEST: 7,
	dfuMANIFEST_WAIT_RESET: 8,
	dfuUPLOAD_IDLE: 9,
	dfuERROR: 10,
} as const;

export const DfuStatusCode = {
	OK: 0x00,
	errTARGET: 0x01,
	errFILE: 0x02,
	errWRITE: 0x03,
	errERASE: 0x04,
	errCHECK_ERASED: 0x05,
	errPROG: 0x06,
	errVERIFY: 0x07,
	errADDRESS: 0x08,
	errNOTDONE: 0x09,
	errFIRMWARE: 0x0a,
	errVENDOR: 0x0b,
	errUSBR: 0x0c,
	errPOR: 0x0d,
	errUNKNOWN: 0x0e,
	errSTALLEDPKT: 0x0f,
} as const;

const STATE_NAMES = [
	"appIDLE",
	"appDETACH",
	"dfuIDLE",
	"dfuDNLOAD-SYNC",
	"dfuDNBUSY",
	"dfuDNLOAD-IDLE",
	"dfuMANIFEST-SYNC",
	"dfuMANIFEST",
	"dfuMANIFEST-WAIT-RESET",
	"dfuUPLOAD-IDLE",
	"dfuERROR",
];

const STATUS_NAMES = [
	"OK",
	"errTARGET",
	"errFILE",
	"errWRITE",
	"errERASE",
	"errCHECK_ERASED",
	"errPROG",
	"errVERIFY",
	"errADDRESS",
	"errNOTDONE",
	"errFIRMWARE",
	"errVENDOR",
	"errUSBR",
	"errPOR",
	"errUNKNOWN",
	"errSTALLEDPKT",
];

/** dfu-util's texts (from the DFU 1.1 spec); ST's meanings (errTARGET, errVENDOR) are in the hints. */
const STATUS_MESSAGES = [
	"No error condition is present",
	"File is not targeted for use by this device",
	"File is for this device but fails some vendor-specific test",
	"Device is unable to write memory",
	"Memory erase function failed",
	"Memory erase check failed",
	"Program memory function failed",
	"Programmed memory failed verification",
	"Cannot program memory due to received address that is out of range",
	"Received DFU_DNLOAD with wLength = 0, but device does not think that it has all data yet",
	"Device's firmware is corrupt. It cannot return to run-time (non-DFU) operations",
	"iString indicates a vendor specific error",
	"Device detected unexpected USB reset signalling",
	"Device detected unexpected power on reset",
	"Something went wrong, but the device does not know what it was",
	"Device stalled an unexpected request",
];

export function stateName(state: number): string {
	return STATE_NAMES[state] ?? `state ${state}`;
}

export function statusName(status: number): string {
	return STATUS_NAMES[status] ?? `status ${status}`;
}

export function statusMessage(status: number): string {
	return STATUS_MESSAGES[status] ?? `Unknown status ${status}`;
}

/** One GETSTATUS reply. */
export interface DfuStatus {
	status: number;
	/** bwPollTimeout: the least time in ms the host must wait before the next GETSTATUS. */
	pollTimeout: number;
	state: number;
	/** Index of a vendor string describing the status, 0 if none. */
	iString: number;
}

/** A GETSTATUS reply shorter than its 6 bytes. */
export class MalformedStatusError extends DeviceError {
	override readonly kind = "dfu-status-malformed";

	constructor(readonly length: number) {
		super(`GETSTATUS returned ${length} bytes, expected 6`, { length });
	}
}

/** Parses the 6-byte record; bwPollTimeout is 24-bit little-endian. */
export function parseStatus(bytes: Uint8Array): DfuStatus {
	if (bytes.length < 6) throw new MalformedStatusError(bytes.length);
	return {
		status: bytes[0]!,
		pollTimeout: bytes[1]! | (bytes[2]! << 8) | (bytes[3]! << 16),
		state: bytes[4]!,
		iString: bytes[5]!,
	};
}

export function statusInfo(s: DfuStatus): DfuStatusInfo {
	return {
		status: s.status,
		statusName: statusName(s.status),
		state: s.state,
		stateName: stateName(s.state),
		pollTimeout: s.pollTimeout,
	};
}

/** "dfuERROR, errERASE" — the pair every failure message ends with. */
export function describeStatus(s: Pick<DfuStatus, "state" | "status">): string {
	return `${stateName(s.state)}, ${statusName(s.status)}`;
}
