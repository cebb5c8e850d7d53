import { describe, expect, it } from "vitest";
import {
	decodeOptionBytes,
	OptionBytesFormatError,
	optionFamily,
	readProtectionFinding,
} from "../../source/doctor/option-bytes.js";

const ids = (d: ReturnType<typeof decodeOptionBytes>) => d?.findings.map((f) => f.id) ?? [];
const field = (d: ReturnType<typeof decodeOptionBytes>, name: string) =>
	d?.fields.find((f) => f.name === name)?.value;

/** F4 area as read over DFU: USER, RDP, then nWRP at offset 8 (complements filled in). */
function f4(user: number, rdp: number, nwrp = 0x0fff): Uint8Array {
	const b = new Uint8Array(16).fill(0xff);
	b[0] = user;
	b[1] = rdp;
	b[2] = ~user & 0xff;
	b[3] = ~rdp & 0xff;
	b[8] = nwrp & 0xff;
	b[9] = (nwrp >> 8) & 0xff;
	return b;
}

function le32(b: Uint8Array, at: number, v: number) {
	new DataView(b.buffer).setUint32(at, v >>> 0, true);
}

describe("optionFamily", () => {
	it("maps names from the chips module", () => {
		expect(optionFamily("F4")).toBe("F4");
		expect(optionFamily("STM32F405/407")).toBe("F4");
		expect(optionFamily("L4+")).toBe("L4");
		expect(optionFamily("C0")).toBe("G0");
		expect(optionFamily("F1")).toBeUndefined();
	});
});

describe("F4 option bytes", () => {
	it("factory defaults: level 0, software watchdog, no findings that stop a boot", () => {
		const d = decodeOptionBytes(f4(0xef, 0xaa), "F4");
		expect(d?.rdpLevel).toBe(0);
		expect(field(d, "WDG_SW")).toBe(1);
		expect(field(d, "BOR_LEV")).toBe(3);
		expect(d?.protectedSectors).toEqual([]);
		expect(d?.findings.filter((f) => f.severity !== "info")).toEqual([]);
	});

	it("RDP other than 0xAA/0xCC is level 1, an error naming read protection", () => {
		const d = decodeOptionBytes(f4(0xef, 0x55), "F4");
		expect(d?.rdpLevel).toBe(1);
		const f = d?.findings.find((x) => x.id === "ob.rdp-level1");
		expect(f?.severity).toBe("error");
		expect(f?.evidence?.cause).toBe("read-protection");
		expect(f?.message).toContain("Fix:");
		expect(decodeOptionBytes(f4(0xef, 0xcc), "F4")?.rdpLevel).toBe(2);
	});

	it("WDG_SW = 0 is a hardware watchdog warning", () => {
		const d = decodeOptionBytes(f4(0xcf, 0xaa), "F4");
		const f = d?.findings.find((x) => x.id === "ob.iwdg-hardware");
		expect(f?.severity).toBe("warning");
		expect(f?.evidence?.cause).toBe("watchdog");
	});

	it("says the watchdog and brown-out facts as typed values, not only in words", () => {
		const hardware = decodeOptionBytes(f4(0xc3, 0xaa), "F4");
		expect(hardware?.hardwareWatchdog).toBe(true);
		expect(hardware?.brownOutVolts).toBe(2.7);
		const defaults = decodeOptionBytes(f4(0xef, 0xaa), "F4");
		expect(defaults?.hardwareWatchdog).toBe(false);
		expect(defaults).not.toHaveProperty("brownOutVolts");
		expect(decodeOptionBytes(f4(0xeb, 0xaa), "F4")?.brownOutVolts).toBe(2.1);
	});

	it("decodes BOR level 3 and reset on Stop/Standby", () => {
		const d = decodeOptionBytes(f4(0x23, 0xaa), "F4");
		expect(field(d, "BOR_LEV")).toBe(0);
		expect(ids(d)).toEqual(
			expect.arrayContaining(["ob.bor-level", "ob.nrst-stop", "ob.nrst-stdby"]),
		);
	});

	it("write protection on sector 0 is an error when the image lies there", () => {
		const d = decodeOptionBytes(f4(0xef, 0xaa, 0x0ffe), "F4", {
			imageRanges: [{ address: 0x08000000, size: 0x2000 }],
		});
		expect(d?.protectedSectors).toEqual([0]);
		const f = d?.findings.find((x) => x.id === "ob.wrp");
		expect(f?.severity).toBe("error");
		expect(f?.evidence?.cause).toBe("write-protection");
	});

	it("write protection away from the image is only a warning", () => {
		const d = decodeOptionBytes(f4(0xef, 0xaa, 0x07ff), "F4", {
			imageRanges: [{ address: 0x08000000, size: 0x2000 }],
		});
		expect(d?.protectedSectors).toEqual([11]);
		expect(d?.findings.find((x) => x.id === "ob.wrp")?.severity).toBe("warning");
	});

	it("F42x/43x: nWRP of sectors 12-23 come from the second run", () => {
		const bank2 = new Uint8Array(16).fill(0xff);
		bank2[8] = 0xfd; // sector 13
		bank2[9] = 0xff;
		const sectors = Array.from({ length: 24 }, (_, i) => ({
			address: 0x08000000 + i * 0x4000,
			size: 0x4000,
		}));
		const d = decodeOptionBytes(f4(0xef, 0xaa), "F4", {
			part: "STM32F427/429",
			secondRun: bank2,
			sectors,
		});
		expect(d?.protectedSectors).toEqual([13]);
		expect(field(d, "nWRP (sectors 12-23)")).toBe(0xffd);
	});

	it("BFB2 only counts on F42x/43x", () => {
		const user = 0xff; // bit 4 set
		expect(ids(decodeOptionBytes(f4(user, 0xaa), "F4", { part: "STM32F405/407" }))).not.toContain(
			"ob.bfb2",
		);
		expect(ids(decodeOptionBytes(f4(user, 0xaa), "F4", { part: "STM32F427/437" }))).toContain(
			"ob.bfb2",
		);
	});

	it("rejects too few bytes", () => {
		expect(() => decodeOptionBytes(new Uint8Array(4), "F4")).toThrow(OptionBytesFormatError);
	});
});

