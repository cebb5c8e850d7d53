import { createContext, useContext, useEffect, useState } from "react";

/**
 * While a text field, a chooser or a typed confirmation is open it owns the keyboard: the App's
 * screen keys (1-4, q, ?) stand down so that typing "fw1.bin" does not switch screens.
 *
 * Claims are recorded while rendering, not in an effect: the render that opens a field happens
 * inside the key handler, so the very next key already sees the claim (effects would run later,
 * and a fast typist or a paste would race them).
 */
export interface KeyCapture {
	set(owner: symbol, active: boolean): void;
	release(owner: symbol): void;
	/** Whether any mounted component holds the keyboard now. */
	active(): boolean;
}

export function createKeyCapture(): KeyCapture {
	const owners = new Set<symbol>();
	return {
		set(owner, active) {
			if (active) owners.add(owner);
			else owners.delete(owner);
		},
		release(owner) {
			owners.delete(owner);
		},
		active: () => owners.size > 0,
	};
}

export const KeyCaptureContext = createContext<KeyCapture>(createKeyCapture());

export function useKeyCapture(active: boolean): void {
	const capture = useContext(KeyCaptureContext);
	const [owner] = useState(() => Symbol("key-capture"));
	capture.set(owner, active);
	useEffect(() => () => capture.release(owner), [capture, owner]);
}
