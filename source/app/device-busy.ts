import { BringupError } from "../errors.js";

/**
 * A device already has work running (a flash, an erase, the checklist): a second job would
 * interleave its requests with the first one's on the same DFU interface and break both.
 */
export class DeviceBusyError extends BringupError {
	readonly kind = "device-busy";
	readonly exitCode = 1;
	constructor(
		readonly device: string,
		readonly running: string,
		wanted: string,
	) {
		super(
			`${wanted} was not started: ${running} is running on ${device}; nothing was sent to the device`,
			{ device, running },
			`wait until ${running} has finished (the Flash screen shows its progress), then try again`,
		);
	}
}
