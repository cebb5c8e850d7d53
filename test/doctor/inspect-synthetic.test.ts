import { describe, expect, it } from "vitest";
import { chipByName } from "../../source/chips/catalog.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import {
	hasBlockingFindings,
	inspect,
	inspectionEvents,
	inspectionToJson,
	recordInspection,
} from "../../source/doctor/inspect.js";
import { writeDfuse } from "../../source/image/dfuse-file.js";
import type { Image } from "../../source/image/image.js";
import { createStore } from "../../source/store/store.js";
import { syntheticImage } from "./inspect-synthetic-image.js";

// The inspector and the chip accessors read the generated chip data (tables below inspect
// while the file loads).
await loadChipData();

const CPACR = 0xe000ed88;
const ids = (image: Image, target: Parameters<typeof inspect>[1] = {}) =>
	inspect(image, target).findings.map((f) => f.id);

describe("family guess on images built in code", () => {
	const cases: [string, number, number, number[], string][] = [
		["F1", 0x20005000, 59, [0x40021018, 0x40010c0c, 0x40010c04], "F1"],
		["F4", 0x20020000, 98, [0x40023830, 0x40020000, 0x40020014, CPACR], "F4"],
		["H7", 0x20020000, 166, [0x580244e0, 0x58020400, 0x58020414, CPACR, 0xe000ef50], "H7"],
		["G0", 0x20009000, 47, [0x40021034, 0x50000000, 0x50000018], "G0"],
		["L0", 0x20005000, 48, [0x4002102c, 0x50000000, 0x50000014], "L0"],
		["U5", 0x200c0000, 142, [0x46020c8c, 0x42020800, 0x42020814, CPACR], "U5"],
		["L1", 0x20014000, 73, [0x4002381c, 0x40020000, 0x40020018], "L1"],
		["WB", 0x20030000, 79, [0x5800004c, 0x48000400, 0x48000414, CPACR], "WB"],
	];
	for (const [label, sp, vectors, literals, family] of cases) {
		it(`recognises ${label} register use`, () => {
			const result = inspect(syntheticImage({ initialSp: sp, vectors, literals }));
			expect(result.guess?.family, JSON.stringify(result.guess?.ranking)).toBe(family);
		});
	}

	it("recognises the family from peripheral bases alone (CMSIS style: base + offset)", () => {
		// RCC->AHB1ENR |= ...: the pool holds the RCC base and the code adds #0x30.
		const image = syntheticImage({
			initialSp: 0x20020000,
			vectors: 98,
			literals: [0x40023800, 0x40020c00, CPACR],
		});
		expect(inspect(image).guess?.family).toBe("F4");
	});

	it("finds no STM32 family in data without peripheral addresses or a vector table", () => {
		const data = new Uint8Array(512).map((_, i) => (i * 37 + 11) & 0xff);
		const result = inspect({
			format: "bin",
			source: "noise.bin",
			segments: [{ address: 0x08000000, data }],
		});
		expect(result.guess).toBeUndefined();
		expect(result.findings.map((f) => f.id)).toContain("vector-table.missing");
		expect(hasBlockingFindings(result)).toBe(true);
	});
});

