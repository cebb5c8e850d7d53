import type { Key } from "ink";

/** One key press as the screens see it: Ink's (input, key) pair. */
export interface KeyPress {
	input: string;
	key: Key;
}

/** A key record with nothing pressed: the base every split key starts from. */
export const NO_KEY: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/** What Ink reports for one character typed on its own. */
function charKey(ch: string): KeyPress {
	const code = ch.codePointAt(0) ?? 0;
	if (ch === "\r" || ch === "\n") return { input: "", key: { ...NO_KEY, return: true } };
	if (ch === "\t") return { input: "", key: { ...NO_KEY, tab: true } };
	if (ch === "\u007f" || ch === "\b") return { input: "", key: { ...NO_KEY, backspace: true } };
	if (ch === "\u001b") return { input: "", key: { ...NO_KEY, escape: true, meta: true } };
	if (code >= 1 && code <= 26)
		return { input: String.fromCharCode(code + 96), key: { ...NO_KEY, ctrl: true } };
	return { input: ch, key: { ...NO_KEY, shift: /[A-Z]/.test(ch) } };
}

/**
 * The key presses in one input event. Ink hands over what the terminal sent in one read: escape
 * sequences (arrows, PgUp) one at a time, but a run of plain characters as one string, so keys
 * typed or repeated faster than it reads ("jjj", three Backspaces as "\x7f\x7f\x7f") arrive
 * together. Each character of such a run is a key of its own; anything else is passed on as is.
 */
export function splitKeys(input: string, key: Key): KeyPress[] {
	const plain = !Object.entries(key).some(([name, on]) => on === true && name !== "shift");
	const chars = [...input];
	if (!plain || chars.length < 2) return [{ input, key }];
	return chars.map(charKey);
}
