/**
 * The inspector measured on the real-firmware corpus: which family it names for each image
 * without `-s` and with the right `-s`, whether non-STM32 images are called not-STM32, and the
 * cross matrix of every image against one chip of every family. Issue targets are in
 * docs/corpus.md.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { chipByName } from "../chips/index.js";
import type { Chip } from "../chips/types.js";
import { type Inspection, inspect } from "../doctor/inspect.js";
import { inspectableImage } from "../doctor/inspect-load.js";
import type { Image } from "../image/image.js";
import { loadImageBytes } from "../image/load.js";
import { type CorpusImage, type CorpusManifest, familyGroup } from "./corpus-manifest.js";

/** One part per family, the first the chip catalog knows: the cross matrix's targets. */
const MATRIX_CANDIDATES: Record<string, string[]> = {
	F0: ["STM32F072", "STM32F030", "F0"],
	F1: ["STM32F103", "F1"],
	F2: ["STM32F207", "STM32F205", "F2"],
	F3: ["STM32F303", "F3"],
	F4: ["STM32F407", "F4"],
	F7: ["STM32F746", "F7"],
	G0: ["STM32G071", "STM32G0B1", "G0"],
	G4: ["STM32G474", "STM32G431", "G4"],
	H7: ["STM32H743", "H7"],
	L0: ["STM32L073", "STM32L053", "L0"],
	L1: ["STM32L152", "L1"],
	L4: ["STM32L476", "L4"],
	L5: ["STM32L552", "L5"],
	U5: ["STM32U575", "STM32U585", "U5"],
	WB: ["STM32WB55", "WB"],
	WL: ["STM32WL55", "STM32WLE5", "WL"],
	C0: ["STM32C031", "C0"],
	H5: ["STM32H563", "H5"],
	U0: ["STM32U083", "U0"],
	WBA: ["STM32WBA52", "WBA"],
};

export interface MatrixChip {
	name: string;
	family: string;
	chip: Chip;
}

/** The chips of the cross matrix; families the catalog does not know are left out. */
export function matrixChips(): MatrixChip[] {
	const chips: MatrixChip[] = [];
	for (const [family, names] of Object.entries(MATRIX_CANDIDATES)) {
		for (const name of names) {
			const chip = chipByName(name);
			if (chip && familyGroup(chip.family.family) === familyGroup(family)) {
				chips.push({ name: chip.part ? name : family, family: chip.family.family, chip });
				break;
			}
		}
	}
	return chips;
}

export interface ImageVerdict {
	image: CorpusImage;
	/** Family the inspector named, or undefined when it named none. */
	named?: string;
	/** The inspector said the image is not for an STM32. */
	calledNotStm32: boolean;
	/** For a non-STM32 guess: the part family it named ("nRF52", "RP2040"). */
	otherFamily?: string;
	/** The image could not be loaded or inspected: the error's message. */
	error?: string;
}

export interface PairVerdict {
	image: CorpusImage;
	chip: string;
	chipFamily: string;
	blocked: boolean;
	/** Ids of the blocking (error) findings. */
	errors: string[];
}

export interface CorpusFigures {
	images: number;
	stm32: number;
	/** STM32 images whose family was named correctly without `-s`. */
	namedWithoutAddress: ImageVerdict[];
	/** STM32 images whose family was named correctly with the right `-s` (raw binaries). */
	namedWithAddress: ImageVerdict[];
	/** STM32 images whose family was not named correctly without `-s`. */
	missedWithoutAddress: ImageVerdict[];
	nonStm32: number;
	calledNotStm32: ImageVerdict[];
	/** Non-STM32 images not called not-STM32. */
	nonStm32Missed: ImageVerdict[];
	/** Non-STM32 images called not-STM32 with their own part family named ("nRF52" for an nRF52832). */
	otherPartNamed: ImageVerdict[];
	chips: { name: string; family: string }[];
	pairs: number;
	/** Image on a chip of another family (or any STM32 for a non-STM32 image), not blocked. */
	wrongFamilyPasses: PairVerdict[];
	/** Image on a chip of its own family, blocked by a finding that says the family is wrong. */
	sameFamilyFamilyBlocks: PairVerdict[];
	/** Same-family pairs blocked for another reason (size, placement, RAM, part): listed, not a miss. */
	sameFamilyOtherBlocks: PairVerdict[];
}

/** A blocking finding that claims the image belongs to another family or is not an STM32. */
const FAMILY_BLOCK = /^family\.(mismatch|not-stm32)/;

function parseAddress(image: CorpusImage): number | undefined {
	return image.address === undefined ? undefined : Number.parseInt(image.address, 16);
}

function load(bytes: Uint8Array, image: CorpusImage, address?: number): Image {
	return loadImageBytes(bytes, image.file, address === undefined ? {} : { address });
}

function errorsOf(inspection: Inspection): string[] {
	return inspection.findings.filter((f) => f.severity === "error").map((f) => f.id);
}

