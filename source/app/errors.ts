/** Failures of the assistant's work that are about which device it works on. */
import { DeviceSelectionError, UsageError } from "../errors.js";

/** An intent that needs a target came before the user picked one on the Devices screen. */
export class NoDeviceSelectedError extends DeviceSelectionError {
	override readonly kind = "no-device-selected";

	constructor() {
		super("no device is selected", {}, "Pick a DFU device on the Devices screen (key 1).");
	}
}

/** The device the user picked has left the bus (unplugged, reset, or it left DFU mode). */
export class DeviceDetachedError extends DeviceSelectionError {
	override readonly kind = "device-detached";

	constructor(key: string) {
		super(
			`device ${key} is no longer attached`,
			{ device: key },
			"Pick the board again on the Devices screen (key 1) once it is back in DFU mode.",
		);
	}
}

/** A change to a plan that is no longer waiting (started, cancelled, or never made). */
export class NotPlannedError extends UsageError {
	override readonly kind = "not-planned";

	constructor(job: string) {
		super(
			`job ${job} is not a plan waiting to start`,
			{ job },
			"Plan the flash again on the Flash screen (key 2).",
		);
	}
}
