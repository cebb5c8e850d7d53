import { useCallback, useRef, useSyncExternalStore } from "react";
import type { State } from "../store/reduce.js";
import { useStoreView } from "./contexts.js";

/**
 * Reads a slice of the store. Renders only when the view publishes (throttled) and the selected
 * value changed (Object.is, or `equal` for selectors that build new arrays/objects).
 */
export function useStore<T>(
	selector: (state: State) => T,
	equal: (a: T, b: T) => boolean = Object.is,
): T {
	const view = useStoreView();
	const memo = useRef<{ state: State; selector: (state: State) => T; value: T } | null>(null);
	const getSnapshot = useCallback(() => {
		const state = view.getState();
		const prior = memo.current;
		if (prior && prior.state === state && prior.selector === selector) return prior.value;
		const value = selector(state);
		// Keep the old reference when equal, so React sees no change and skips the render.
		const kept = prior && equal(prior.value, value) ? prior.value : value;
		memo.current = { state, selector, value: kept };
		return kept;
	}, [view, selector, equal]);
	return useSyncExternalStore(view.subscribe, getSnapshot, getSnapshot);
}

/** Shallow equality for selectors returning arrays or flat objects. */
export function shallowEqual<T>(a: T, b: T): boolean {
	if (Object.is(a, b)) return true;
	if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
	if (Array.isArray(a)) {
		if (!Array.isArray(b) || a.length !== b.length) return false;
		return a.every((v, i) => Object.is(v, b[i]));
	}
	const ka = Object.keys(a);
	const kb = Object.keys(b);
	if (ka.length !== kb.length) return false;
	return ka.every((k) =>
		Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
	);
}
