/**
 * STM32 names as people type them, matched against the generated part list: a part
 * ("STM32F407VG", "f407vg"), an order code or package name ("STM32F407VGT6", "STM32F407VGTx"),
 * a line ("STM32F407", "f407", "H7A3", "F401xC") or a family ("STM32F4", "L4+").
 */
import type { Stm32Part } from "./stm32-part.js";

/** Upper case, "STM32" prefixed, without spaces, "-" and "_": "stm32 f407-vg" → "STM32F407VG". */
export function normaliseStm32Name(name: string): string {
	const n = name.toUpperCase().replace(/[\s_-]/g, "");
	return n.startsWith("STM32") ? n : `STM32${n}`;
}

export interface Stm32Selection {
	/** What was matched, normalised: "STM32F407VG", "STM32F407", "STM32F4". */
	name: string;
	/** "part": one part; "line": parts whose name starts with `name`; "family": a whole family. */
	kind: "part" | "line" | "family";
	/** Short family name: "F4". All parts of a selection are of this one family. */
	family: string;
	/** At least one; sorted by name. */
	parts: readonly Stm32Part[];
}

export interface NameIndex {
	byName: ReadonlyMap<string, Stm32Part>;
	byFamily: ReadonlyMap<string, readonly Stm32Part[]>;
	/** ST's line names, normalised: "STM32F407/417", "STM32H723/733". */
	byLine: ReadonlyMap<string, readonly Stm32Part[]>;
	sorted: readonly Stm32Part[];
}

export function nameIndex(parts: readonly Stm32Part[]): NameIndex {
	const sorted = [...parts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
	const byName = new Map<string, Stm32Part>();
	const byFamily = new Map<string, Stm32Part[]>();
	const byLine = new Map<string, Stm32Part[]>();
	const add = (map: Map<string, Stm32Part[]>, key: string, p: Stm32Part) => {
		const list = map.get(key);
		if (list) list.push(p);
		else map.set(key, [p]);
	};
	for (const p of sorted) {
		byName.set(normaliseStm32Name(p.name), p);
		add(byFamily, normaliseStm32Name(p.family), p);
		add(byLine, normaliseStm32Name(p.line), p);
	}
	return { byName, byFamily, byLine, sorted };
}

function single(name: string, kind: Stm32Selection["kind"], parts: readonly Stm32Part[]) {
	const families = new Set(parts.map((p) => p.family));
	const [family] = families;
	return families.size === 1 && family ? { name, kind, family, parts } : undefined;
}

/**
 * The parts a name stands for, or undefined. Tried in order: a family name; a part name; the
 * line name as ST writes it ("STM32F407/417"); the longest part name an order code starts with; the parts whose names start with it (one family
 * only); the same with "x" as a wildcard after the line ("F401xC").
 */
export function selectStm32(index: NameIndex, name: string): Stm32Selection | undefined {
	const q = normaliseStm32Name(name);
	if (q.length < 7) return undefined;
	const family = index.byFamily.get(q);
	if (family) return single(q, "family", family);
	const exact = index.byName.get(q);
	if (exact) return single(exact.name, "part", [exact]);
	const line = index.byLine.get(q);
	if (line) return single(line[0]!.line, "line", line);
	for (let end = q.length - 1; end >= 11; end--) {
		const part = index.byName.get(q.slice(0, end));
		if (part) return single(part.name, "part", [part]);
	}
	const prefixed = index.sorted.filter((p) => normaliseStm32Name(p.name).startsWith(q));
	if (prefixed.length) return single(q, prefixed.length === 1 ? "part" : "line", prefixed);
	if (q.length > 9 && q.slice(9).includes("X")) {
		const pattern = new RegExp(`^${q.slice(0, 9)}${q.slice(9).replace(/X/g, ".")}`);
		const matched = index.sorted.filter((p) => pattern.test(normaliseStm32Name(p.name)));
		if (matched.length) return single(q, matched.length === 1 ? "part" : "line", matched);
	}
	return undefined;
}

function distance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const row = [i];
		for (let j = 1; j <= b.length; j++)
			row[j] = Math.min(
				prev[j]! + 1,
				row[j - 1]! + 1,
				prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
			);
		prev = row;
	}
	return prev[b.length]!;
}

/** Up to `count` known names nearest to `name`: families, lines ("STM32F407") and parts. */
export function closestStm32Names(index: NameIndex, name: string, count = 5): string[] {
	const q = normaliseStm32Name(name);
	const candidates = new Set<string>(index.byFamily.keys());
	for (const p of index.sorted) {
		candidates.add(p.name.slice(0, 9));
		candidates.add(p.name);
	}
	return [...candidates]
		.map((c) => ({ c, d: distance(q, c.length > q.length ? c.slice(0, q.length + 1) : c) }))
		.sort((a, b) => a.d - b.d || a.c.length - b.c.length || (a.c < b.c ? -1 : 1))
		.slice(0, count)
		.map((x) => x.c);
}
