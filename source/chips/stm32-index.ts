/**
 * The small index of the generated chip data that naming a DFU device needs: which parts have
 * which flash layout (in layout-signature.ts form). About 40 KB, loaded on first use by
 * `loadChipIndex()` in a chunk of its own, apart from the full data.
 */
import type { RawIndexEntry } from "./stm32-data-format.js";
import { shortFamily } from "./stm32-part.js";

export interface IndexedPart {
	/** "STM32H723VG". */
	name: string;
	/** Short family name: "H7". */
	family: string;
	/** ST's line: "STM32H723/733". */
	line: string;
	deviceId: number;
}

export interface ChipIndex {
	/** Parts whose flash (in any of their memory configurations) has this layout signature. */
	byLayout(signature: string): readonly IndexedPart[];
}

export function buildChipIndex(entries: readonly RawIndexEntry[]): ChipIndex {
	const bySignature = new Map<string, IndexedPart[]>();
	for (const e of entries)
		for (const layout of e.layouts) {
			const at = layout.indexOf("=");
			const signature = layout.slice(0, at);
			const list = bySignature.get(signature) ?? [];
			for (const name of layout.slice(at + 1).split(","))
				list.push({
					name: `STM32${name}`,
					family: shortFamily(e.family),
					line: e.line,
					deviceId: e.deviceId,
				});
			bySignature.set(signature, list);
		}
	return { byLayout: (signature) => bySignature.get(signature) ?? [] };
}

let loading: Promise<ChipIndex> | undefined;

/** Loads the index once; later calls return the same object. */
export function loadChipIndex(): Promise<ChipIndex> {
	loading ??= import("./generated/stm32-index.js").then((m) => buildChipIndex(m.STM32_INDEX));
	return loading;
}
