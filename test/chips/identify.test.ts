import { describe, expect, it } from "vitest";
import { identify } from "../../source/chips/identify.js";
import { loadChipIndex } from "../../source/chips/stm32-index.js";

const ST = { vendorId: 0x0483, productId: 0xdf11 };
const alts = (...names: string[]) => names.map((name, alt) => ({ alt, name }));

describe("identify", () => {
	it("names an F405/407 from its 1 MB sector map and F4 option bytes", () => {
		const guess = identify({
			...ST,
			bcdDevice: 0x2200,
			product: "STM32  BOOTLOADER",
			alts: alts(
				"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
				"@Option Bytes  /0x1FFFC000/01*016 e",
				"@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
				"@Device Feature/0xFFFF0000/01*004 e",
			),
		});
		expect(guess).toMatchObject({ name: "STM32F405/407", family: "F4", confidence: "high" });
		expect(guess.flashSize).toBe(1024 * 1024);
		expect(guess.evidence.join(" ")).toContain("0x1FFFC000");
	});

	it("tells F429 from F407 by the dual-bank layout", () => {
		const guess = identify({
			...ST,
			bcdDevice: 0x2200,
			alts: alts(
				"@Internal Flash /0x08000000/04*016Kg,01*064Kg,07*128Kg,04*016Kg,01*064Kg,07*128Kg",
				"@Option Bytes  /0x1FFFC000/01*016 e/0x1FFEC000/01*016 e",
			),
		});
		expect(guess.name).toBe("STM32F427/429");
		expect(guess.flashSize).toBe(2 * 1024 * 1024);
	});

	it("keeps the 512 KB F4 parts apart only when the bootloader ID says which", () => {
		const input = {
			...ST,
			bcdDevice: 0x2200,
			alts: alts(
				"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,03*128Kg",
				"@Option Bytes  /0x1FFFC000/01*016 e",
			),
		};
		const vague = identify(input);
		expect(vague.family).toBe("F4");
		expect(vague.confidence).toBe("medium");
		expect(vague.evidence.join(" ")).toMatch(/F401.*F411.*F446/);
		expect(identify({ ...input, bootloaderId: 0xd0 }).name).toBe("STM32F411");
		expect(identify({ ...input, bootloaderId: 0xd1 }).name).toBe("STM32F401");
	});

	it("tells G4 from L4 by the option-byte and OTP strings", () => {
		const g431 = identify({
			...ST,
			bcdDevice: 0x0200,
			alts: alts(
				"@Internal Flash   /0x08000000/64*02Kg",
				"@Option Bytes   /0x1FFF7800/01*40Be",
				"@OTP Memory   /0x1FFF7000/01*01Ke",
			),
		});
		expect(g431).toMatchObject({ family: "G4", name: "STM32G431/441" });
		const l476 = identify({
			...ST,
			bcdDevice: 0x0200,
			alts: alts(
				"@Internal Flash  /0x08000000/512*0002Kg",
				"@Option Bytes  /0x1FFF7800/01*040 e",
				"@OTP Memory /0x1FFF7000/01*0001Kg",
			),
		});
		// 512 pages of 2 KB: a 1 MB L4, which ST's data has only on the L47x/L48x die.
		expect(l476).toMatchObject({ family: "L4", name: "STM32L47x/48x" });
		const g474 = identify({
			...ST,
			bcdDevice: 0x0200,
			alts: alts(
				"@Internal Flash   /0x08000000/256*02Kg",
				"@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
			),
		});
		expect(g474.name).toBe("STM32G471/473/474/483/484");
	});

	it("recognises H7 by option bytes mapped at 0x5200201C", () => {
		const guess = identify({
			...ST,
			bcdDevice: 0x2200,
			product: "DFU in FS Mode",
			alts: alts("@Internal Flash   /0x08000000/16*128Kg", "@Option Bytes   /0x5200201C/01*128 e"),
		});
		expect(guess).toMatchObject({ family: "H7", confidence: "high" });
		expect(guess.evidence.join(" ")).toContain("0x5200201C");
	});

	it("reads the device ID out of the F105/F107 product string", () => {
		const guess = identify({
			...ST,
			bcdDevice: 0x2000,
			product: "STM32 0x418 DFU Bootloader",
			alts: alts("@Internal Flash  /0x08000000/128*002Kg", "@Option Bytes  /0x1FFFF800/01*016 g"),
		});
		expect(guess).toMatchObject({ name: "STM32F105/107", family: "F1", confidence: "high" });
	});

	it("identifies L0 and F0 loaders by their OB addresses and page sizes", () => {
		expect(
			identify({
				...ST,
				bcdDevice: 0x2200,
				alts: alts("@Internal Flash  /0x08000000/1536*128g", "@Option Bytes  /0x1FF80000/01*032 e"),
			}).family,
		).toBe("L0");
		expect(
			identify({
				...ST,
				bcdDevice: 0x2200,
				alts: alts(
					"@Internal Flash  /0x08000000/064*0002Kg",
					"@Option Bytes  /0x1FFFF800/01*016 e",
				),
			}).name,
		).toBe("STM32F07x");
	});

	it("says unknown for a device that is not an ST loader", () => {
		const guess = identify({
			vendorId: 0x1209,
			productId: 0x0001,
			bcdDevice: 0x100,
			alts: alts("firmware"),
		});
		expect(guess).toMatchObject({ name: "unknown", confidence: "low" });
	});
});

describe("identify with the generated index", () => {
	it("names what the loader facts cannot (a 64 KB STM32L0) from its flash layout", async () => {
		const input = {
			...ST,
			bcdDevice: 0x0200,
			alts: alts("@Internal Flash  /0x08000000/512*128 g"),
		};
		expect(identify(input).confidence).toBe("low");
		const guess = identify(input, await loadChipIndex());
		expect(guess).toMatchObject({
			name: "STM32L0",
			family: "L0",
			confidence: "medium",
			flashSize: 64 * 1024,
		});
		expect(guess.evidence.join(" ")).toContain("STM32L0x3");
	});

	it("names the lines when one layout fits one family only (1 MB in 128 KB sectors: H723/H725)", async () => {
		const guess = identify(
			{ ...ST, bcdDevice: 0x0200, alts: alts("@Internal Flash   /0x08000000/08*128Kg") },
			await loadChipIndex(),
		);
		expect(guess).toMatchObject({ name: "STM32H7", family: "H7", confidence: "medium" });
		expect(guess.evidence.join(" ")).toMatch(/STM32H723\/733, STM32H725\/735/);
	});

	it("says low when the layout fits several families", async () => {
		const guess = identify(
			{ ...ST, bcdDevice: 0x0200, alts: alts("@Internal Flash   /0x08000000/256*08Kg") },
			await loadChipIndex(),
		);
		expect(guess.confidence).toBe("low");
		expect(guess.family.split("/")).toEqual(expect.arrayContaining(["H5", "U5"]));
	});

	it("keeps a confident identification from the loader facts", async () => {
		const guess = identify(
			{
				...ST,
				bcdDevice: 0x2200,
				alts: alts(
					"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
					"@Option Bytes  /0x1FFFC000/01*016 e",
				),
			},
			await loadChipIndex(),
		);
		expect(guess.name).toBe("STM32F405/407");
	});
});
