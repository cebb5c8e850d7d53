/**
 * The inspector's speed target (issue 9): `inspect` of a 2 MiB image under 150 ms. The image is
 * real code: the largest STM32 raw binary of the corpus repeated to 2 MiB, checked against the
 * STM32F407 with the generated chip data loaded, as `bringup inspect --chip F407` does.
 */
import { fileURLToPath } from "node:url";
import { chipByName, loadChipData } from "../chips/index.js";
import { inspect } from "../doctor/inspect.js";
import { twoMebibyteImage } from "./corpus-figures.js";
import { readCorpusManifest } from "./corpus-manifest.js";
import { median } from "./median.js";

const DIR = fileURLToPath(new URL("../../../test/fixtures/corpus/", import.meta.url));

export async function inspectSpeedLine(runs = 7): Promise<string> {
	await loadChipData();
	const big = await twoMebibyteImage(DIR, readCorpusManifest(DIR));
	const chip = chipByName("STM32F407");
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const t = performance.now();
		inspect(big, chip ? { chip } : {});
		times.push(performance.now() - t);
	}
	const first = times[0]!;
	const middle = median(times);
	return `inspect of a 2 MiB image (${big.source}) against the STM32F407: ${middle.toFixed(0)} ms median of ${runs} (first run ${first.toFixed(0)} ms)  target < 150 ms: ${middle < 150 ? "met" : "NOT met"}`;
}
