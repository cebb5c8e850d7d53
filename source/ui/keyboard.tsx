import { type Key, useInput } from "ink";
import { createContext, type ReactNode, useContext, useEffect, useState } from "react";
import { type KeyPress, splitKeys } from "./key-split.js";

export type KeyHandler = (input: string, key: Key) => void;

/**
 * Hands key presses to the screens one at a time, each after the screens have rendered what the
 * previous one did. Ink calls every handler for a whole burst of keys before React renders, so a
 * handler would read the state from before the burst: five Down arrows would move one row.
 */
export interface Keyboard {
	/** Registers (or replaces) `owner`'s handler; order is first registration. */
	set(owner: symbol, handler: KeyHandler | undefined): void;
	release(owner: symbol): void;
	press(keys: readonly KeyPress[]): void;
	/**
	 * How the next key waits for its turn: by default a render of the screens and its effects
	 * (the provider sets this), so that each key sees what the one before it did.
	 */
	setTurn(turn: (next: () => void) => void): void;
	/** Keys waiting for their turn. */
	queued(): number;
	/** No key waiting and the last one's render done: the screens have answered. */
	idle(): boolean;
}

export interface KeyboardOptions {
	/** Runs after each key's handlers, e.g. to publish the store view so the next key sees it. */
	afterKey?: () => void;
}

export function createKeyboard(options: KeyboardOptions = {}): Keyboard {
	let nextTurn = (run: () => void) => {
		setImmediate(run);
	};
	const handlers = new Map<symbol, KeyHandler>();
	const queue: KeyPress[] = [];
	let waiting = false;

	const deliver = (press: KeyPress) => {
		for (const handler of [...handlers.values()]) handler(press.input, press.key);
	};
	const pump = () => {
		waiting = false;
		const press = queue.shift();
		if (!press) return;
		deliver(press);
		options.afterKey?.();
		// Even with nothing queued yet: Ink hands over the keys of one read in one go, so the
		// next one may be on its way in this same turn.
		waiting = true;
		nextTurn(pump);
	};
	return {
		set(owner, handler) {
			if (handler) handlers.set(owner, handler);
			else handlers.delete(owner);
		},
		release(owner) {
			handlers.delete(owner);
		},
		press(keys) {
			queue.push(...keys);
			if (!waiting) pump();
		},
		queued: () => queue.length,
		idle: () => queue.length === 0 && !waiting,
		setTurn(turn) {
			nextTurn = turn;
		},
	};
}

const KeyboardContext = createContext<Keyboard>(createKeyboard());

/** Reads the terminal through Ink once and feeds the keyboard below it. */
export function KeyboardProvider({
	keyboard,
	children,
}: {
	keyboard: Keyboard;
	children: ReactNode;
}) {
	// The next key goes out from an effect of the render this state change asks for: by then
	// React has committed everything the previous key's handlers set.
	const [turn, setTurn] = useState<{ next: () => void } | undefined>(undefined);
	keyboard.setTurn((next) => setTurn({ next }));
	useEffect(() => turn?.next(), [turn]);
	useInput((input, key) => keyboard.press(splitKeys(input, key)));
	return <KeyboardContext.Provider value={keyboard}>{children}</KeyboardContext.Provider>;
}

/**
 * Ink's useInput over the keyboard: one call per key, even for keys that arrived together.
 * The handler is registered while rendering, so a screen opened by one key already hears the next.
 */
export function useKeys(handler: KeyHandler, options: { isActive?: boolean } = {}): void {
	const keyboard = useContext(KeyboardContext);
	const [owner] = useState(() => Symbol("keys"));
	keyboard.set(owner, options.isActive === false ? undefined : handler);
	useEffect(() => () => keyboard.release(owner), [keyboard, owner]);
}
