import { describe, expect, it } from "vitest";
import {
	compareRanges,
	type FlashPlan,
	parseLayout,
	planDownload,
} from "../../source/dfu/index.js";
import { hex, ImageRejectedError } from "../../source/errors.js";
import type { Image } from "../../source/image/image.js";

const F4 = parseLayout("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")!;
const OB = parseLayout("@Option Bytes  /0x1FFFC000/01*016 e")!;

function image(segments: [number, number][], source = "fw.bin"): Image {
	return {
		format: "bin",
		source,
		segments: segments.map(([address, length]) => ({
			address,
			data: Uint8Array.from({ length }, (_, i) => (address + i) & 0xff),
		})),
	};
}

/** The plan as a readable table: what a reviewer checks by eye. */
function table(plan: FlashPlan) {
	return {
		erase: plan.erase.map((e) => `${hex(e.address)}+${e.size / 1024}K`),
		blocks: plan.blocks.map(
			(b) => `${b.setAddress ? "@" : " "}${hex(b.address)} #${b.blockNum} ${b.length}`,
		),
		verify: plan.verify.map((r) => `${hex(r.address)}+${r.length}`),
	};
}

describe("planDownload", () => {
	it("erases only the sector a small image touches and sets the address once", () => {
		const plan = planDownload(image([[0x08000000, 5000]]), {
			layout: F4,
			transferSize: 2048,
			alt: 0,
		});
		expect(table(plan)).toEqual({
			erase: ["0x08000000+16K"],
			blocks: ["@0x08000000 #2 2048", " 0x08000800 #3 2048", "@0x08001000 #2 904"],
			verify: ["0x08000000+5000"],
		});
		expect(plan.sectors).toEqual([{ address: 0x08000000, size: 0x4000, erase: true }]);
	});

	it("refuses a transfer size that would start blocks off the flash write unit", () => {
		const plan = () =>
			planDownload(image([[0x08000000, 100]]), { layout: F4, transferSize: 3, alt: 0 });
		expect(plan).toThrow(ImageRejectedError);
		expect(plan).toThrow(/transfer size 3 is not a multiple of the 4-byte/);
	});

	it("erases every sector across 16K/64K/128K boundaries, and none beyond", () => {
		const plan = planDownload(image([[0x0800c000, 0x14001]]), {
			layout: F4,
			transferSize: 2048,
			alt: 0,
		});
		expect(table(plan).erase).toEqual(["0x0800C000+16K", "0x08010000+64K", "0x08020000+128K"]);
		expect(plan.blocks).toHaveLength(41);
		expect(plan.blocks.filter((b) => b.setAddress).map((b) => hex(b.address))).toEqual([
			"0x0800C000",
			"0x08020000",
		]);
		expect(plan.blocks[39]).toMatchObject({ address: 0x0801f800, blockNum: 41, length: 2048 });
	});

	it("a 300 KiB image at the start of an F4 erases sectors 0-5 only", () => {
		const plan = planDownload(image([[0x08000000, 300 * 1024]]), {
			layout: F4,
			transferSize: 2048,
			alt: 0,
		});
		expect(table(plan).erase).toEqual([
			"0x08000000+16K",
			"0x08004000+16K",
			"0x08008000+16K",
			"0x0800C000+16K",
			"0x08010000+64K",
			"0x08020000+128K",
			"0x08040000+128K",
		]);
		expect(plan.erase.at(-1)!.address + plan.erase.at(-1)!.size).toBeGreaterThanOrEqual(
			0x08000000 + 300 * 1024,
		);
		expect(plan.blocks.filter((b) => b.setAddress)).toHaveLength(1);
		expect(plan.blocks.map((b) => b.blockNum)).toEqual(
			Array.from({ length: 150 }, (_, i) => i + 2),
		);
		expect(plan.summary).toMatchObject({
			operation: "download",
			totalBytes: 300 * 1024,
			transferSize: 2048,
			ranges: [{ address: 0x08000000, size: 300 * 1024 }],
			verify: true,
			leave: false,
			file: "fw.bin",
		});
	});

	it("keeps separate runs for gaps, sharing a sector erase once", () => {
		const plan = planDownload(
			image([
				[0x08000000, 16],
				[0x08000100, 8],
				[0x08004000, 4],
			]),
			{ layout: F4, transferSize: 1024, alt: 0, leave: true },
		);
		expect(table(plan)).toEqual({
			erase: ["0x08000000+16K", "0x08004000+16K"],
			blocks: ["@0x08000000 #2 16", "@0x08000100 #2 8", "@0x08004000 #2 4"],
			verify: ["0x08000000+16", "0x08000100+8", "0x08004000+4"],
		});
		expect(plan.start).toBe(0x08000000);
		expect(plan.summary.leave).toBe(true);
	});

	it("joins adjacent segments into one run", () => {
		const plan = planDownload(
			image([
				[0x08000000, 1024],
				[0x08000400, 1024],
			]),
			{ layout: F4, transferSize: 2048, alt: 0 },
		);
		expect(table(plan).blocks).toEqual(["@0x08000000 #2 2048"]);
		expect(Array.from(plan.blocks[0]!.data.subarray(1022, 1026))).toEqual([0xfe, 0xff, 0x00, 0x01]);
	});

	it("does not erase non-erasable memory (option bytes are written in place)", () => {
		const plan = planDownload(image([[0x1fffc000, 16]]), {
			layout: OB,
			transferSize: 2048,
			alt: 1,
		});
		expect(table(plan)).toEqual({
			erase: [],
			blocks: ["@0x1FFFC000 #2 16"],
			verify: ["0x1FFFC000+16"],
		});
		expect(plan.sectors).toEqual([{ address: 0x1fffc000, size: 16, erase: false }]);
	});

	it("erases nothing after a mass erase, but still lists the sectors", () => {
		const plan = planDownload(image([[0x08000000, 100]]), {
			layout: F4,
			transferSize: 2048,
			alt: 0,
			erase: false,
			verify: false,
		});
		expect(plan.erase).toEqual([]);
		expect(plan.verify).toEqual([]);
		expect(plan.sectors).toEqual([{ address: 0x08000000, size: 0x4000, erase: false }]);
	});

	it("restarts the pointer before wBlockNum would pass 0xFFFF", () => {
		const big = parseLayout("@Ext /0x90000000/256*1Mg")!;
		const plan = planDownload(image([[0x90000000, 70_000 * 16]]), {
			layout: big,
			transferSize: 16,
			alt: 0,
		});
		const restarts = plan.blocks.filter((b) => b.setAddress);
		expect(restarts.map((b) => hex(b.address))).toEqual([
			"0x90000000",
			hex(0x90000000 + 65534 * 16),
		]);
		expect(Math.max(...plan.blocks.map((b) => b.blockNum))).toBe(0xffff);
	});
});

