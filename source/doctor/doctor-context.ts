import type { chipForGuess } from "../chips/index.js";
import type { Clock } from "../clock.js";
import type { DfuSession } from "../dfu/index.js";
import type { Image } from "../image/image.js";
import type { ChipGuess, MemoryLayout } from "../store/events.js";
import type { Store } from "../store/store.js";
import type { BootWatchResult } from "./boot-watch.js";
import type { DoctorOptions } from "./doctor-types.js";
import type { Inspection } from "./inspect.js";
import type { DecodedOptionBytes } from "./option-bytes.js";

/** What the flash holds read back, or the read-protection error that stopped the read. */
export type ReadResult = { bytes: Uint8Array } | { protectedBy: Error };

/**
 * One doctor run: the device session and what was learnt about the chip, fixed at the start, plus
 * what the steps find, written once by the step that finds it and read by the later ones (the
 * compare step uses the inspection's placement, the boot watch the decoded option bytes).
 */
export interface DoctorContext {
	readonly options: DoctorOptions;
	readonly session: DfuSession;
	readonly store: Store;
	readonly clock: Clock;
	readonly image: Image | undefined;
	readonly chip: ChipGuess;
	readonly target: ReturnType<typeof chipForGuess>;
	readonly flashAlt: DfuSession["alt"];
	readonly flashLayout: MemoryLayout | undefined;
	readonly flashBase: number;
	readonly found: {
		inspection?: Inspection;
		/** What the flash holds from its base, erased tail dropped; read once. */
		onChip?: ReadResult;
		/** The option-byte read, started once and shared by every step that needs it. */
		optionBytesRead?: Promise<DecodedOptionBytes | "protected" | undefined>;
		optionBytes?: DecodedOptionBytes;
		boot?: BootWatchResult;
	};
}
