/**
 * Faults a board can be given, each by name with one parameter, as a spec string such as
 * "unplug-at-block=5,stall-request=12,status-error-at-block=3:errPROG,readback-bitflip=0x08000010:3,
 * wedged-busy=8,error-on-entry".
 *
 * Counting: "block N" is the N-th data-block DNLOAD (wBlockNum >= 2) since the loader enumerated,
 * from 1; "request K" is the K-th control request the board answered since it was plugged, from 1
 * (enumeration by the operating system is not counted).
 *
 * - unplug-at-block=N: the cable is pulled when DNLOAD block N arrives; that transfer fails and
 *   the device is gone until plugged again. Fires once.
 * - stall-request=K: request K is answered with STALL; a DFU class request leaves the loader in
 *   dfuERROR/errSTALLEDPKT, as any stalled DFU request does. Fires once.
 * - status-error-at-block=N:STATUS: block N is not written; its second GETSTATUS reports dfuERROR
 *   with STATUS (a DFU status name, default errPROG). Fires once per enumeration.
 * - readback-bitflip=ADDRESS[:BIT]: every UPLOAD covering ADDRESS returns bit BIT (default 0)
 *   flipped; the flash itself is right.
 * - wedged-busy[=SECTOR]: like an H743 Rev.V erasing sectors beyond 1 MB (betaflight PR #1861):
 *   a page erase of a sector with index >= SECTOR (default 0) is done, but GETSTATUS keeps
 *   answering dfuDNBUSY (bwPollTimeout 0) for ever. Recovery as CubeProgrammer does it: CLRSTATUS
 *   → dfuERROR/errUNKNOWN, CLRSTATUS again → dfuIDLE/OK; or ABORT → dfuIDLE.
 * - error-on-entry: the loader enumerates in dfuERROR/errFIRMWARE, as the captured F4 Discovery
 *   did; CLRSTATUS clears it.
 */
import { DeviceError, UsageError } from "../errors.js";
import { DfuStatus, type DfuStatusValue, dfuStatusByName } from "./dfu-protocol.js";

export type FaultSpec =
	| { name: "unplug-at-block"; block: number }
	| { name: "stall-request"; request: number }
	| { name: "status-error-at-block"; block: number; status: DfuStatusValue }
	| { name: "readback-bitflip"; address: number; bit: number }
	| { name: "wedged-busy"; fromSector: number }
	| { name: "error-on-entry" };

export const FAULT_NAMES = [
	"unplug-at-block",
	"stall-request",
	"status-error-at-block",
	"readback-bitflip",
	"wedged-busy",
	"error-on-entry",
] as const;

function number(text: string | undefined, what: string): number {
	const value = text === undefined ? Number.NaN : Number(text);
	if (!Number.isInteger(value) || value < 0)
		throw new UsageError(`fault ${what}: "${text ?? ""}" is not a number`, { fault: what });
	return value;
}

export function parseFault(text: string): FaultSpec {
	const [name, param] = text.trim().split("=", 2) as [string, string | undefined];
	const [a, b] = param?.split(":") ?? [];
	switch (name) {
		case "unplug-at-block":
			return { name, block: number(a, name) };
		case "stall-request":
			return { name, request: number(a, name) };
		case "status-error-at-block": {
			const status = b === undefined ? DfuStatus.errPROG : dfuStatusByName(b);
			if (status === undefined)
				throw new UsageError(`fault ${name}: unknown DFU status "${b}"`, { fault: name });
			return { name, block: number(a, name), status };
		}
		case "readback-bitflip": {
			const bit = b === undefined ? 0 : number(b, name);
			if (bit > 7)
				throw new UsageError(
					`fault ${name}: bit ${bit} is not a bit of a byte (0 to 7)`,
					{ fault: name, bit },
					"e.g. --fault readback-bitflip=0x08000010:3 flips bit 3 of the byte at 0x08000010.",
				);
			return { name, address: number(a, name), bit };
		}
		case "wedged-busy":
			return { name, fromSector: a === undefined ? 0 : number(a, name) };
		case "error-on-entry":
			return { name };
		default:
			throw new UsageError(
				`unknown fault "${name}"`,
				{ fault: name },
				`Known: ${FAULT_NAMES.join(", ")}`,
			);
	}
}

export function parseFaults(spec: string | readonly FaultSpec[] | undefined): FaultSpec[] {
	if (spec === undefined) return [];
	if (typeof spec !== "string") return [...spec];
	return spec
		.split(",")
		.map((s) => s.trim())
		.filter((s) => s.length > 0)
		.map(parseFault);
}

/** What a transfer meets when the simulated device is not (or no longer) on the bus. */
export class SimDeviceGoneError extends DeviceError {
	override readonly kind = "device-gone";
	/** True when the device vanished while this transfer was on the wire. */
	readonly duringTransfer: boolean;

	constructor(board: string, duringTransfer: boolean) {
		super(
			duringTransfer ? `${board} disconnected during a transfer` : `${board} is not connected`,
			{ board },
		);
		this.duringTransfer = duringTransfer;
	}
}
