import { createContext, useContext } from "react";

/**
 * The Flash form outlives the screen: switching to Devices and back keeps what was typed, and
 * jobs the user has put away stay put away.
 */
export interface FlashDraft {
	file: string;
	address: string;
	alt: string;
	verify: boolean;
	leave: boolean;
	/** Plan on every DFU board like the selected one (a tray), not the selected one alone. */
	allBoards: boolean;
	/** Jobs whose result the user has dismissed (Enter after done/failed, or cancel). */
	dismissed: ReadonlySet<string>;
	/** Jobs planned with force (inspector errors acknowledged). */
	forced: ReadonlySet<string>;
	/** Jobs the user confirmed, so a second Enter cannot confirm twice. */
	confirmed: ReadonlySet<string>;
}

export const emptyDraft: FlashDraft = {
	file: "",
	address: "",
	alt: "",
	verify: true,
	leave: false,
	allBoards: false,
	dismissed: new Set(),
	forced: new Set(),
	confirmed: new Set(),
};

export type DraftUpdate = (change: (draft: FlashDraft) => FlashDraft) => void;

export const FlashDraftContext = createContext<[FlashDraft, DraftUpdate]>([emptyDraft, () => {}]);

export function useFlashDraft(): [FlashDraft, DraftUpdate] {
	return useContext(FlashDraftContext);
}

export function withAdded(set: ReadonlySet<string>, id: string): ReadonlySet<string> {
	return new Set([...set, id]);
}

/** Formats that carry their own addresses; only raw binaries need one typed. */
export function carriesAddresses(file: string): boolean {
	return /\.(hex|ihex|ihx|dfu|elf|axf|out)$/i.test(file.trim());
}

export const DEFAULT_LOAD_ADDRESS = 0x08000000;
