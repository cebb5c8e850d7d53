/**
 * Just enough of the DfuSe memory-layout grammar (DFUSE.md §1c) to compare a device's strings
 * with the listings in the chip facts. The full parser used for flashing lives in source/dfu/.
 */
export interface LayoutRun {
	start: number;
	pages: { count: number; size: number; type: string }[];
}

export interface ParsedLayout {
	name: string;
	runs: LayoutRun[];
}

const PAGE = /^(\d+)\*(\d+)\s*([BKM])?\s*([a-g])$/i;

function printable(text: string): string {
	return text.replace(/[^\x20-\x7E]/g, "");
}

export function parseLayoutString(text: string): ParsedLayout | undefined {
	const clean = printable(text).trim();
	if (!clean.startsWith("@")) return undefined;
	const fields = clean.slice(1).split("/");
	const name = (fields.shift() ?? "").trim();
	const runs: LayoutRun[] = [];
	while (fields.length >= 2) {
		const address = fields.shift()!.trim();
		const pagesText = fields.shift()!;
		if (!/^0x[0-9a-f]+$/i.test(address)) return undefined;
		const pages: LayoutRun["pages"] = [];
		for (const item of pagesText.split(",")) {
			const m = PAGE.exec(item.trim());
			if (!m) return undefined;
			const unit = (m[3] ?? "B").toUpperCase();
			const multiplier = unit === "K" ? 1024 : unit === "M" ? 1024 * 1024 : 1;
			pages.push({
				count: Number(m[1]),
				size: Number(m[2]) * multiplier,
				type: m[4]!.toLowerCase(),
			});
		}
		runs.push({ start: Number.parseInt(address, 16), pages });
	}
	return runs.length ? { name, runs } : undefined;
}

/** Padding- and type-insensitive form: "0x08000000:4x16384,1x65536|0x1FFEC000:1x16". */
export function layoutSignature(layout: ParsedLayout): string {
	return layout.runs
		.map(
			(r) =>
				`0x${r.start.toString(16).toUpperCase()}:${r.pages.map((p) => `${p.count}x${p.size}`).join(",")}`,
		)
		.join("|");
}

export function layoutBytes(layout: ParsedLayout): number {
	return layout.runs.reduce((sum, r) => sum + r.pages.reduce((s, p) => s + p.count * p.size, 0), 0);
}

/** Same string as a listing, ignoring only non-printable bytes and surrounding spaces. */
export function sameLayoutText(a: string, b: string): boolean {
	return printable(a).trim() === printable(b).trim();
}
