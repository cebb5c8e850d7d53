import { describe, expect, it } from "vitest";
import { parseArgs } from "../../source/commands/args.js";
import { parseDeviceIds, parseDfuseAddress } from "../../source/commands/dfuse-address.js";
import { UsageError } from "../../source/errors.js";

describe("dfu-util style arguments", () => {
	it("reads a bare dfu-util line as a flash", () => {
		const a = parseArgs(["-d", "0483:df11", "-a", "0", "-s", "0x08000000:leave", "-D", "my.bin"]);
		expect(a.command).toBe("flash");
		expect(a.download).toBe("my.bin");
		expect(a.select.alt).toBe(0);
		expect(a.select.ids).toEqual([{ vendorId: 0x0483, productId: 0xdf11 }]);
		expect(a.dfuse).toMatchObject({ address: 0x08000000, leave: true, force: false });
		expect(a.verify).toBe(true);
	});

	it("keeps -s and -S apart", () => {
		const a = parseArgs(["read", "out.bin", "-S", "315A28A0B956", "-s", "0x08000000:1024"]);
		expect(a.select.serials).toEqual(["315A28A0B956"]);
		expect(a.dfuse).toMatchObject({ address: 0x08000000, length: 1024 });
		expect(a.inputs).toEqual(["out.bin"]);
	});

	it("maps -l, -U and --version to commands", () => {
		expect(parseArgs(["-l"]).command).toBe("list");
		expect(parseArgs(["-U", "x.bin", "-s", "0x08000000:16"]).command).toBe("read");
		expect(parseArgs(["--version"]).command).toBe("version");
		expect(parseArgs([]).command).toBe("app");
	});

	it("reads --sim with and without a value, and --no-verify", () => {
		expect(parseArgs(["list", "--sim"]).sim).toBe("");
		expect(parseArgs(["list"]).sim).toBeUndefined();
		const bare = parseArgs(["flash", "--sim", "my.bin"]);
		expect(bare.sim).toBe("");
		expect(bare.inputs).toEqual(["my.bin"]);
		const a = parseArgs(["flash", "x.bin", "--sim=f407/wrp", "--no-verify"]);
		expect(a.sim).toBe("f407/wrp");
		expect(a.verify).toBe(false);
	});

	it("takes alt settings by name", () => {
		expect(parseArgs(["read", "-a", "@Option Bytes"]).select.alt).toBe("@Option Bytes");
	});

	it("rejects unknown commands, options and modifiers with a usage error", () => {
		expect(() => parseArgs(["frobnicate"])).toThrowError(UsageError);
		expect(() => parseArgs(["list", "--bogus"])).toThrow(/unknown option --bogus/);
		expect(() => parseDfuseAddress("0x08000000:fuse")).toThrow(/unknown -s modifier "fuse"/);
		expect(() => parseDfuseAddress("0xZZ")).toThrow(/not a number/);
		expect(() => parseDeviceIds("04831:df11")).toThrow(/not a hex vendor id/);
	});

	it("parses every -s modifier", () => {
		expect(parseDfuseAddress(":mass-erase:force")).toEqual({
			leave: false,
			massErase: true,
			unprotect: false,
			force: true,
			willReset: false,
		});
		expect(parseDfuseAddress("0x1FFFC000:will-reset")).toMatchObject({
			address: 0x1fffc000,
			willReset: true,
		});
		expect(parseDfuseAddress("0x08000000:0x400")).toMatchObject({ length: 0x400 });
		expect(parseDeviceIds(",0483:df11")).toEqual([{ vendorId: 0x0483, productId: 0xdf11 }]);
		expect(parseDeviceIds(":df11")).toEqual([{ vendorId: undefined, productId: 0xdf11 }]);
	});
});

