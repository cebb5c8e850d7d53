import { chipByName } from "../chips/catalog.js";
import { chipData } from "../chips/stm32-data.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import { scanText, type TextRun } from "../image/text-scan.js";

/**
 * Part numbers and family names an image carries as text: USB product strings and board names
 * ("STM32G474CE", "NUCLEO-F411RE"), HAL file names kept by assert() (".../stm32f4xx_hal_rcc.c"),
 * libopencm3 paths in DWARF ("lib/stm32/l0/..."), ELF source file names ("system_stm32l0xx.c").
 */
export interface PartMention {
	/** The text as found. */
	text: string;
	/** What it names: an STM32 family ("F4") or another part ("nRF52"). */
	family: string;
	stm32: boolean;
	/** An STM32 part the text names exactly, e.g. "STM32F411". */
	part?: string;
	/** Where: "0x08001234" inside a segment, ".debug_str+0x120" in an ELF section, or a file name. */
	where: string;
}

const KEEP = /stm32|nrf5[12]|samd\d|same5\d|rp2040|esp32|lpc\d{3}|gd32|ch32v|mk\d\dd?[nxf]|at32f/i;

/** ST line names: letters + the digit that names the line (WB55 → WB, L4R5 → L4+, F103 → F1). */
function stm32Family(rest: string): { family: string; part?: string } | undefined {
	const upper = rest.toUpperCase();
	const m = /^(WBA|WB|WL|MP|[CFGHLUN])(\d|E)([0-9A-Z]*)/.exec(upper);
	if (!m) return undefined;
	const [, letters, digit, tail] = m;
	let family: string;
	if (letters === "WB" || letters === "WL" || letters === "WBA") family = letters;
	else if (letters === "L" && digit === "4" && /^[RSPQ]/.test(tail ?? "")) family = "L4+";
	else family = `${letters}${digit}`;
	if (!chipData().families.includes(family)) return undefined;
	const chip = /^[0-9A-Z]{2,}\d/.test(upper) ? chipByName(`STM32${upper}`) : undefined;
	const part = chip?.part && chip.family.family === family ? chip.part.name : undefined;
	return { family, ...(part ? { part } : {}) };
}

interface OtherPattern {
	pattern: RegExp;
	family: string;
}

/** Other vendors' parts, named the way their SDKs and product strings spell them. */
const OTHER_PARTS: OtherPattern[] = [
	{ pattern: /nrf52\d*/i, family: "nRF52" },
	{ pattern: /nrf51\d*/i, family: "nRF51" },
	{ pattern: /(?:at)?samd21/i, family: "SAMD21" },
	{ pattern: /(?:at)?sam[de]5\d/i, family: "SAMD51" },
	{ pattern: /rp2040/i, family: "RP2040" },
	{ pattern: /esp32/i, family: "ESP32" },
	{ pattern: /lpc17\d\d/i, family: "LPC17xx" },
	{ pattern: /lpc11\d\d/i, family: "LPC11xx" },
	{ pattern: /lpc\d{3,4}/i, family: "LPC" },
	{ pattern: /gd32vf103/i, family: "GD32VF103" },
	{ pattern: /ch32v\d+/i, family: "CH32V" },
	{ pattern: /mk\d\dd?[nxf]/i, family: "Kinetis" },
];

function classify(text: string): Omit<PartMention, "where" | "text">[] {
	const found: Omit<PartMention, "where" | "text">[] = [];
	// libopencm3 keeps its sources per line: lib/stm32/f4/rcc.c, include/libopencm3/stm32/l0/...
	for (const m of text.matchAll(/stm32\/([a-z]{1,3}\d)\//gi)) {
		const f = stm32Family(m[1]!);
		if (f) found.push({ family: f.family, stm32: true });
	}
	for (const m of text.matchAll(/stm32_?([a-z]{1,3}[0-9e][0-9a-z]*)/gi)) {
		const f = stm32Family(m[1]!);
		if (f) found.push({ ...f, stm32: true });
	}
	for (const other of OTHER_PARTS) {
		if (other.pattern.test(text)) {
			found.push({ family: other.family, stm32: false });
			break;
		}
	}
	return found;
}

function whereOf(run: TextRun, sources: { label: string; address?: number }[]): string {
	const source = sources[run.chunk]!;
	return source.address !== undefined
		? hex(source.address + run.offset)
		: `${source.label}+0x${run.offset.toString(16)}`;
}

/** Every part or family name in the image's bytes (and an ELF's string and debug sections). */
export function partMentions(image: Image): PartMention[] {
	const chunks: Uint8Array[] = [];
	const sources: { label: string; address?: number }[] = [];
	for (const s of image.segments) {
		chunks.push(s.data);
		sources.push({ label: s.name ?? "segment", address: s.address });
	}
	for (const u of image.unloaded ?? []) {
		chunks.push(u.data);
		sources.push({ label: u.name || "section" });
	}
	const out: PartMention[] = [];
	for (const run of scanText(chunks, { keep: KEEP, limit: 400 })) {
		for (const c of classify(run.text))
			out.push({ ...c, text: run.text, where: whereOf(run, sources) });
	}
	for (const file of image.sourceFiles ?? []) {
		if (!KEEP.test(file)) continue;
		for (const c of classify(file)) out.push({ ...c, text: file, where: "ELF file symbol" });
	}
	return out;
}

export interface MentionTally {
	family: string;
	stm32: boolean;
	/** Distinct texts that name this family. */
	count: number;
	/** The most specific part named, when one is. */
	part?: string;
	examples: PartMention[];
}

/** Mentions grouped by family, most-named first; each distinct text counts once. */
export function tallyMentions(mentions: PartMention[]): MentionTally[] {
	const byFamily = new Map<string, MentionTally & { texts: Set<string> }>();
	for (const m of mentions) {
		const key = `${m.stm32 ? "stm32" : "other"}:${m.family}`;
		const t = byFamily.get(key) ?? {
			family: m.family,
			stm32: m.stm32,
			count: 0,
			examples: [],
			texts: new Set<string>(),
		};
		byFamily.set(key, t);
		const text = m.text.toLowerCase();
		if (t.texts.has(text)) continue;
		t.texts.add(text);
		t.count++;
		if (m.part && !t.part) t.part = m.part;
		if (t.examples.length < 3) t.examples.push(m);
	}
	return [...byFamily.values()]
		.map(({ texts: _texts, ...t }) => t)
		.sort((a, b) => b.count - a.count);
}
