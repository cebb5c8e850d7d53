import { describe, expect, it } from "vitest";
import { parseLayout, planDownload } from "../../source/dfu/index.js";
import {
	estimateFlash,
	parallelismFor,
	parseVolts,
	rangeForVolts,
} from "../../source/dfu/supply-range.js";
import { UsageError } from "../../source/errors.js";

const F4 = parseLayout("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg")!;

describe("supply voltage → Device Feature range (AN2606 Table 4)", () => {
	it("maps volts to the range whose lower bound they reach", () => {
		expect([1.8, 2.0, 2.1, 2.4, 2.69, 2.7, 3.3, 3.6].map(rangeForVolts)).toEqual([
			0, 0, 1, 2, 2, 3, 3, 3,
		]);
		expect([0, 1, 2, 3].map((r) => parallelismFor(r as 0 | 1 | 2 | 3))).toEqual([8, 16, 16, 32]);
		expect(parallelismFor(undefined)).toBe(8);
	});

	it("reads 3.3, 3.3V and 3.3 v, and refuses what is not a supply", () => {
		expect(parseVolts("3.3")).toBe(3.3);
		expect(parseVolts("3.3V")).toBe(3.3);
		expect(parseVolts(" 3.3 v")).toBe(3.3);
		for (const bad of ["5", "1.2", "3,3", "high", ""])
			expect(() => parseVolts(bad), bad).toThrow(UsageError);
	});
});

describe("expected flash time", () => {
	it("a 1 MiB F407 flash: DS8626 erase and program times plus full-speed bus time, both widths", () => {
		const data = new Uint8Array(1024 * 1024);
		const plan = planDownload(
			{ format: "bin", source: "a.bin", segments: [{ address: 0x08000000, data }] },
			{ layout: F4, transferSize: 2048, alt: 0 },
		);
		const { bytewiseMs, wordMs } = estimateFlash(plan);
		const bus = (2 * 1024 * 1024) / (13 * 64); // written once, read back once
		// x8: 4×400 + 1200 + 7×2000 ms erase, 16 µs per byte; x32: 4×250 + 550 + 7×1000, 16 µs per word
		expect(bytewiseMs).toBeCloseTo(16800 + 16777.216 + bus, 3);
		expect(wordMs).toBeCloseTo(8550 + 4194.304 + bus, 3);
	});
});