/** What a full flash leaves in [start, start+length): the image's bytes, 0xFF elsewhere. */
function flashed(img: Image, start: number, length: number): Image {
	const data = new Uint8Array(length).fill(0xff);
	for (const s of img.segments) {
		for (let i = 0; i < s.data.length; i++) {
			const at = s.address + i - start;
			if (at >= 0 && at < length) data[at] = s.data[i]!;
		}
	}
	return { format: "bin", source: "device", segments: [{ address: start, data }] };
}

describe("delta planning", () => {
	it("skips sectors that already hold what a full flash would leave, and verifies only the rest", () => {
		const img = image([[0x08003000, 0x2000]]);
		const current = flashed(img, 0x08000000, 0x8000);
		current.segments[0]!.data[0x4800] ^= 1; // 0x08004800: in sector 1
		const plan = planDownload(img, { layout: F4, transferSize: 2048, alt: 0, current });
		expect(table(plan)).toEqual({
			erase: ["0x08004000+16K"],
			blocks: ["@0x08004000 #2 2048", " 0x08004800 #3 2048"],
			// The read-back that found sector 0 unchanged was its verify.
			verify: ["0x08004000+4096"],
		});
		expect(plan.sectors).toEqual([
			{ address: 0x08000000, size: 0x4000, erase: false, unchanged: true },
			{ address: 0x08004000, size: 0x4000, erase: true },
		]);
		expect(plan.start).toBe(0x08003000);
	});

	it("plans nothing to erase, write or verify again when the device already holds the image", () => {
		const img = image([[0x08000000, 100]]);
		const current = flashed(img, 0x08000000, 0x4000);
		const plan = planDownload(img, { layout: F4, transferSize: 2048, alt: 0, current });
		expect(table(plan)).toEqual({ erase: [], blocks: [], verify: [] });
		expect(plan.totalBytes).toBe(0);
		expect(plan.sectors).toEqual([
			{ address: 0x08000000, size: 0x4000, erase: false, unchanged: true },
		]);
	});

	it("rewrites a sector whose image bytes match but whose other bytes are not erased", () => {
		// The erase of a full flash clears the rest of the sector; skipping it would keep old code there.
		const img = image([[0x08000000, 100]]);
		const current = flashed(img, 0x08000000, 0x4000);
		current.segments[0]!.data[0x2000] = 0x00;
		const plan = planDownload(img, { layout: F4, transferSize: 2048, alt: 0, current });
		expect(table(plan)).toEqual({
			erase: ["0x08000000+16K"],
			blocks: ["@0x08000000 #2 100"],
			verify: ["0x08000000+100"],
		});
	});

	it("rewrites a sector whose write-unit padding is not 0xFF", () => {
		// 6 bytes at +3 are written as two 8-byte units padded with 0xFF.
		const img = image([[0x08000003, 6]]);
		const current = flashed(img, 0x08000000, 0x4000);
		current.segments[0]!.data[0x0001] = 0x00;
		const options = { layout: F4, transferSize: 2048, alt: 0, writeAlignment: 8 };
		expect(planDownload(img, { ...options, current }).erase).toHaveLength(1);
		const clean = planDownload(img, {
			...options,
			current: flashed(img, 0x08000000, 0x4000),
		});
		expect(clean.erase).toHaveLength(0);
	});

	it("does not skip a sector the device was not read over in full", () => {
		const img = image([[0x08000000, 100]]);
		const current = flashed(img, 0x08000000, 0x3fff);
		const plan = planDownload(img, { layout: F4, transferSize: 2048, alt: 0, current });
		expect(table(plan).erase).toEqual(["0x08000000+16K"]);
		expect(plan.sectors[0]!.unchanged).toBeUndefined();
	});

	it("reads back whole erasable sectors, merged into contiguous ranges", () => {
		const plan = planDownload(
			image([
				[0x08003000, 0x2000],
				[0x08020010, 4],
			]),
			{ layout: F4, transferSize: 2048, alt: 0 },
		);
		expect(compareRanges(plan, F4).map((r) => `${hex(r.address)}+${r.length / 1024}K`)).toEqual([
			"0x08000000+32K",
			"0x08020000+128K",
		]);
		const ob = planDownload(image([[0x1fffc000, 16]]), { layout: OB, transferSize: 16, alt: 1 });
		expect(compareRanges(ob, OB)).toEqual([]);
	});
});

