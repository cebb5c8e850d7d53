import { describe, expect, it } from "vitest";
import { identify } from "../../source/chips/identify.js";

/** Flash strings from the ROM-loader listings in docs/dfuse-protocol.md §1c → the family and size they mean. */
const LISTINGS: [string, string, number, string?][] = [
	["@Internal Flash  /0x08000000/032*0001Kg", "F0", 32, "STM32F04x"],
	["@Internal Flash  /0x08000000/064*0002Kg", "F0", 128, "STM32F07x"],
	["@Internal Flash  /0x08000000/128*0002Kg", "F3", 256, "STM32F302/303xB/C"],
	["@Internal Flash  /0x08000000/04*016Kg,01*64Kg,03*128Kg", "F7", 512, "STM32F72x/73x"],
	["@Internal Flash  /0x08000000/04*032Kg,01*128Kg,03*256Kg", "F7", 1024, "STM32F745/746/756"],
	["@Internal Flash  /0x08000000/04*032Kg,01*128Kg,07*256Kg", "F7", 2048, "STM32F765/767/769"],
	["@Internal Flash  /0x08000000/04*016Kg,01*064Kg,11*128Kg", "F4", 1536, "STM32F413/423"],
	["@Internal Flash   /0x08000000/256*04Kg", "WB", 1024, "STM32WB55/35"],
	["@Internal Flash  /0x08000000/1024*256 g", "L1", 256, "STM32L15x cat.3"],
];

describe("identify from flash layout strings alone", () => {
	for (const [text, family, kb, part] of LISTINGS) {
		it(`${text.trim()} → ${part ?? family}`, () => {
			const guess = identify({
				vendorId: 0x0483,
				productId: 0xdf11,
				bcdDevice: 0x2200,
				alts: [{ alt: 0, name: text }],
			});
			expect(guess.family).toBe(family);
			expect(guess.flashSize).toBe(kb * 1024);
			if (part) expect(guess.name).toBe(part);
			expect(guess.evidence.length).toBeGreaterThan(0);
		});
	}

	it("tolerates non-printable bytes in a layout string", () => {
		const guess = identify({
			vendorId: 0x0483,
			productId: 0xdf11,
			bcdDevice: 0x2200,
			alts: [
				{ alt: 0, name: "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg\u0000\u0001" },
			],
		});
		expect(guess.name).toBe("STM32F405/407");
	});

	it("lowers its confidence when the bootloader ID contradicts the layout", () => {
		const guess = identify({
			vendorId: 0x0483,
			productId: 0xdf11,
			bcdDevice: 0x2200,
			alts: [{ alt: 0, name: "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg" }],
			bootloaderId: 0xd0,
		});
		expect(guess.confidence).toBe("medium");
		expect(guess.evidence.join("\n")).toContain("bootloader ID 0xD0 does not match STM32F405/407");
	});
});
