import { altKind, layoutSize } from "../dfu/layout.js";
import type { ChipGuess, MemoryLayout } from "../store/events.js";
import { allParts } from "./catalog.js";
import { ST_DFU_IDS } from "./facts-helpers.js";
import { layoutSignature, layoutStart, readLayout, sameLayoutText } from "./layout-signature.js";
import { dieFacts } from "./stm32-dies.js";
import type { ChipIndex } from "./stm32-index.js";
import type { FamilyFacts, PartFacts } from "./types.js";

/** What a DFU device tells about itself, as plain data (no USB types). */
export interface IdentifyInput {
	vendorId: number;
	productId: number;
	bcdDevice: number;
	product?: string;
	alts: { alt: number; name: string }[];
	/** The byte AN2606 calls the bootloader ID, when it was read from system memory. */
	bootloaderId?: number;
}

interface Scored {
	family: FamilyFacts;
	part: PartFacts;
	score: number;
	evidence: string[];
}

interface DeviceLayouts {
	flash?: { text: string; parsed: MemoryLayout };
	optionBytes?: { text: string; parsed: MemoryLayout };
	otp?: { text: string; parsed: MemoryLayout };
}

const hex = (n: number, width = 4) => `0x${n.toString(16).toUpperCase().padStart(width, "0")}`;

function classifyAlts(alts: IdentifyInput["alts"]): DeviceLayouts {
	const out: DeviceLayouts = {};
	for (const { name } of alts) {
		const parsed = readLayout(name);
		if (!parsed) continue;
		const entry = { text: name, parsed };
		const kind = altKind(parsed.name);
		if (kind === "flash" && !out.flash) out.flash = entry;
		else if (kind === "option-bytes" && !out.optionBytes) out.optionBytes = entry;
		else if (kind === "otp" && !out.otp) out.otp = entry;
	}
	return out;
}

/** How well a device string matches a list of known strings: 2 exact, 1 same shape, 0 none. */
function matchLevel(device: { text: string; parsed: MemoryLayout }, known?: string[]): 0 | 1 | 2 {
	if (!known?.length) return 0;
	if (known.some((k) => sameLayoutText(k, device.text))) return 2;
	const sig = layoutSignature(device.parsed);
	return known.some((k) => {
		const p = readLayout(k);
		return p !== undefined && layoutSignature(p) === sig;
	})
		? 1
		: 0;
}

function scorePart(
	family: FamilyFacts,
	part: PartFacts,
	input: IdentifyInput,
	dev: DeviceLayouts,
): Scored {
	let score = 0;
	const evidence: string[] = [];
	const isStLoader =
		input.vendorId === family.bootloader.dfuVendorId &&
		input.productId === family.bootloader.dfuProductId;

	if (isStLoader && !part.usbDfu) score -= 5;

	if (dev.flash) {
		const level = matchLevel(dev.flash, part.layouts?.flash);
		const kb = layoutSize(dev.flash.parsed) / 1024;
		// The part's dies in the generated data: where their flash starts, the sizes it comes in.
		const dies = part.deviceIds
			.map((id) => dieFacts(family.family, id))
			.filter((d) => d !== undefined);
		const sizes = dies.flatMap((d) => d.flashKb);
		if (level > 0) {
			score += level === 2 ? 6 : 5;
			evidence.push(
				`flash layout "${dev.flash.text.trim()}" ${level === 2 ? "is" : "has the shape of"} the ${part.name} loader's (${kb} KB)`,
			);
		} else if (
			dies.some((d) => d.flash === layoutStart(dev.flash!.parsed) && d.flashKb.includes(kb))
		) {
			score += 1;
		} else if (sizes.length && kb > Math.max(...sizes)) {
			score -= 3;
		}
	}

	if (dev.optionBytes) {
		const obStart = layoutStart(dev.optionBytes.parsed);
		if (family.optionBytes && obStart === family.optionBytes.address) {
			score += 2;
			evidence.push(`option bytes at ${hex(obStart, 8)} (${family.optionBytes.source})`);
		} else if (family.optionBytes) {
			score -= 2;
		}
		const level = matchLevel(dev.optionBytes, part.layouts?.optionBytes);
		if (level > 0) {
			score += level;
			evidence.push(`option-byte string "${dev.optionBytes.text.trim()}" matches ${part.name}`);
		}
	}

	if (dev.otp) {
		const level = matchLevel(dev.otp, part.layouts?.otp);
		if (level > 0) {
			score += level / 2;
			evidence.push(`OTP string "${dev.otp.text.trim()}" matches ${part.name}`);
		}
	}

	if (family.bootloader.bcdDevice.includes(input.bcdDevice)) score += 0.5;

	const productId = /0x([0-9a-f]{3})\b/i.exec(input.product ?? "");
	if (productId) {
		const id = Number.parseInt(productId[1]!, 16);
		if (part.deviceIds.includes(id)) {
			score += 8;
			evidence.push(`product string "${input.product}" carries device ID ${hex(id, 3)}`);
		} else score -= 4;
	}

	if (input.bootloaderId !== undefined && part.bootloaderIds?.length) {
		if (part.bootloaderIds.includes(input.bootloaderId)) {
			score += 3;
			evidence.push(
				`bootloader ID ${hex(input.bootloaderId, 2)} is ${part.name}'s (AN2606 Table 3)`,
			);
		} else {
			score -= 3;
			evidence.push(
				`bootloader ID ${hex(input.bootloaderId, 2)} does not match ${part.name} (${part.bootloaderIds.map((id) => hex(id, 2)).join("/")})`,
			);
		}
	}

	return { family, part, score, evidence };
}

