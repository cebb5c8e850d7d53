import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { frameStats, withPlainFrames } from "./fast-frames.js";

interface InkOutputClass {
	new (options: {
		width: number;
		height: number;
	}): {
		write(x: number, y: number, text: string, options: { transformers: unknown[] }): void;
		clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
		unclip(): void;
		get(): { output: string; height: number };
	};
	prototype: { get(): { output: string; height: number } };
}

/** Ink's own Output, and the same class as the soak's bundle hands it to withPlainFrames. */
async function outputs() {
	const file = join(dirname(createRequire(import.meta.url).resolve("ink")), "output.js");
	const Output = (await import(pathToFileURL(file).href)).default as InkOutputClass;
	const inkGet = Output.prototype.get;
	const ink = (build: (o: InstanceType<InkOutputClass>) => void, width: number, height: number) => {
		const o = new Output({ width, height });
		build(o);
		return inkGet.call(o);
	};
	withPlainFrames(Output);
	const plain = (
		build: (o: InstanceType<InkOutputClass>) => void,
		width: number,
		height: number,
	) => {
		const o = new Output({ width, height });
		build(o);
		return o.get();
	};
	return { ink, plain };
}

const upper = (line: string) => line.toUpperCase();

describe("frames laid out as plain text", async () => {
	const { ink, plain } = await outputs();
	const frames: [string, (o: InstanceType<InkOutputClass>) => void][] = [
		[
			"text, a transformer, rows left empty",
			(o) => {
				o.write(0, 0, "bringup  Devices", { transformers: [] });
				o.write(2, 2, "1 device\n> 0483:df11", { transformers: [upper] });
			},
		],
		[
			"clipped on all sides, a line past the width",
			(o) => {
				o.clip({ x1: 3, x2: 12, y1: 1, y2: 3 });
				o.write(1, 0, "0123456789abcdefghij\nsecond line here\nthird\nfourth", {
					transformers: [],
				});
				o.unclip();
				o.write(15, 4, "past the right edge", { transformers: [] });
			},
		],
		[
			"the glyphs the screens draw",
			(o) => {
				o.write(0, 0, "──── rule", { transformers: [] });
				o.write(0, 1, "truncated…", { transformers: [] });
			},
		],
	];
	for (const [name, build] of frames)
		it(name, () => {
			const before = frameStats.plain;
			expect(plain(build, 20, 6)).toEqual(ink(build, 20, 6));
			expect(frameStats.plain).toBe(before + 1);
		});

	it("styled or wide text goes through Ink's own code", () => {
		for (const text of ["\u001b[1mbold\u001b[22m", "wide 漢字", "emoji 🙂"]) {
			const build = (o: InstanceType<InkOutputClass>) => o.write(0, 0, text, { transformers: [] });
			const before = frameStats.ink;
			expect(plain(build, 20, 2)).toEqual(ink(build, 20, 2));
			expect(frameStats.ink).toBe(before + 1);
		}
	});
});