describe("F7 option bytes", () => {
	const f7 = (bootAdd0: number, user = 0xff) => {
		const b = new Uint8Array(32).fill(0xff);
		b[0] = user;
		b[1] = 0xaa;
		b[16] = bootAdd0 & 0xff;
		b[17] = bootAdd0 >> 8;
		b[24] = 0x40;
		b[25] = 0x00;
		return b;
	};
	it("BOOT_ADD0 at flash is fine, at system memory or nowhere is an error", () => {
		expect(ids(decodeOptionBytes(f7(0x0080), "F7"))).not.toContain("ob.boot-add0");
		expect(ids(decodeOptionBytes(f7(0x2000), "F7"))).not.toContain("ob.boot-add0");
		const loader = decodeOptionBytes(f7(0x0040), "F7");
		expect(loader?.findings.find((f) => f.id === "ob.boot-add0")?.message).toContain(
			"system memory",
		);
		expect(ids(decodeOptionBytes(f7(0xffff), "F7"))).toContain("ob.boot-add0");
	});
	it("the IWDG_STOP/IWDG_STDBY bits above nWRP are not sectors", () => {
		const b = f7(0x0080);
		b[8] = 0xff;
		b[9] = 0xc0;
		expect(decodeOptionBytes(b, "F7")?.protectedSectors).toEqual([]);
		b[8] = 0xfd;
		expect(decodeOptionBytes(b, "F7")?.protectedSectors).toEqual([1]);
	});
	it("IWDG_SW = 0 is a hardware watchdog", () => {
		expect(ids(decodeOptionBytes(f7(0x0080, 0xdf), "F7"))).toContain("ob.iwdg-hardware");
	});
});

