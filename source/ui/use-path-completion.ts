import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { createContext, useCallback, useContext, useState } from "react";
import { type Completion, completePath, type DirEntry, splitPath } from "./path-completion.js";

/** Lists a directory; the one place the assistant reads the filesystem. */
export type ListDir = (dir: string) => DirEntry[];

export const readDirectory: ListDir = (dir) => {
	try {
		return readdirSync(dir, { withFileTypes: true }).map((e) => ({
			name: e.name,
			directory: e.isDirectory() || (e.isSymbolicLink() && isDirectory(dir, e.name)),
		}));
	} catch {
		return [];
	}
};

function isDirectory(dir: string, name: string): boolean {
	try {
		readdirSync(`${dir}/${name}`);
		return true;
	} catch {
		return false;
	}
}

/** Tests put a fake directory tree here. */
export const ListDirContext = createContext<ListDir>(readDirectory);

function expand(dir: string): string {
	if (dir === "") return ".";
	if (dir.startsWith("~/")) return `${homedir()}/${dir.slice(2)}`;
	return dir;
}

/** Tab completion for a path field: `complete(text)` returns the new text; `candidates` the rest. */
export function usePathCompletion() {
	const listDir = useContext(ListDirContext);
	const [candidates, setCandidates] = useState<string[]>([]);
	const complete = useCallback(
		(text: string): string => {
			const result: Completion = completePath(text, listDir(expand(splitPath(text).dir)));
			setCandidates(result.candidates);
			return result.text;
		},
		[listDir],
	);
	const clear = useCallback(() => setCandidates([]), []);
	return { complete, candidates, clear };
}
