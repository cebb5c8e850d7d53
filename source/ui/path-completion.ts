/** A directory entry as completion needs it. */
export interface DirEntry {
	name: string;
	directory: boolean;
}

export interface Completion {
	/** The new text for the field (unchanged when nothing matched). */
	text: string;
	/** Names still matching when the completion is ambiguous, for the hint line. */
	candidates: string[];
}

/** Splits "build/out/fw" into the directory to list ("build/out/") and the prefix ("fw"). */
export function splitPath(text: string): { dir: string; prefix: string } {
	const slash = text.lastIndexOf("/");
	return slash < 0
		? { dir: "", prefix: text }
		: { dir: text.slice(0, slash + 1), prefix: text.slice(slash + 1) };
}

/**
 * Shell-like Tab: one match completes (a directory gets its "/"), several extend to their longest
 * common prefix and are listed. Hidden entries only match when the prefix starts with ".".
 */
export function completePath(text: string, entries: readonly DirEntry[]): Completion {
	const { dir, prefix } = splitPath(text);
	const matches = entries
		.filter((e) => e.name.startsWith(prefix) && (prefix.startsWith(".") || !e.name.startsWith(".")))
		.sort((a, b) => a.name.localeCompare(b.name));
	if (matches.length === 0) return { text, candidates: [] };
	if (matches.length === 1) {
		const only = matches[0]!;
		return { text: `${dir}${only.name}${only.directory ? "/" : ""}`, candidates: [] };
	}
	let common = matches[0]!.name;
	for (const m of matches) {
		let i = 0;
		while (i < common.length && i < m.name.length && common[i] === m.name[i]) i++;
		common = common.slice(0, i);
	}
	return {
		text: `${dir}${common.length > prefix.length ? common : prefix}`,
		candidates: matches.map((m) => `${m.name}${m.directory ? "/" : ""}`),
	};
}