/**
 * Best guess at the connected part from its DFU descriptors: the flash layout string picks
 * the sector map (F407 vs F411 vs F429), option-byte and OTP strings tell families apart (G4
 * vs L4, H7's OB at 0x5200201C), the F105/F107 product string carries the device ID, and a
 * bootloader ID byte refines within a family.
 *
 * With the generated index (`await loadChipIndex()`), a device the hand-written loader facts
 * name only weakly, or not at all, is named from every STM32 part whose flash has its layout.
 */
export function identify(input: IdentifyInput, index?: ChipIndex): ChipGuess {
	const dev = classifyAlts(input.alts);
	const known = identifyFromLoaderFacts(input, dev);
	if (!index || known.confidence !== "low") return known;
	return identifyFromIndex(input, dev, index) ?? known;
}

/** Parts of the generated data with the device's flash layout (and its device ID, if told). */
function identifyFromIndex(
	input: IdentifyInput,
	dev: DeviceLayouts,
	index: ChipIndex,
): ChipGuess | undefined {
	if (!dev.flash || input.vendorId !== ST_DFU_IDS.dfuVendorId) return undefined;
	let parts = index.byLayout(layoutSignature(dev.flash.parsed));
	const productId = /0x([0-9a-f]{3})\b/i.exec(input.product ?? "");
	if (productId) {
		const id = Number.parseInt(productId[1]!, 16);
		parts = parts.filter((p) => p.deviceId === id);
	}
	if (!parts.length) return undefined;
	const lines = [...new Set(parts.map((p) => p.line))];
	const families = [...new Set(parts.map((p) => p.family))];
	const shown = parts.slice(0, 6).map((p) => p.name);
	const more = parts.length > shown.length ? ` and ${parts.length - shown.length} more` : "";
	const evidence = [
		`flash layout "${dev.flash.text.trim()}" is that of ${shown.join(", ")}${more} in ST's data (${lines.length <= 6 ? lines.join(", ") : `${lines.length} lines`})`,
	];
	const name =
		parts.length === 1
			? parts[0]!.name
			: lines.length === 1
				? lines[0]!
				: families.length === 1
					? `STM32${families[0]}`
					: lines.length <= 3
						? lines.join(" or ")
						: families.map((f) => `STM32${f}`).join(" or ");
	return {
		name,
		family: families.join("/"),
		confidence: families.length === 1 ? "medium" : "low",
		evidence,
		flashSize: layoutSize(dev.flash.parsed),
	};
}

function identifyFromLoaderFacts(input: IdentifyInput, dev: DeviceLayouts): ChipGuess {
	const flashSize = dev.flash ? layoutSize(dev.flash.parsed) : undefined;
	const scored = allParts()
		.map(({ family, part }) => scorePart(family, part, input, dev))
		.sort((a, b) => b.score - a.score);
	const best = scored[0];
	if (!best || best.score < 1) {
		return {
			name: "unknown",
			family: "unknown",
			confidence: "low",
			evidence: [
				`no STM32 loader matches ${hex(input.vendorId)}:${hex(input.productId)} with these alt settings`,
			],
			...(flashSize ? { flashSize } : {}),
		};
	}
	const tied = scored.filter((s) => s.score >= best.score - 0.01);
	const families = [...new Set(tied.map((s) => s.family.family))];
	const evidence = [...new Set(tied.flatMap((s) => s.evidence))];
	let name: string;
	if (tied.length === 1) name = best.part.name;
	else if (tied.length === 2) name = tied.map((s) => s.part.name).join(" or ");
	else
		name =
			families.length === 1 ? `STM32${families[0]}` : tied.map((s) => s.part.name).join(" or ");
	if (tied.length > 1)
		evidence.push(`cannot tell apart: ${tied.map((s) => s.part.name).join(", ")}`);
	const confidence =
		tied.length === 1 && best.score >= 6
			? "high"
			: families.length === 1 && best.score >= 3
				? "medium"
				: "low";
	return {
		name,
		family: families.length === 1 ? families[0]! : families.join("/"),
		confidence,
		evidence,
		...(flashSize ? { flashSize } : {}),
	};
}