describe("write alignment", () => {
	it("widens an unaligned flash run to whole write units with 0xFF", () => {
		const plan = planDownload(image([[0x08000003, 6]]), {
			layout: F4,
			transferSize: 2048,
			alt: 0,
			writeAlignment: 8,
		});
		expect(table(plan).blocks).toEqual(["@0x08000000 #2 16"]);
		expect(Array.from(plan.blocks[0]!.data)).toEqual([
			0xff, 0xff, 0xff, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
			0xff,
		]);
		expect(plan.verify).toEqual([{ address: 0x08000000, length: 16, data: plan.blocks[0]!.data }]);
	});

	it("joins runs whose widened units meet, filling the gap with 0xFF", () => {
		const plan = planDownload(
			image([
				[0x08000000, 6],
				[0x08000009, 3],
			]),
			{ layout: F4, transferSize: 2048, alt: 0 },
		);
		expect(table(plan).blocks).toEqual(["@0x08000000 #2 12"]);
		expect(Array.from(plan.blocks[0]!.data)).toEqual([
			0, 1, 2, 3, 4, 5, 0xff, 0xff, 0xff, 9, 10, 11,
		]);
	});

	it("leaves memory that is not erasable exactly as the image says", () => {
		const plan = planDownload(image([[0x1fffc002, 6]]), {
			layout: OB,
			transferSize: 2048,
			alt: 1,
			writeAlignment: 8,
		});
		expect(table(plan).blocks).toEqual(["@0x1FFFC002 #2 6"]);
	});
});

describe("planDownload refusals", () => {
	it("refuses an image running past the end of flash, naming address, segment and file", () => {
		const attempt = () =>
			planDownload(image([[0x080f0000, 0x20000]], "big.bin"), {
				layout: F4,
				transferSize: 2048,
				alt: 0,
			});
		expect(attempt).toThrow(ImageRejectedError);
		expect(attempt).toThrow(
			'big.bin: 0x08100000 (segment 0, offset 65536) is outside the memory map of alt 0 "Internal Flash"',
		);
		try {
			attempt();
		} catch (error) {
			expect((error as ImageRejectedError).details).toMatchObject({
				file: "big.bin",
				address: 0x08100000,
				segment: 0,
			});
		}
	});

	it("refuses a read-only segment", () => {
		const layout = parseLayout("@Flash /0x08000000/02*1Ka,02*1Kg")!;
		expect(() =>
			planDownload(image([[0x08000000, 4]]), { layout, transferSize: 1024, alt: 0 }),
		).toThrow("0x08000000 (segment 0, offset 0) lies in a segment that is not writable");
	});

	it("lets :force through like dfu-util, erasing only what is erasable", () => {
		const plan = planDownload(image([[0x080ff000, 0x2000]]), {
			layout: F4,
			transferSize: 2048,
			alt: 0,
			force: true,
		});
		expect(plan.warnings[0]).toMatch(/^forced: fw.bin: 0x08100000/);
		expect(table(plan)).toEqual({
			erase: ["0x080E0000+128K"],
			blocks: [
				"@0x080FF000 #2 2048",
				" 0x080FF800 #3 2048",
				"@0x08100000 #2 2048",
				" 0x08100800 #3 2048",
			],
			verify: ["0x080FF000+4096", "0x08100000+4096"],
		});
	});

	it("refuses an element for another alt setting and an empty image", () => {
		const other: Image = {
			format: "dfuse",
			source: "x.dfu",
			segments: [{ address: 0x1fffc000, data: new Uint8Array(16), alt: 1 }],
		};
		expect(() => planDownload(other, { layout: F4, transferSize: 2048, alt: 0 })).toThrow(
			"is for alt 1",
		);
		expect(() => planDownload(image([]), { layout: F4, transferSize: 2048, alt: 0 })).toThrow(
			"no data",
		);
	});
});