describe("G0/G4/L4/WB option bytes", () => {
	const optr = (v: number, wrpA = 0x000000ff) => {
		const b = new Uint8Array(40).fill(0xff);
		le32(b, 0, v);
		le32(b, 4, ~v);
		le32(b, 0x18, wrpA);
		le32(b, 0x20, 0x000000ff);
		return b;
	};
	// L4 defaults: RDP AA, nBOOT0 = 1, nSWBOOT0 = 1, nBOOT1 = 1, IWDG_SW = 1.
	const l4Default = 0xffeff8aa;

	it("L4 defaults: the pin decides, nothing blocks", () => {
		const d = decodeOptionBytes(optr(l4Default), "L4");
		expect(d?.hardwareWatchdog).toBe(false);
		expect(decodeOptionBytes(optr(l4Default & ~(1 << 16)), "L4")?.hardwareWatchdog).toBe(true);
		expect(d?.rdpLevel).toBe(0);
		expect(field(d, "nSWBOOT0")).toBe(1);
		expect(d?.findings.filter((f) => f.severity === "error")).toEqual([]);
	});

	it("L4/G4/WB: nSWBOOT0 = 0 and nBOOT0 = 0 force the bootloader", () => {
		const forced = l4Default & ~(1 << 26) & ~(1 << 27);
		for (const family of ["L4", "G4", "WB"]) {
			const f = decodeOptionBytes(optr(forced), family)?.findings.find(
				(x) => x.id === "ob.nboot0-forced",
			);
			expect(f?.severity).toBe("error");
			expect(f?.evidence?.cause).toBe("boot-option");
			expect(f?.message).toContain("nBOOT0 = 1");
		}
	});

	it("L4/G4: BFB2 = 1 is a boot-option error", () => {
		expect(ids(decodeOptionBytes(optr(l4Default), "G4"))).not.toContain("ob.bfb2");
		const d = decodeOptionBytes(optr(l4Default | (1 << 20)), "L4");
		expect(d?.findings.find((f) => f.id === "ob.bfb2")?.evidence?.cause).toBe("boot-option");
	});

	it("nSWBOOT0 = 0 with nBOOT0 = 1 boots flash and ignores the pin", () => {
		const d = decodeOptionBytes(optr(l4Default & ~(1 << 26)), "G4");
		expect(ids(d)).toContain("ob.boot0-pin-ignored");
		expect(ids(d)).not.toContain("ob.nboot0-forced");
	});

	it("G0: nBOOT_SEL = 1 with nBOOT0 = 0 forces the bootloader; nBOOT_SEL = 0 leaves it to the pin", () => {
		const g0 = 0xdeffe1aa; // nBOOT_SEL (24) = 0, nBOOT0 (26) = 1
		expect(field(decodeOptionBytes(optr(g0), "G0"), "nBOOT_SEL")).toBe(0);
		expect(ids(decodeOptionBytes(optr(g0), "G0"))).not.toContain("ob.nboot0-forced");
		const forced = (g0 | (1 << 24)) & ~(1 << 26);
		expect(ids(decodeOptionBytes(optr(forced), "G0"))).toContain("ob.nboot0-forced");
	});

	it("a WRP area with start <= end protects those pages", () => {
		const d = decodeOptionBytes(optr(l4Default, 0x00010000), "L4");
		expect(d?.protectedSectors).toEqual([0, 1]);
		expect(d?.findings.find((f) => f.id === "ob.wrp")?.severity).toBe("error");
	});

	it("G4 WRP start/end are 7 bits: 0xFF00FFFF protects nothing, 0xFF05FF85 protects page 5 only", () => {
		expect(decodeOptionBytes(optr(l4Default, 0xff00ffff), "G4")?.protectedSectors).toEqual([]);
		expect(decodeOptionBytes(optr(l4Default, 0xff05ff85), "G4")?.protectedSectors).toEqual([5]);
	});

	it("G4 dual bank: WRP areas of bank 2 count after bank 1's pages", () => {
		const sectors = Array.from({ length: 256 }, (_, i) => ({
			address: 0x08000000 + i * 2048,
			size: 2048,
		}));
		const bank2 = optr(0xffffffff, 0xff03ff83);
		const d = decodeOptionBytes(optr(l4Default), "G4", { secondRun: bank2, sectors });
		expect(d?.protectedSectors).toEqual([131]);
	});

	it("IWDG_SW = 0 and RDP level 1 are found", () => {
		const d = decodeOptionBytes(optr((l4Default & ~(1 << 16) & ~0xff) | 0xbb), "L4");
		expect(ids(d)).toEqual(expect.arrayContaining(["ob.iwdg-hardware", "ob.rdp-level1"]));
	});
});

describe("H7 option bytes", () => {
	const h7 = (optsr: number, boot: number, wpsn = 0xff) => {
		const b = new Uint8Array(44).fill(0);
		le32(b, 0, optsr);
		le32(b, 0x1c, wpsn);
		le32(b, 0x24, boot);
		return b;
	};
	const optsr = 0x1bc6aaf0 | (1 << 4); // RDP AA, IWDG1_SW = 1

	it("defaults boot flash with BOOT_ADD0 = 0x0800", () => {
		const d = decodeOptionBytes(h7(optsr, 0x1ff00800), "H7");
		expect(d?.rdpLevel).toBe(0);
		expect(field(d, "BOOT_ADD0")).toBe(0x0800);
		expect(d?.findings.filter((f) => f.severity === "error")).toEqual([]);
	});

	it("BOOT_ADD0 at system memory, SWAP_BANK and WRP are findings", () => {
		const d = decodeOptionBytes(h7((optsr | 0x80000000) >>> 0, 0x1ff01ff0, 0xfe), "H7");
		expect(ids(d)).toEqual(expect.arrayContaining(["ob.boot-add0", "ob.swap-bank", "ob.wrp"]));
		expect(d?.protectedSectors).toEqual([0]);
	});
});

describe("read protection seen as a failed read", () => {
	it("is an error finding naming read protection", () => {
		const f = readProtectionFinding("flash");
		expect(f.severity).toBe("error");
		expect(f.evidence?.cause).toBe("read-protection");
		expect(f.message).toContain("errVENDOR");
	});
	it("families without a decoder give undefined", () => {
		expect(decodeOptionBytes(new Uint8Array(16), "F1")).toBeUndefined();
	});
});