describe("vector table checks", () => {
	const f407 = chipByName("F407")!;
	const f4Literals = [0x40023830, 0x40020000, CPACR];

	it("accepts a clean F4 image", () => {
		const result = inspect(
			syntheticImage({ initialSp: 0x20020000, vectors: 98, literals: f4Literals }),
			{ chip: f407 },
		);
		expect(result.findings.filter((f) => f.severity !== "info")).toEqual([]);
		expect(hasBlockingFindings(result)).toBe(false);
	});

	it("rejects an initial SP outside the chip's RAM", () => {
		const image = syntheticImage({ initialSp: 0x20080000, vectors: 98, literals: f4Literals });
		const finding = inspect(image, { chip: f407 }).findings.find(
			(f) => f.id === "vector-table.sp-outside-ram",
		);
		expect(finding?.severity).toBe("error");
		expect(finding?.message).toContain("0x20080000");
		expect(finding?.message).toContain("CCMRAM 0x10000000");
	});

	it("accepts the F4's CCM and the H7's DTCM and AXI SRAM as stack memory", () => {
		expect(
			ids(syntheticImage({ initialSp: 0x10010000, vectors: 98, literals: f4Literals }), {
				chip: f407,
			}),
		).not.toContain("vector-table.sp-outside-ram");
		const h7 = chipByName("H743")!;
		for (const sp of [0x20020000, 0x24080000]) {
			expect(ids(syntheticImage({ initialSp: sp, vectors: 166 }), { chip: h7 })).not.toContain(
				"vector-table.sp-outside-ram",
			);
		}
		expect(ids(syntheticImage({ initialSp: 0x24080000, vectors: 98 }), { chip: f407 })).toContain(
			"vector-table.sp-outside-ram",
		);
	});

	it("warns about an SP that is not 8-byte aligned", () => {
		expect(ids(syntheticImage({ initialSp: 0x2001fffc, vectors: 98 }), { chip: f407 })).toContain(
			"vector-table.sp-unaligned",
		);
	});

	it("rejects a reset vector without the Thumb bit", () => {
		const result = inspect(syntheticImage({ initialSp: 0x20020000, vectors: 98, thumb: false }), {
			chip: f407,
		});
		const finding = result.findings.find((f) => f.id === "vector-table.reset-not-thumb");
		expect(finding?.severity).toBe("error");
		expect(finding?.evidence).toMatchObject({ reset: 0x08000188 });
	});

	it("measures the table length and compares it with the chip's", () => {
		const result = inspect(syntheticImage({ initialSp: 0x20020000, vectors: 60 }), { chip: f407 });
		expect(result.vectorTable?.length).toBe(60);
		expect(result.findings.find((f) => f.id === "vector-table.length")?.evidence).toMatchObject({
			length: 60,
			expected: 98,
		});
	});

	it("accepts reserved zero words and F1's BootRAM word after the last interrupt, as ST startup files emit", () => {
		const c031 = syntheticImage({
			initialSp: 0x20003000,
			vectors: 48,
			literals: [0x40021034, 0x50000000],
		});
		c031.segments[0]!.data.fill(0, 45 * 4, 48 * 4);
		const result = inspect(c031, { chip: chipByName("C031")! });
		expect(result.vectorTable).toMatchObject({ length: 45, span: 48 });
		expect(result.findings.map((f) => f.id)).not.toContain("vector-table.length");

		const f103 = syntheticImage({
			initialSp: 0x20005000,
			vectors: 67,
			literals: [0x40021018, 0x40011004],
		});
		const view = new DataView(f103.segments[0]!.data.buffer);
		for (let i = 59; i < 66; i++) view.setUint32(i * 4, 0, true);
		view.setUint32(66 * 4, 0xf108f85f, true); // BootRAM
		const f1 = inspect(f103, { chip: chipByName("F103C8")! });
		expect(f1.vectorTable?.length).toBe(59);
		expect(f1.findings.filter((f) => f.severity !== "info")).toEqual([]);
		expect(f1.guess?.part).toBe("STM32F101/102/103 medium density");
	});

	it("only warns about an image linked at the 0x00000000 boot alias of an F4", () => {
		const image = syntheticImage({ initialSp: 0x20020000, vectors: 98, linkBase: 0 });
		const f4 = inspect(image, { chip: f407 }).findings;
		expect(f4.find((f) => f.id === "link-address.boot-alias")?.severity).toBe("warning");
		expect(f4.filter((f) => f.severity === "error")).toEqual([]);
		// A U5 (Cortex-M33) has no such alias: there it is an error.
		const u5 = inspect(syntheticImage({ initialSp: 0x20020000, vectors: 142, linkBase: 0 }), {
			chip: chipByName("U575")!,
		}).findings;
		expect(u5.find((f) => f.id === "link-address.mismatch")?.severity).toBe("error");
	});

	it("finds the link address from the handlers when it differs from the write address", () => {
		const image = syntheticImage({
			initialSp: 0x20020000,
			vectors: 98,
			linkBase: 0x08004000,
			codeBytes: 2000,
		});
		const link = inspect(image, { chip: f407 }).findings.find(
			(f) => f.id === "link-address.mismatch",
		);
		expect(link?.evidence).toMatchObject({ linkAddress: 0x08004000, writeAddress: 0x08000000 });
	});
});

