import { beforeAll, describe, expect, it } from "vitest";
import { chipByName } from "../../source/chips/index.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { partMentions, tallyMentions } from "../../source/doctor/evidence-strings.js";
import { inspect } from "../../source/doctor/inspect.js";
import { parseArmAttributes } from "../../source/image/arm-attributes.js";
import { parseElf } from "../../source/image/elf.js";
import type { Image } from "../../source/image/image.js";
import { fixture as imageFixture } from "../image/fixtures.js";
import { fixture } from "./inspect-fixture-files.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

function utf16(text: string): number[] {
	return text.split("").flatMap((c) => [c.charCodeAt(0), 0]);
}

function raw(data: Uint8Array, address = 0x08000000): Image {
	return { format: "bin", source: "test.bin", segments: [{ address, data }] };
}

describe("part names carried in the image", () => {
	it("reads a USB product string (UTF-16) and names the part", () => {
		const data = new Uint8Array(512);
		data.set([26, 3, ...utf16("STM32G474CE DFU")], 200);
		const [g4] = tallyMentions(partMentions(raw(data)));
		expect(g4).toMatchObject({ family: "G4", stm32: true });
		expect(g4?.examples[0]?.where).toBe("0x080000CA");
	});

	it("reads libopencm3 paths and HAL file names from an ELF's debug strings", () => {
		const image: Image = {
			...raw(new Uint8Array(16)),
			unloaded: [
				{
					name: ".debug_str",
					data: new TextEncoder().encode("\0/src/libopencm3/lib/stm32/l0/rcc.c\0"),
				},
			],
			sourceFiles: ["system_stm32l0xx.c"],
		};
		const tally = tallyMentions(partMentions(image));
		expect(tally[0]).toMatchObject({ family: "L0", count: 2 });
		expect(tally[0]?.examples.map((e) => e.where)).toEqual([".debug_str+0x1", "ELF file symbol"]);
	});

	it("names other vendors' parts as not STM32", () => {
		const data = new TextEncoder().encode("xx Feather nRF52832 yy");
		expect(tallyMentions(partMentions(raw(data)))[0]).toMatchObject({
			family: "nRF52",
			stm32: false,
		});
	});
});

describe("ELF build attributes", () => {
	it("reads the CPU and architecture GCC recorded", () => {
		const image = parseElf(imageFixture("blinky.elf"), "blinky.elf");
		expect(image.attributes).toMatchObject({ cpuName: "7E-M", cpuArch: 13, profile: "M" });
	});

	it("refuses a section that is not format 'A' with a typed error naming the offset", () => {
		expect(() => parseArmAttributes(Uint8Array.of(0x42, 0, 0), "x.elf", 0x100)).toThrow(
			/offset 0x100 \(256\): \.ARM\.attributes: format version 66/,
		);
	});
});

describe("what the code needs from the core", () => {
	it("blocks Thumb-2 code on a Cortex-M0+ part, naming the first instructions", () => {
		const r = inspect(fixture("stm32f407-c.bin"), { chip: chipByName("STM32G071")! });
		const t2 = r.findings.find((f) => f.id === "core.thumb2");
		expect(t2?.severity).toBe("error");
		expect(t2?.message).toMatch(
			/Cortex-M0\+ cannot execute .* first: [0-9a-f]{4} [0-9a-f]{4} at 0x080/,
		);
	});

	it("lets ARMv6-M code run on a bigger core (no Thumb-2 finding for an F0 image on an F4)", () => {
		const r = inspect(fixture("stm32f0.bin"), { chip: chipByName("STM32F407")! });
		expect(r.findings.map((f) => f.id)).not.toContain("core.thumb2");
		expect(r.guess?.features?.thumb2.count).toBe(0);
	});

	it("blocks Cortex-M7 cache maintenance on a core without a cache", () => {
		const r = inspect(fixture("stm32f7.bin"), { chip: chipByName("STM32F407")! });
		expect(r.findings.find((f) => f.id === "cache.missing")?.severity).toBe("error");
	});
});

describe("layouts only other vendors use", () => {
	it("calls an ESP-IDF image an ESP32 from its header", () => {
		const data = new Uint8Array(64);
		data.set([0xe9, 3, 2, 0x20, 0x1c, 0x06, 0x08, 0x40]);
		const r = inspect(raw(data, 0), { chip: chipByName("STM32F407")! });
		expect(r.guess).toMatchObject({ family: "ESP32", stm32: false });
		expect(r.findings.find((f) => f.id === "family.not-stm32")?.severity).toBe("error");
	});

	it("calls RISC-V code at the image start RISC-V (GD32VF103, CH32V)", () => {
		const data = new Uint8Array(64);
		new DataView(data.buffer).setUint32(0, 0x0040006f, true); // j +4
		const r = inspect(raw(data));
		expect(r.guess).toMatchObject({ family: "RISC-V", stm32: false });
	});

	it("calls code linked below 0x08000000 not an STM32", () => {
		const r = inspect(fixture("nrf52.bin", 0x26000), { address: 0x26000 });
		expect(r.guess?.stm32).toBe(false);
	});
});