function verdict(image: CorpusImage, run: () => Inspection): ImageVerdict {
	try {
		const inspection = run();
		const calledNotStm32 =
			inspection.guess?.stm32 === false ||
			inspection.findings.some((f) => f.id.startsWith("family.not-stm32"));
		const stm32Guess = inspection.guess && inspection.guess.stm32 !== false;
		return {
			image,
			...(stm32Guess && inspection.guess ? { named: inspection.guess.family } : {}),
			...(inspection.guess?.stm32 === false ? { otherFamily: inspection.guess.family } : {}),
			calledNotStm32,
		};
	} catch (error) {
		const message = (error as Error).message;
		// The ELF reader refuses another architecture by name ("an ELF for RISC-V, not for ARM"):
		// that says the image is not for an STM32 as plainly as a finding would.
		return { image, calledNotStm32: /, not for ARM\b/.test(message), error: message };
	}
}

function namedRight(v: ImageVerdict): boolean {
	return v.named !== undefined && familyGroup(v.named) === familyGroup(v.image.family);
}

/**
 * The manifest names other vendors' families "Nordic nRF52", "NXP LPC17xx": the last word is what
 * the inspector's own names for them look like. An ELF refused for its architecture counts when
 * the refusal names the part ("Xtensa (ESP32)").
 */
function namesOwnPart(v: ImageVerdict): boolean {
	const token = v.image.family.split(" ").at(-1)!.toLowerCase();
	return (
		v.otherFamily?.toLowerCase() === token || (v.error?.toLowerCase().includes(token) ?? false)
	);
}

/** Runs the inspector over every image of the corpus and the cross matrix. */
export async function corpusFigures(
	dir: string,
	manifest: CorpusManifest,
	chips: MatrixChip[] = matrixChips(),
): Promise<CorpusFigures> {
	const without: ImageVerdict[] = [];
	const withAddress: ImageVerdict[] = [];
	const pairs: PairVerdict[] = [];
	for (const image of manifest.images) {
		const bytes = new Uint8Array(await readFile(join(dir, image.file)));
		const address = parseAddress(image);
		// Without -s a raw binary is placed where its own vector table says, as `inspect` does.
		without.push(
			verdict(image, () => {
				const { image: placed, inferred } = inspectableImage(bytes, image.file);
				return inspect(placed, inferred ? { address: inferred.address, inferred } : {});
			}),
		);
		withAddress.push(
			address === undefined
				? without.at(-1)!
				: verdict(image, () => inspect(load(bytes, image, address), { address })),
		);
		let loaded: Image | undefined;
		try {
			loaded = load(bytes, image, address);
		} catch {
			loaded = undefined;
		}
		for (const c of chips) {
			let errors: string[];
			try {
				if (!loaded) throw new Error("not loadable");
				errors = errorsOf(
					inspect(loaded, { chip: c.chip, ...(address !== undefined ? { address } : {}) }),
				);
			} catch (error) {
				errors = [`load-error: ${(error as Error).message}`];
			}
			pairs.push({
				image,
				chip: c.name,
				chipFamily: c.family,
				blocked: errors.length > 0,
				errors,
			});
		}
	}
	const stm32 = (v: ImageVerdict) => v.image.stm32;
	const same = (p: PairVerdict) =>
		p.image.stm32 && familyGroup(p.image.family) === familyGroup(p.chipFamily);
	return {
		images: manifest.images.length,
		stm32: manifest.images.filter((i) => i.stm32).length,
		namedWithoutAddress: without.filter(stm32).filter(namedRight),
		namedWithAddress: withAddress.filter(stm32).filter(namedRight),
		missedWithoutAddress: without.filter(stm32).filter((v) => !namedRight(v)),
		nonStm32: manifest.images.filter((i) => !i.stm32).length,
		calledNotStm32: without.filter((v) => !v.image.stm32 && v.calledNotStm32),
		nonStm32Missed: without.filter((v) => !v.image.stm32 && !v.calledNotStm32),
		otherPartNamed: without.filter((v) => !v.image.stm32 && v.calledNotStm32 && namesOwnPart(v)),
		chips: chips.map((c) => ({ name: c.name, family: c.family })),
		pairs: pairs.length,
		wrongFamilyPasses: pairs.filter((p) => !same(p) && !p.blocked),
		sameFamilyFamilyBlocks: pairs.filter(
			(p) => same(p) && p.errors.some((e) => FAMILY_BLOCK.test(e)),
		),
		sameFamilyOtherBlocks: pairs.filter(
			(p) => same(p) && p.blocked && !p.errors.some((e) => FAMILY_BLOCK.test(e)),
		),
	};
}

/** A 2 MiB image made of real code: the largest STM32 raw image of the corpus, repeated. */
export async function twoMebibyteImage(dir: string, manifest: CorpusManifest): Promise<Image> {
	const candidates = manifest.images.filter((i) => i.stm32 && i.format === "bin" && i.address);
	const largest = candidates.sort((a, b) => b.bytes - a.bytes)[0];
	if (!largest) throw new Error("the corpus has no STM32 raw binary");
	const source = new Uint8Array(await readFile(join(dir, largest.file)));
	const data = new Uint8Array(2 * 1024 * 1024);
	for (let off = 0; off < data.length; off += source.length) {
		data.set(source.subarray(0, Math.min(source.length, data.length - off)), off);
	}
	return {
		format: "bin",
		source: `${largest.file} repeated to 2 MiB`,
		segments: [{ address: parseAddress(largest)!, data }],
	};
}
