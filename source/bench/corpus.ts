/**
 * `npm run corpus`: the inspector's figures on the real-firmware corpus (test/fixtures/corpus),
 * printed beside the targets of docs/corpus.md. Everything is measured in this one run.
 */
import { fileURLToPath } from "node:url";
import { chipByName } from "../chips/index.js";
import { loadChipData } from "../chips/stm32-data.js";
import { inspect } from "../doctor/inspect.js";
import { corpusFigures, type PairVerdict, twoMebibyteImage } from "./corpus-figures.js";
import { readCorpusManifest } from "./corpus-manifest.js";
import { median } from "./median.js";

const DIR = fileURLToPath(new URL("../../../test/fixtures/corpus/", import.meta.url));

function percent(n: number, of: number): string {
	return of === 0 ? "-" : `${((100 * n) / of).toFixed(1)} %`;
}

function pairLine(p: PairVerdict): string {
	const why = p.errors.length ? ` [${p.errors.join(", ")}]` : "";
	return `  ${p.image.file} (${p.image.part}, ${p.image.family}) on ${p.chip}${why}`;
}

// The inspector checks images against every part's peripheral map once the data is loaded.
await loadChipData();
const manifest = readCorpusManifest(DIR);
const started = performance.now();
const f = await corpusFigures(DIR, manifest);
const matrixMs = performance.now() - started;

const rawStm32 = manifest.images.filter((i) => i.stm32 && i.address).length;
console.log(`corpus: ${f.images} images (${f.stm32} STM32, ${f.nonStm32} not STM32)`);
console.log(
	`family named correctly without -s: ${f.namedWithoutAddress.length}/${f.stm32} = ${percent(f.namedWithoutAddress.length, f.stm32)}   (target >= 97 %)`,
);
console.log(
	`family named correctly with the right -s: ${f.namedWithAddress.length}/${f.stm32} = ${percent(f.namedWithAddress.length, f.stm32)}   (${rawStm32} raw binaries given their -s)`,
);
for (const v of f.missedWithoutAddress)
	console.log(
		`  missed: ${v.image.file} (${v.image.family}): ${v.error ? `error: ${v.error}` : (v.named ?? "no family named")}`,
	);
console.log(`non-STM32 called not-STM32: ${f.calledNotStm32.length}/${f.nonStm32}   (target: all)`);
console.log(
	`  of which with their own part family named: ${f.otherPartNamed.length}/${f.nonStm32}`,
);
for (const v of f.nonStm32Missed)
	console.log(
		`  missed: ${v.image.file} (${v.image.part}): ${v.error ? `error: ${v.error}` : `named ${v.named ?? "nothing"}`}`,
	);
console.log(
	`cross matrix: ${f.pairs} pairs, ${f.images} images x ${f.chips.length} chips (${f.chips.map((c) => c.name).join(", ")})`,
);
console.log(`wrong-family pairs let through: ${f.wrongFamilyPasses.length}   (target 0)`);
for (const p of f.wrongFamilyPasses) console.log(pairLine(p));
console.log(
	`same-family pairs blocked for their family: ${f.sameFamilyFamilyBlocks.length}   (target 0)`,
);
for (const p of f.sameFamilyFamilyBlocks) console.log(pairLine(p));
console.log(
	`same-family pairs blocked for another reason (size, placement, RAM, part): ${f.sameFamilyOtherBlocks.length}`,
);
for (const p of f.sameFamilyOtherBlocks) console.log(pairLine(p));

const big = await twoMebibyteImage(DIR, manifest);
const f407 = chipByName("STM32F407");
const plain: number[] = [];
const withChip: number[] = [];
for (let i = 0; i < 7; i++) {
	let t = performance.now();
	inspect(big);
	plain.push(performance.now() - t);
	t = performance.now();
	inspect(big, f407 ? { chip: f407 } : {});
	withChip.push(performance.now() - t);
}
console.log(
	`inspect of a 2 MiB image (${big.source}): ${median(plain).toFixed(1)} ms, with --chip STM32F407 ${median(withChip).toFixed(1)} ms   (target < 150 ms; median of 7)`,
);
console.log(
	`whole corpus run (every image, with and without -s, and the matrix): ${(matrixMs / 1000).toFixed(1)} s`,
);
