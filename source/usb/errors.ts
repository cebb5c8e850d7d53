import { DeviceSelectionError } from "../errors.js";

const UDEV_HINT =
	'Add a udev rule: echo \'SUBSYSTEMS=="usb", ATTRS{idVendor}=="0483", ATTRS{idProduct}=="df11", MODE="0664", TAG+="uaccess"\' | sudo tee /etc/udev/rules.d/50-stm32-dfu.rules && sudo udevadm control --reload-rules, then replug the board.';

/** The real USB backend cannot be used here: no USB subsystem, no permission, or a broken stack. */
export class UsbUnavailableError extends DeviceSelectionError {
	override readonly kind = "usb-unavailable";
	constructor(
		readonly reason: "no-subsystem" | "permission" | "no-backend" | "failed",
		detail: string,
	) {
		super(
			reason === "no-subsystem"
				? "This machine has no USB subsystem (/sys/bus/usb is missing): no real board can be reached."
				: reason === "permission"
					? `No permission to open USB devices (${detail}).`
					: reason === "no-backend"
						? `The USB library could not be loaded (${detail}).`
						: `USB enumeration failed: ${detail}`,
			{ reason, detail },
			reason === "permission"
				? UDEV_HINT
				: "Use --sim to work with the simulated STM32 board instead.",
		);
	}
}

export class NoDeviceError extends DeviceSelectionError {
	override readonly kind = "no-device";
	/**
	 * `dfuSeen`: DFU devices attached that the filter rejected. Then the board is in DFU mode
	 * and the filter is what to check, not BOOT0.
	 */
	constructor(filter: string, seen: number, dfuSeen = 0) {
		super(
			dfuSeen > 0
				? `No DFU device matches ${filter} (${dfuSeen} DFU device${dfuSeen === 1 ? "" : "s"} attached that ${dfuSeen === 1 ? "does" : "do"} not match).`
				: `No DFU device matches ${filter}${seen ? ` (${seen} other USB device${seen === 1 ? "" : "s"} attached)` : ""}.`,
			{ filter, seen, dfuSeen },
			dfuSeen > 0
				? "Check -d/-S/-p against what `bringup list` shows (VID:PID, serial and path of each device)."
				: "Put the board in DFU mode: hold BOOT0 high and reset it (or power-cycle), check the cable carries data, then try `bringup list`. Without a board, add --sim.",
		);
	}
}

/** A flash of several named boards (-p/-S given more than once) where some name matches none. */
export class MissingBoardError extends DeviceSelectionError {
	override readonly kind = "no-device";
	constructor(missing: readonly string[], found: number) {
		super(
			`No DFU device matches ${missing.join(", ")}; nothing was flashed (${found} board${found === 1 ? "" : "s"} matching the other filters ${found === 1 ? "is" : "are"} attached).`,
			{ filter: missing.join(" "), found },
			"Check -S/-p against what `bringup list` shows (serial and path of each device), or drop the one that is not plugged in; -w waits for every named board.",
		);
	}
}

export class AmbiguousDeviceError extends DeviceSelectionError {
	override readonly kind = "ambiguous-device";
	constructor(matches: string[]) {
		super(
			`More than one DFU device matches: ${matches.join("; ")}.`,
			{ count: matches.length },
			"Pick one with -S SERIAL (or -p PATH, -d VID:PID).",
		);
	}
}

export { UDEV_HINT };
