import type { Clock } from "../clock.js";
import type { Image } from "../image/image.js";
import type { Backend, CheckStatus, ChipGuess, DeviceIdentity, Finding } from "../store/events.js";
import type { Store } from "../store/store.js";
import type { UsbLike } from "../usb/real-backend.js";
import type { DeviceWatch } from "../usb/watch.js";
import type { BootWatchResult } from "./boot-watch.js";
import type { ResolvedStep, Verdict } from "./checklist-types.js";
import type { Inspection } from "./inspect.js";
import type { DecodedOptionBytes } from "./option-bytes.js";

export interface DoctorOptions {
	/** The DFU device, already chosen. */
	device: USBDevice;
	/** For watching re-enumeration after leaving DFU. */
	usb: UsbLike;
	image?: Image;
	/** SHA-256 (hex) of what was flashed, when there is no image file. */
	sha256?: string;
	store: Store;
	clock: Clock;
	backend?: Backend;
	/** A watcher already feeding this store (the app's); otherwise one runs during the watch. */
	watch?: DeviceWatch;
	/** Where a raw image was written (`-s ADDR`). */
	address?: number;
	/** Keep automatic results already in the store (a resumed session) instead of running again. */
	resume?: boolean;
	/** Boot watch window and poll period; `false` skips leaving DFU. */
	bootWatch?: false | { windowMs?: number; pollMs?: number };
}

export interface DoctorStep {
	id: string;
	kind: "auto" | "manual";
	status: CheckStatus;
	findings: Finding[];
}

export interface DoctorResult {
	steps: DoctorStep[];
	verdict: Verdict | null;
	/** The DFU device as it was enumerated when the doctor started. */
	device: DeviceIdentity;
	chip: ChipGuess;
	/** Manual steps still to do, resolved for the chip's family, in the order to do them. */
	remaining: ResolvedStep[];
	optionBytes?: DecodedOptionBytes;
	boot?: BootWatchResult;
	inspection?: Inspection;
}
