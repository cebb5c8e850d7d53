import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { chipByName } from "../../source/chips/index.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { inspect } from "../../source/doctor/inspect.js";
import { vtorAlignment } from "../../source/doctor/inspect-boot-findings.js";
import { inferLinkAddress } from "../../source/doctor/link-address.js";
import { loadImageBytes } from "../../source/image/load.js";
import { fixtureBytes } from "./inspect-fixture-files.js";
import { syntheticImage } from "./inspect-synthetic-image.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

/** An F4 image linked at `link` whose handlers sit near its start and whose code points at its tail. */
function linkedAt(link: number) {
	const size = 98 * 4 + 96 + 3000 * 4;
	const tail = Array.from({ length: 3000 }, (_, k) =>
		k % 3 === 0 ? link + size - 4 * (k + 1) : 0x20000100 + k * 4,
	);
	return syntheticImage({ base: link, initialSp: 0x20020000, vectors: 98, literals: tail });
}

describe("link address read from the image", () => {
	it("finds the base of an image linked behind a bootloader", () => {
		const image = linkedAt(0x08004000);
		const link = inferLinkAddress(image.segments[0]!.data);
		expect(link?.address).toBe(0x08004000);
		expect(link?.pointersOutside).toBe(0);
		expect(link?.pointersInside).toBeGreaterThan(900);
	});

	it("reads the fixtures' bases: STM32 flash, behind a bootloader, RP2040 after boot2, nRF52 at 0", () => {
		expect(inferLinkAddress(fixtureBytes("stm32f407.bin"))?.address).toBe(0x08000000);
		expect(inferLinkAddress(fixtureBytes("stm32f407-at-0x08008000.bin"))?.address).toBe(0x08008000);
		expect(inferLinkAddress(fixtureBytes("rp2040.bin"))?.address).toBe(0x10000000);
		expect(inferLinkAddress(fixtureBytes("nrf52.bin"))?.address).toBe(0);
	});

	it("places a bootloader padded to its slot at its own base, though it points at the application behind it", () => {
		// OpenMV3's bootloader: 14 KB of code padded to 128 KB, reading the application's
		// SP and reset vector at 0x08020000 and 0x08020004, the first words after its slot.
		const boot = new Uint8Array(
			readFileSync(
				new URL(
					"../fixtures/corpus/images/openmv/firmware-OPENMV3-bootloader.bin",
					import.meta.url,
				),
			),
		);
		expect(boot.length).toBe(0x20000);
		expect(inferLinkAddress(boot)?.address).toBe(0x08000000);
	});

	it("gives nothing for bytes without a vector table", () => {
		expect(inferLinkAddress(new Uint8Array(256).fill(0x5a))).toBeUndefined();
		expect(inferLinkAddress(new Uint8Array(3))).toBeUndefined();
	});

	it("blocks -s below the link address even when every handler would still land inside", () => {
		const image = linkedAt(0x08002000);
		const r = inspect(image, { chip: chipByName("F407")!, address: 0x08000000 });
		const mismatch = r.findings.find((f) => f.id === "link-address.mismatch");
		expect(mismatch?.severity).toBe("error");
		expect(mismatch?.evidence).toMatchObject({ linkAddress: 0x08002000, writeAddress: 0x08000000 });
		expect(mismatch?.message).toMatch(/0x08002000.*0x08000000/);
		const right = inspect(image, { chip: chipByName("F407")!, address: 0x08002000 });
		expect(right.findings.filter((f) => f.severity === "error")).toEqual([]);
	});
});

