import { ARM_SYSTEM } from "../chips/other-arm.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import { type CodeFeatures, codeFeatures } from "./code-features.js";
import { partMentions, tallyMentions } from "./evidence-strings.js";
import { applyEvidence, type ImageEvidence, type Tally } from "./family-evidence.js";
import { applyIrqEvidence } from "./family-irq-evidence.js";
import { blockAt, familyMaps, mapPages, PERIPHERALS_FROM, PERIPHERALS_TO } from "./family-maps.js";
import {
	type AddressHit,
	type Candidate,
	candidates,
	lookupAddress,
	mayNameRegister,
	registerPages,
} from "./family-signatures.js";
import { tableFits, type VectorTable } from "./inspect-vectors.js";
import { irqHandlers } from "./irq-handlers.js";
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
	const registers = registerPages();
	image.segments.forEach((segment, index) => {
		const { data } = segment;
		const first = (4 - (segment.address % 4)) % 4;
		const words = alignedWords(data, first);
		const skipFrom = index === 0 && table ? (table.offset - first) / 4 : -1;
		const skipTo = index === 0 && table ? (table.offset + table.length * 4 - first) / 4 : -1;
		for (let i = 0; i < words.length; i++) {
			const w = words[i]!;
			const page = w >>> 12;
			if ((registers[page] === 0 && pages[page] !== 1) || (i >= skipFrom && i < skipTo)) continue;
			counts.set(w, (counts.get(w) ?? 0) + 1);
		}
		for (const w of [...movwMovtConstants(data), ...baseOffsetAddresses(data, segment.address)]) {
			if (mayNameRegister(w) || pages[w >>> 12] === 1) counts.set(w, (counts.get(w) ?? 0) + 1);
		}
	});
	return counts;
}

const EXACT_REGISTER = 1;
const EXACT_BASE = 0.8;
const IN_BLOCK = 0.35;
const VECTOR_COUNT = 1.5;
const RAM_TOP = 1;
const ONE_PART = 0.75;
/** A table longer or shorter than any part of a family has vectors was made for another family. */
const TABLE_MISFIT = 1;
/**
 * How far a table may miss a family's vector counts: F1 and L1 startup files put a BootRAM
 * word after the last vector, and a startup file from an older ST release may lack the
 * newest interrupt or two (the U585 examples' 141 entries against the data's 142).
 */
const TABLE_SLACK = 2;

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
	const irq = irqHandlers(image);
	applyIrqEvidence([...tallies.values()], irq);
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
	const named = extra.mentions.length > 0 || irq.length >= 3;
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

/** Every STM32 family of the generated data and the other vendors' parts. */
function allCandidates(): readonly Candidate[] {
	return candidates();
}

/** A candidate's parts as the generated data lists them (its own list for other vendors). */
function partsOf(
	candidate: Candidate,
): { name: string; vectorCount?: number; ram: { name?: string; start: number; size: number }[] }[] {
	const map = candidate.stm32 ? familyMaps().get(candidate.family) : undefined;
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
	// A whole table (16 entries and more) longer than every part of a family has vectors, or
	// shorter than every part's, was made for another family, when some family's parts have
	// its length (startup files list every vector of their part).
	if (table.length >= 16) {
		const misfits = new Set<Candidate>();
		let someFit = false;
		for (const c of allCandidates()) {
			if (!c.stm32) continue;
			const counts = partsOf(c)
				.map((p) => p.vectorCount ?? 0)
				.filter((n) => n > 0);
			if (!counts.length) continue;
			const tooLong = table.length > Math.max(...counts) + TABLE_SLACK;
			const tooShort = table.span + TABLE_SLACK < Math.min(...counts);
			if (tooLong || tooShort) misfits.add(c);
			else someFit = true;
		}
		if (someFit) for (const c of misfits) tallies.get(c)!.score -= TABLE_MISFIT;
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
	// One part with both the table's length and its stack at the top of its RAM is the build's
	// part; two parts of a family that match one each (the F410's 114 vectors, the F413's RAM
	// top) are a coincidence.
	const whole = allCandidates().filter((c) =>
		partsOf(c).some(
			(p) => tableFits(table, p.vectorCount) && p.ram.some((r) => r.start + r.size === sp),
		),
	);
	for (const c of whole) tallies.get(c)!.score += ONE_PART / whole.length;
}

/** With every part's peripheral map: how many of the code's peripheral addresses each family has. */
const MAP_WEIGHT = 1.5;
const MIN_MAPPED = 3;
/**
 * The map weighs in full from this many mapped addresses on: a few words of random data land
 * on some family's blocks by chance (about 2 in 24 KB against the H7's map), a real firmware
 * names dozens.
 */
const MAP_FULL = 8;

function scoreMaps(tallies: Map<Candidate, Tally>, words: Map<number, number>): void {
	const maps = familyMaps();
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
	const weight = MAP_WEIGHT * Math.min(1, mapped / MAP_FULL);
	for (const c of families) {
		const n = onMap.get(c) ?? 0;
		const t = tallies.get(c)!;
		t.score += (weight * n) / mapped - weight * (1 - n / mapped);
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
	// A name may come several times (its dies' parts differ): its best score counts.
	const best = new Map<string, number>();
	for (const { name, score } of scored)
		best.set(name, Math.max(best.get(name) ?? -Infinity, score));
	const ranked = [...best].map(([name, score]) => ({ name, score }));
	ranked.sort((a, b) => b.score - a.score);
	const [first, next] = ranked;
	if (!first || first.score < 2 || (next && next.score === first.score)) return undefined;
	return first.name;
}