describe("dfu-util's short flag forms", () => {
	it("takes a value glued to its flag", () => {
		const a = parseArgs(["-a0", "-s0x08000000:leave", "-Dmy.bin", "-t2048"]);
		expect(a.command).toBe("flash");
		expect(a.select.alt).toBe(0);
		expect(a.dfuse).toMatchObject({ address: 0x08000000, leave: true });
		expect(a.download).toBe("my.bin");
		expect(a.select.transferSize).toBe(2048);
	});

	it("takes grouped boolean flags, and a value flag at the end of a group", () => {
		const a = parseArgs(["-lw"]);
		expect(a.command).toBe("list");
		expect(a.select.wait).toBe(true);
		const b = parseArgs(["-Rs", "0x08000000", "-eD", "x.bin"]);
		expect(b.reset).toBe(true);
		expect(b.detach).toBe(true);
		expect(b.dfuse.address).toBe(0x08000000);
		expect(b.download).toBe("x.bin");
	});

	it("reads a whole dfu-util command line with -d, -c, -i, -a, -s, -D", () => {
		const a = parseArgs([
			"-d",
			"0483:df11",
			"-c",
			"1",
			"-i",
			"0",
			"-a",
			"0",
			"-s",
			"0x08000000:mass-erase:force",
			"-D",
			"fw.bin",
		]);
		expect(a).toMatchObject({
			command: "flash",
			download: "fw.bin",
			select: { config: 1, interface: 0, alt: 0 },
			dfuse: { address: 0x08000000, massErase: true, force: true },
		});
	});
});

describe("arguments that would be ignored or misread are refused with a sentence", () => {
	const refusal = (argv: string[]) => {
		try {
			parseArgs(argv);
		} catch (error) {
			expect(error).toBeInstanceOf(UsageError);
			expect((error as UsageError).exitCode).toBe(2);
			return (error as UsageError).message;
		}
		throw new Error(`${argv.join(" ")} was accepted`);
	};

	it("-s -1 is not an address", () => {
		expect(refusal(["flash", "x.bin", "-s", "-1"])).toBe(
			'-s address "-1" is not a number (use decimal or 0x-hex)',
		);
	});

	it("a flag with no value, an unknown flag and a flag given twice", () => {
		expect(refusal(["flash", "x.bin", "-s"])).toBe("-s needs a value");
		expect(refusal(["flash", "-s", "-D", "x.bin"])).toBe("-s needs a value");
		expect(refusal(["list", "-x"])).toBe("unknown option -x");
		expect(refusal(["flash", "-a", "0", "-a", "1", "x.bin"])).toBe(
			"-a is given twice: give it once",
		);
	});

	it("--fault, --board-file and --realtime need --sim", () => {
		expect(refusal(["flash", "x.bin", "--fault", "unplug-at-block=3"])).toBe(
			"--fault works only with the simulated board: add --sim",
		);
		expect(refusal(["read", "o.bin", "--board-file", "b.json"])).toBe(
			"--board-file works only with the simulated board: add --sim",
		);
		expect(refusal(["list", "--realtime"])).toBe(
			"--realtime works only with the simulated board: add --sim",
		);
		expect(parseArgs(["sim", "--usbip", "--board-file", "b.json"]).boardFile).toBe("b.json");
	});

	it("flash takes one file, and does not remove read protection", () => {
		expect(refusal(["flash", "a.bin", "b.bin", "-s", "0x08000000"])).toBe(
			"flash takes one image file; got 2: a.bin, b.bin",
		);
		expect(refusal(["-D", "a.bin", "flash", "b.bin"])).toBe(
			"flash takes one image file; got 2: a.bin, b.bin",
		);
		expect(refusal(["flash", "a.hex", "-s", ":unprotect"])).toMatch(
			/^-s \.\.\.:unprotect removes read protection/,
		);
	});

	it("-s ADDR:0 reads nothing", () => {
		expect(refusal(["read", "o.bin", "-s", "0x08000000:0"])).toBe(
			"-s 0x08000000:0: a length of 0 reads nothing",
		);
	});

	it("a bare -s :mass-erase:force (as in --help) is the erase command, :unprotect:force unprotect", () => {
		expect(parseArgs(["-s", ":mass-erase:force", "--sim"]).command).toBe("erase");
		expect(parseArgs(["-s", ":unprotect:force", "--sim"]).command).toBe("unprotect");
	});
});