describe("one link address for a raw binary, whichever rule finds it", () => {
	const file = "STM32CubeF4/STM324xG_EVAL-STM324xG_EVAL_HTTP_Server.bin";
	const http = new Uint8Array(
		readFileSync(new URL(`../fixtures/corpus/images/${file}`, import.meta.url)),
	);
	const at = (address: number) => loadImageBytes(http, file, { address });
	const links = (address: number) =>
		inspect(at(address), { chip: chipByName("F407")!, address })
			.findings.filter((f) => f.id.startsWith("link-address"))
			.map((f) => f.evidence?.linkAddress);

	it("the ST F4 HTTP server demo was linked at 0x08020000: its reset handler is code there, CSS text 64 KB higher", () => {
		const reset = new DataView(http.buffer).getUint32(4, true) & ~1;
		expect(reset).toBe(0x08038d7c);
		const under = (base: number) => http.subarray(reset - base, reset - base + 8);
		// LDR r0, [pc, #4]; BLX r0; LDR r0, [pc, #4]; BX r0: a reset handler calling SystemInit.
		expect([...under(0x08020000)]).toEqual([0x01, 0x48, 0x80, 0x47, 0x01, 0x48, 0x00, 0x47]);
		expect(new TextDecoder().decode(under(0x08030000))).toBe("l; -moz-");
		expect(inferLinkAddress(http)?.address).toBe(0x08020000);
	});

	it("so every placement finding names 0x08020000: below it, above it, and none at it", () => {
		// Written at 0x08000000 or 0x08010000 its handlers fall outside it (the vector rule);
		// at 0x08030000 they still fit, and its pointers decide.
		expect(links(0x08000000)).toEqual([0x08020000]);
		expect(links(0x08010000)).toEqual([0x08020000]);
		expect(links(0x08030000)).toEqual([0x08020000]);
		expect(links(0x08020000)).toEqual([]);
	});

	it("the roundest base that holds the handlers does not outvote the image's own pointers", () => {
		// Handlers 96 KB into an image linked at 0x08020000: 0x08030000 would hold them too, but
		// the code's pointers into its first pages only land inside it at 0x08020000.
		const tableBytes = 98 * 4;
		const codeBytes = 0x18000;
		const image = syntheticImage({
			base: 0x08000000,
			linkBase: 0x08020000,
			initialSp: 0x20020000,
			vectors: 98,
			codeBytes,
			resetOffset: tableBytes + codeBytes - 0x40,
			literals: Array.from({ length: 2000 }, (_, k) => 0x08021000 + k * 8),
		});
		expect(inferLinkAddress(image.segments[0]!.data)?.address).toBe(0x08020000);
		const r = inspect(image, { chip: chipByName("F407")!, address: 0x08000000 });
		const mismatch = r.findings.filter((f) => f.id === "link-address.mismatch");
		expect(mismatch.map((f) => f.evidence?.linkAddress)).toEqual([0x08020000]);
		expect(mismatch[0]?.message).toMatch(/linked to run at 0x08020000/);
	});
});

describe("where the vector table can sit", () => {
	it("needs a power-of-two alignment covering the table, at least 128 bytes", () => {
		expect(vtorAlignment(16)).toBe(128);
		expect(vtorAlignment(48)).toBe(256);
		expect(vtorAlignment(98)).toBe(512);
		expect(vtorAlignment(166)).toBe(1024);
	});

	it("accepts an F4 table at a 512-byte boundary and blocks it 256 bytes off", () => {
		const ok = inspect(linkedAt(0x08004000), { chip: chipByName("F407")!, address: 0x08004000 });
		expect(ok.findings.map((f) => f.id)).not.toContain("vector-table.misaligned");
		const image = syntheticImage({ base: 0x08004100, initialSp: 0x20020000, vectors: 98 });
		const bad = inspect(image, { chip: chipByName("F407")!, address: 0x08004100 });
		const f = bad.findings.find((x) => x.id === "vector-table.misaligned");
		expect(f?.severity).toBe("error");
		expect(f?.evidence).toMatchObject({ address: 0x08004100, required: 0x200 });
	});

	it("does not apply VTOR alignment to a Cortex-M0 (F0), which has no VTOR, but still needs a word address", () => {
		const f0 = chipByName("F072")!;
		const image = syntheticImage({ base: 0x08000c00, initialSp: 0x20004000, vectors: 48 });
		const r = inspect(image, { chip: f0, address: 0x08000c00 });
		expect(r.findings.map((f) => f.id)).not.toContain("vector-table.misaligned");
		const odd = inspect(image, { chip: f0, address: 0x08000c02 });
		expect(odd.findings.map((f) => f.id)).toContain("vector-table.misaligned");
	});
});
