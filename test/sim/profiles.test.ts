import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { HELP } from "../../source/commands/help.js";
import {
	createSimulation,
	PROFILES,
	parseSimSpec,
	SCENARIOS,
	serialFromUid,
} from "../../source/sim/index.js";
import { flashSize, loaderSerial } from "../../source/sim/profiles.js";

/** The layout-string grammar of docs/dfuse-protocol.md §1c, enough to cross-check the profiles' own numbers. */
function parseLayout(name: string) {
	const [, ...rest] = name.split("/");
	const runs: { address: number; sizes: number[] }[] = [];
	for (let i = 0; i + 1 < rest.length; i += 2) {
		const sizes: number[] = [];
		for (const seg of rest[i + 1]!.split(",")) {
			const m = /^(\d+)\*(\d+)\s*([BKM ]?)([a-g])$/.exec(
				seg.trim().replace(/(\d)([a-g])$/, "$1 $2"),
			);
			if (!m) throw new Error(`bad segment ${seg}`);
			const mult = m[3] === "K" ? 1024 : m[3] === "M" ? 1048576 : 1;
			for (let n = 0; n < Number(m[1]); n++) sizes.push(Number(m[2]) * mult);
		}
		runs.push({ address: Number.parseInt(rest[i]!, 16), sizes });
	}
	return runs;
}

describe("chip profiles", () => {
	for (const profile of Object.values(PROFILES)) {
		it(`${profile.id}: layout strings agree with the numbers the memory model uses`, () => {
			for (const alt of profile.alts.filter((a) => !a.misnamed)) {
				const runs = parseLayout(alt.name);
				expect(
					runs.map((r) => ({ address: r.address, size: r.sizes.reduce((a, b) => a + b, 0) })),
				).toEqual(alt.runs);
				if (alt.kind === "flash")
					expect(runs.flatMap((r) => r.sizes)).toEqual(profile.flash.sectors);
			}
			expect(flashSize(profile)).toBe(profile.alts[0]!.runs[0]!.size);
			expect(profile.optionBytes.defaults().map((r) => r.length)).toEqual(
				profile.alts.find((a) => a.kind === "option-bytes")!.runs.map((r) => r.size),
			);
			const id = profile.bootloaderId
				? profile.bootloaderId.address - profile.systemMemory.address
				: 1;
			expect(id).toBeGreaterThan(0);
			expect(id).toBeLessThan(profile.systemMemory.size);
		});
	}

	it("has the sizes and transfer sizes asked for", () => {
		const p = PROFILES;
		expect(
			[p.f407!, p.f411!, p.f429!, p.f746!, p.g474!, p.h743!].map((x) => [
				x.id,
				flashSize(x) / 1024,
				x.usb.transferSize,
				x.usb.bcdDevice,
			]),
		).toEqual([
			["f407", 1024, 2048, 0x2200],
			["f411", 512, 2048, 0x2200],
			["f429", 2048, 2048, 0x2200],
			["f746", 1024, 2048, 0x2200],
			["g474", 512, 1024, 0x0200],
			["h743", 2048, 1024, 0x0200],
		]);
	});

	it("derives the serial from the UID: hex(UID0 + UID2) then the top half of UID1", () => {
		expect(serialFromUid([0x001f0030, 0xb9563036, 0x313b2870])).toBe("315A28A0B956");
		expect(serialFromUid([0xffffffff, 0x00010000, 0x00000002])).toBe("000000010001");
	});

	it("builds the serial by the family's rule: UID, DBGMCU_IDCODE (H743) or one fixed string", () => {
		const uid: [number, number, number] = [0x00200032, 0x3438510e, 0x31373439];
		expect(loaderSerial(PROFILES.f407!, uid)).toBe("3157346B3438");
		// 26: this UID on an H745 still reads 200364500000, the IDCODE-based string.
		expect(loaderSerial(PROFILES.h743!, uid)).toBe("200364500000");
		expect(loaderSerial(PROFILES.f746!, uid)).toBe("STM32FxSTM32");
	});

	it("parses --sim strings", () => {
		expect(parseSimSpec("f407")).toEqual({ profile: "f407", scenario: "healthy" });
		expect(parseSimSpec("h743/wrp")).toEqual({ profile: "h743", scenario: "wrp" });
		expect(parseSimSpec("boot0-high")).toEqual({ profile: "f407", scenario: "boot0-high" });
		expect(parseSimSpec("")).toEqual({ profile: "f407", scenario: "healthy" });
		expect(() => parseSimSpec("f999")).toThrow(/neither a chip profile nor a scenario/);
		expect(() => parseSimSpec("f407/nope")).toThrow(/neither/);
	});
});

describe("--sim help", () => {
	const words = (from: string, to: string) =>
		HELP.slice(HELP.indexOf(from) + from.length, HELP.indexOf(to))
			.split(/[\s;]+/)
			.filter(Boolean);

	it("names every profile, split by whether it stands on a real capture", () => {
		const captured = Object.entries(PROFILES)
			.filter(([, p]) => p.captures.length > 0)
			.map(([id]) => id);
		const inferred = Object.entries(PROFILES)
			.filter(([, p]) => p.captures.length === 0)
			.map(([id]) => id);
		expect(words("against real captures:", "without one").sort()).toEqual(captured.sort());
		expect(words("without one (inferred):", ". Scenarios").sort()).toEqual(inferred.sort());
	});

	it("names every scenario", () => {
		expect(words("Scenarios: ", "--board-file").sort()).toEqual(Object.keys(SCENARIOS).sort());
	});
});

describe("serials of several boards", () => {
	it("each profile's first board keeps its captured serial; a second board of one profile differs", async () => {
		const simulation = createSimulation({ profile: "f407", clock: new VirtualClock() });
		simulation.plug("f401");
		simulation.plug("f407");
		const serials = (await simulation.usb.getDevices()).map((d) => d.serialNumber);
		simulation.close();
		expect(serials[0]).toBe("315A28A0B956");
		expect(serials[1]).toBe("3574364C3034");
		expect(serials[2]).toMatch(/^[0-9A-F]{12}$/);
		expect(serials[2]).not.toBe(serials[0]);
	});
});
