import { createContext, useContext, useEffect } from "react";

/**
 * While a text field or a typed confirmation is open it owns the keyboard: the App's screen keys
 * (1-4, q, ?) stand down so that typing "fw1.bin" does not switch screens.
 */
export interface KeyCapture {
	claim(): () => void;
}

export const KeyCaptureContext = createContext<KeyCapture>({ claim: () => () => {} });

export function useKeyCapture(active: boolean): void {
	const capture = useContext(KeyCaptureContext);
	useEffect(() => (active ? capture.claim() : undefined), [active, capture]);
}
