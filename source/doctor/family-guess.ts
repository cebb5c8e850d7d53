import { ARM_SYSTEM } from "../chips/other-arm.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import { type CodeFeatures, codeFeatures } from "./code-features.js";
import { partMentions, tallyMentions } from "./evidence-strings.js";
import { applyEvidence, type ImageEvidence, type Tally } from "./family-evidence.js";
import { blockAt, familyMaps, mapPages, PERIPHERALS_FROM, PERIPHERALS_TO } from "./family-maps.js";
import {
	type AddressHit,
	CANDIDATES,
	type Candidate,
	lookupAddress,
	mayNameRegister,
	REGISTER_PAGES,
} from "./family-signatures.js";
import { tableFits, type VectorTable } from "./inspect-vectors.js";
import { type PlatformSign, platformSign } from "./platform-signatures.js";
import { baseOffsetAddresses, movwMovtConstants } from "./thumb-constants.js";

export interface FamilyGuess {
	family: string;
	part?: string;
	/** 0..1 */
	confidence: number;
	evidence: string[];
	stm32: boolean;
	/** "STM32F1", "Nordic nRF52". */
	label: string;
	/** Peripherals the image's code names, e.g. [{ name: "RCC", address: 0x40021000 }]. */
	uses: { name: string; address: number }[];
	/** Peripheral-space addresses the image names (literal pools, MOVW/MOVT, base + offset). */
	peripheralWords: number[];
	/** Runner-up families with their scores, best first (for --json and tests). */
	ranking: { family: string; score: number }[];
	/** Whether the code writes CPACR (turns the FPU on). */
	enablesFpu: boolean;
	/** Whether the code maintains the Cortex-M7 cache (ICIALLU, CCSIDR). */
	usesCache: boolean;
	/** What the code needs from the core, found along the paths from the handlers. */
	features?: CodeFeatures;
	/** Per family: how much of the score came from peripheral addresses in the code. */
	addressScores: Record<string, number>;
	/** Per family: the whole score (addresses, vector count, SP, FPU, cache). */
	scores: Record<string, number>;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The little-endian words of `data` from byte `first` on, without a DataView call per word. */
function alignedWords(data: Uint8Array, first: number): Uint32Array {
	const count = Math.max(0, Math.floor((data.length - first) / 4));
	const start = data.byteOffset + first;
	if (LITTLE_ENDIAN_HOST && start % 4 === 0) return new Uint32Array(data.buffer, start, count);
	const out = new Uint32Array(count);
	const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
	for (let i = 0; i < count; i++) out[i] = view.getUint32(first + i * 4, true);
	return out;
}

/**
 * Every 32-bit word at a 4-aligned address outside the vector table (literal pools), every
 * constant a MOVW/MOVT pair builds, and every base + offset register access, with counts; only
 * words in a page some candidate names a register in are kept (the rest cannot score).
 */
function literals(image: Image, table?: VectorTable): Map<number, number> {
	const counts = new Map<number, number>();
	const pages = mapPages();
	image.segments.forEach((segment, index) => {
		const { data } = segment;
		const first = (4 - (segment.address % 4)) % 4;
		const words = alignedWords(data, first);
		const skipFrom = index === 0 && table ? (table.offset - first) / 4 : -1;
		const skipTo = index === 0 && table ? (table.offset + table.length * 4 - first) / 4 : -1;
		for (let i = 0; i < words.length; i++) {
			const w = words[i]!;
			const page = w >>> 12;
			if ((REGISTER_PAGES[page] === 0 && pages?.[page] !== 1) || (i >= skipFrom && i < skipTo))
				continue;
			counts.set(w, (counts.get(w) ?? 0) + 1);
		}
		for (const w of [...movwMovtConstants(data), ...baseOffsetAddresses(data, segment.address)]) {
			if (mayNameRegister(w) || pages?.[w >>> 12] === 1) counts.set(w, (counts.get(w) ?? 0) + 1);
		}
	});
	return counts;
}

const EXACT_REGISTER = 1;
const EXACT_BASE = 0.8;
const IN_BLOCK = 0.35;
const VECTOR_COUNT = 1.5;
const RAM_TOP = 1;

function addressEvidence(hit: AddressHit, value: number, sharedBy: number): string {
	const where = hit.exact
		? hit.fact.name
		: `${hit.fact.name}+0x${(value - hit.fact.address).toString(16)}`;
	const shared = sharedBy > 1 ? ` (shared by ${sharedBy} families)` : "";
	return `uses ${where} at ${hex(value)}${shared}`;
}

/**
 * Ranks the families an image could have been built for. Peripheral addresses in literal
 * pools weigh most; an address several families share is split between them. The vector
 * table length and the initial SP sitting at the top of a part's RAM refine; writing CPACR
 * rules out parts without an FPU, and Cortex-M7 cache maintenance points at F7/H7.
 */
export function guessFamily(
	image: Image,
	table?: VectorTable,
	linkBase = image.segments[0]?.address ?? 0,
): FamilyGuess | undefined {
	const delta = (linkBase - (image.segments[0]?.address ?? 0)) >>> 0;
	const evidence: ImageEvidence = {
		mentions: tallyMentions(partMentions(image)),
		features: codeFeatures(image, table, delta),
		...(image.attributes ? { attributes: image.attributes } : {}),
	};
	const sign = platformSign(image, table, linkBase);
	if (sign?.definitive) return otherPartGuess(sign, evidence);
	return scoreFamilies(image, table, evidence, sign);
}

function scoreFamilies(
	image: Image,
	table: VectorTable | undefined,
	extra: ImageEvidence,
	sign: PlatformSign | undefined,
): FamilyGuess | undefined {
	const tallies = new Map<Candidate, Tally>(
		allCandidates().map((c) => [
			c,
			{ candidate: c, score: 0, addressScore: 0, evidence: [], uses: new Map() },
		]),
	);
	const words = literals(image, table);
	let anyAddress = false;

	for (const value of words.keys()) {
		const hits = lookupAddress(value);
		if (!hits.length) continue;
		const owners = new Set(hits.map((h) => h.candidate));
		for (const hit of hits) {
			const t = tallies.get(hit.candidate)!;
			const weight = hit.exact
				? hit.candidate.registers.includes(hit.fact)
					? EXACT_REGISTER
					: EXACT_BASE
				: IN_BLOCK;
			t.score += weight / owners.size;
			t.addressScore += weight / owners.size;
			t.evidence.push(addressEvidence(hit, value, owners.size));
			if (hit.block) t.uses.set(hit.block.name, hit.block.address);
			anyAddress = true;
		}
	}

	const enablesFpu = words.has(ARM_SYSTEM.CPACR.address);
	const usesCache = words.has(ARM_SYSTEM.ICIALLU.address) || words.has(ARM_SYSTEM.CCSIDR.address);

	if (table?.plausible) scoreTable(tallies, table);
	scoreMaps(tallies, words);
	if (enablesFpu) {
		for (const c of allCandidates()) {
			const t = tallies.get(c)!;
			if (c.fpu === "none") t.score -= 1.5;
			else t.evidence.push(`enables the FPU (writes CPACR at ${hex(ARM_SYSTEM.CPACR.address)})`);
		}
	}
	if (usesCache) {
		for (const c of allCandidates()) {
			const t = tallies.get(c)!;
			if (c.cache) {
				t.score += 0.5;
				t.evidence.push("maintains the Cortex-M7 cache (ICIALLU/CCSIDR)");
			} else t.score -= 1;
		}
	}

	applyEvidence([...tallies.values()], extra);
	if (sign) {
		// Linked at 0 (or 0x10000000): weigh the parts whose flash is there.
		for (const t of tallies.values()) {
			if (t.candidate.stm32) continue;
			t.score += 1.5;
			t.evidence.unshift(sign.evidence);
		}
	}
	const ranked = [...tallies.values()].sort((a, b) => b.score - a.score);
	const best = ranked[0];
	const named = extra.mentions.length > 0;
	if (!best || best.score <= 0 || (!anyAddress && !table?.plausible && !named)) return undefined;
	const second = ranked[1]?.score ?? 0;
	const margin = (best.score - Math.max(0, second)) / best.score;
	const strength = Math.min(1, best.score / 2.5);
	const confidence = Math.round(margin * strength * 100) / 100;
	const evidence = [...best.evidence];
	if (!anyAddress) evidence.push("no peripheral addresses recognised in the code");
	return {
		family: best.candidate.family,
		part:
			extra.mentions.find((m) => m.stm32 && m.family === best.candidate.family && m.part)?.part ??
			(table ? guessPart(best.candidate, table) : undefined),
		confidence,
		evidence,
		stm32: best.candidate.stm32,
		label: best.candidate.label,
		uses: [...best.uses].map(([name, address]) => ({ name, address })),
		ranking: ranked
			.slice(0, 5)
			.map((t) => ({ family: t.candidate.family, score: Math.round(t.score * 100) / 100 })),
		enablesFpu,
		usesCache,
		features: extra.features,
		scores: Object.fromEntries(
			ranked.map((t) => [t.candidate.family, Math.round(t.score * 100) / 100]),
		),
		peripheralWords: [...words.keys()].filter((w) => w >= PERIPHERALS_FROM && w < PERIPHERALS_TO),
		addressScores: Object.fromEntries(
			ranked
				.filter((t) => t.addressScore > 0)
				.map((t) => [t.candidate.family, Math.round(t.addressScore * 100) / 100]),
		),
	};
}

/**
 * The hand-written candidates, plus every STM32 family only the generated data knows (H5, U0,
 * WBA, ...), described by their parts' vector counts, RAM, peripheral maps and core.
 */
let extra: { maps: object; list: Candidate[] } | undefined;
function allCandidates(): readonly Candidate[] {
	const maps = familyMaps();
	if (!maps) return CANDIDATES;
	if (extra?.maps === maps) return extra.list;
	const known = new Set(CANDIDATES.map((c) => c.family));
	const added: Candidate[] = [];
	for (const [family, map] of maps) {
		if (known.has(family)) continue;
		added.push({
			family,
			stm32: true,
			label: `STM32${family}`,
			peripherals: [],
			registers: [],
			parts: [],
			fpu: map.fpu,
			cache: map.core === "Cortex-M7",
			core: map.core,
		});
	}
	extra = { maps, list: [...CANDIDATES, ...added] };
	return extra.list;
}

/** A candidate's parts as the generated data lists them, or as the catalog does without it. */
function partsOf(
	candidate: Candidate,
): { name: string; vectorCount?: number; ram: { name?: string; start: number; size: number }[] }[] {
	const map = candidate.stm32 ? familyMaps()?.get(candidate.family) : undefined;
	return map ? map.parts : candidate.parts;
}

/** The vector table's length and the stack at the top of some RAM, per family. */
function scoreTable(tallies: Map<Candidate, Tally>, table: VectorTable): void {
	// A part whose interrupt count is exactly the table's used length beats one that only fits
	// its trailing zero words (F2's 97 entries against the F4's 98).
	const exact = allCandidates().filter((c) =>
		partsOf(c).some((p) => p.vectorCount === table.length),
	);
	const byCount = exact.length
		? exact
		: allCandidates().filter((c) => partsOf(c).some((p) => tableFits(table, p.vectorCount)));
	for (const c of byCount) {
		const t = tallies.get(c)!;
		t.score += VECTOR_COUNT / byCount.length;
		const parts = partsOf(c)
			.filter((p) => tableFits(table, p.vectorCount))
			.map((p) => p.name);
		const shown =
			parts.length > 4
				? `${parts.slice(0, 4).join(", ")} and ${parts.length - 4} more`
				: parts.join(", ");
		t.evidence.push(`vector table has ${table.length} entries, as on ${shown}`);
	}
	const sp = table.initialSp;
	const atTop = allCandidates().filter((c) =>
		partsOf(c).some((p) => p.ram.some((r) => r.start + r.size === sp)),
	);
	for (const c of allCandidates()) {
		const t = tallies.get(c)!;
		const parts = partsOf(c);
		const inRam = parts.some((p) => p.ram.some((r) => sp >= r.start && sp <= r.start + r.size));
		if (atTop.includes(c)) {
			t.score += RAM_TOP / atTop.length;
			const region = parts
				.flatMap((p) => p.ram.map((r) => ({ p, r })))
				.find(({ r }) => r.start + r.size === sp)!;
			t.evidence.push(
				`initial SP ${hex(sp)} is the top of ${region.r.size / 1024} KB ${region.r.name ?? "RAM"} (${region.p.name})`,
			);
		} else if (!inRam) t.score -= 1;
	}
}

/** With every part's peripheral map: how many of the code's peripheral addresses each family has. */
const MAP_WEIGHT = 1.5;
const MIN_MAPPED = 3;

function scoreMaps(tallies: Map<Candidate, Tally>, words: Map<number, number>): void {
	const maps = familyMaps();
	if (!maps) return;
	const peripheral = [...words.keys()].filter((w) => w >= PERIPHERALS_FROM && w < PERIPHERALS_TO);
	const families = allCandidates().filter((c) => c.stm32 && maps.has(c.family));
	const onMap = new Map<Candidate, number>();
	let mapped = 0;
	for (const w of peripheral) {
		const owners = families.filter((c) => blockAt(maps.get(c.family)!, w) !== undefined);
		if (!owners.length) continue;
		mapped++;
		for (const c of owners) onMap.set(c, (onMap.get(c) ?? 0) + 1);
	}
	if (mapped < MIN_MAPPED) return;
	for (const c of families) {
		const n = onMap.get(c) ?? 0;
		const t = tallies.get(c)!;
		t.score += (MAP_WEIGHT * n) / mapped - MAP_WEIGHT * (1 - n / mapped);
		if (n < mapped)
			t.evidence.push(
				`${mapped - n} of the ${mapped} peripheral addresses in the code are no STM32${c.family} peripheral`,
			);
	}
}

/** An image whose layout only another vendor's part uses: named from its text when it can be. */
function otherPartGuess(sign: PlatformSign, extra: ImageEvidence): FamilyGuess {
	const named = extra.mentions.find((m) => !m.stm32);
	const family = named?.family ?? sign.family;
	const evidence = [
		sign.evidence,
		...(named
			? [
					`names ${named.family} in its data ("${named.examples[0]?.text}" at ${named.examples[0]?.where})`,
				]
			: []),
	];
	return {
		family,
		confidence: 0.9,
		evidence,
		stm32: false,
		label: named ? named.family : sign.label,
		uses: [],
		ranking: [{ family, score: 9 }],
		enablesFpu: false,
		usesCache: false,
		addressScores: {},
		peripheralWords: [],
		scores: { [family]: 9 },
	};
}

/** A part is named only when its vector count and RAM top both agree and no sibling matches. */
function guessPart(candidate: Candidate, table: VectorTable): string | undefined {
	if (!candidate.stm32 || candidate.parts.length === 0) return undefined;
	const scored = candidate.parts.map((p) => {
		let score = 0;
		if (tableFits(table, p.vectorCount)) score += 2;
		if (p.ram.some((r) => r.start + r.size === table.initialSp)) score += 1;
		if (!p.ram.some((r) => table.initialSp >= r.start && table.initialSp <= r.start + r.size))
			score -= 2;
		return { name: p.name, score };
	});
	scored.sort((a, b) => b.score - a.score);
	const [first, next] = scored;
	if (!first || first.score < 2 || (next && next.score === first.score)) return undefined;
	return first.name;
}