describe("placement checks", () => {
	it("refuses a .dfu container about to be written as raw data", () => {
		const inner = syntheticImage({ initialSp: 0x20020000, vectors: 98 });
		const dfu = writeDfuse({ ...inner, format: "dfuse" });
		const raw: Image = {
			format: "bin",
			source: "app.dfu",
			segments: [{ address: 0x08000000, data: dfu }],
		};
		const finding = inspect(raw, { chip: chipByName("F407")! }).findings.find(
			(f) => f.id === "image.dfuse-as-raw",
		);
		expect(finding?.severity).toBe("error");
		expect(finding?.message).toContain("DfuSe");
	});

	it("rejects an image larger than the chip's flash", () => {
		const image = syntheticImage({ initialSp: 0x20001800, vectors: 48, codeBytes: 40 * 1024 });
		const finding = inspect(image, { chip: chipByName("F042")! }).findings.find(
			(f) => f.id === "image.too-large",
		);
		expect(finding?.evidence).toMatchObject({ flash: 32 * 1024 });
	});

	it("rejects an image reaching past the device's writable layout", () => {
		const image = syntheticImage({ initialSp: 0x20020000, vectors: 98, codeBytes: 20 * 1024 });
		const layout = {
			name: "Internal Flash",
			segments: [
				{
					start: 0x08000000,
					count: 1,
					pageSize: 16 * 1024,
					readable: true,
					erasable: true,
					writable: true,
				},
				{
					start: 0x08004000,
					count: 1,
					pageSize: 16 * 1024,
					readable: true,
					erasable: false,
					writable: false,
				},
			],
		};
		const finding = inspect(image, { chip: chipByName("F407")!, layout }).findings.find(
			(f) => f.id === "image.not-writable",
		);
		expect(finding?.evidence).toMatchObject({ address: 0x08004000 });
	});

	it("rejects an image written outside flash", () => {
		const image = syntheticImage({ initialSp: 0x20020000, vectors: 98, base: 0x20000000 });
		expect(ids(image, { chip: chipByName("F407")! })).toContain("image.outside-flash");
	});
});

describe("reporting", () => {
	const image = syntheticImage({
		initialSp: 0x20005000,
		vectors: 59,
		literals: [0x40021018, 0x40011004, 0x4001100c],
		source: "blink.bin",
	});
	const result = inspect(image, { chip: chipByName("F407")! });

	it("gives the --json shape", () => {
		const json = inspectionToJson(result);
		expect(json).toMatchObject({
			subject: "blink.bin",
			format: "bin",
			target: "STM32F405/407",
			segments: [{ address: 0x08000000, size: image.segments[0]!.data.length }],
			vectorTable: { address: 0x08000000, initialSp: 0x20005000, length: 59 },
			guess: { family: "F1" },
		});
		expect(json.findings.some((f) => f.id === "family.mismatch" && f.severity === "error")).toBe(
			true,
		);
		expect(JSON.parse(JSON.stringify(json))).toEqual(json);
	});

	it("records one inspect.result and one inspect.finding per finding", () => {
		const events = inspectionEvents(result);
		expect(events[0]?.type).toBe("inspect.result");
		expect(events.slice(1).every((e) => e.type === "inspect.finding")).toBe(true);
		expect(events).toHaveLength(result.findings.length + 1);
		const store = createStore();
		recordInspection(store, result);
		const state = store.getState().inspections["blink.bin"];
		expect(state?.guess?.family).toBe("F1");
		expect(state?.findings.map((f) => f.id)).toEqual(result.findings.map((f) => f.id));
	});
});

describe("family mismatch without peripheral evidence", () => {
	it("does not claim the code touches registers the chip lacks when it names no peripheral", () => {
		// A short vector table and a stack top that the F2 shares with the F407: no register use.
		const image = syntheticImage({ initialSp: 0x20020000, vectors: 2, literals: [] });
		const result = inspect(image, { chip: chipByName("STM32F407")! });
		const mismatch = result.findings.find((f) => f.id === "family.mismatch");
		expect(mismatch, JSON.stringify(result.findings)).toBeDefined();
		expect(mismatch!.message).not.toMatch(/would configure registers|whose RCC is at/);
		expect(mismatch!.message).toMatch(/no peripheral addresses/);
	});
});
