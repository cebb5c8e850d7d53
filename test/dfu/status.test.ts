import { describe, expect, it } from "vitest";
import { DfuStatusError } from "../../source/dfu/errors.js";
import {
	describeStatus,
	parseStatus,
	stateName,
	statusMessage,
	statusName,
} from "../../source/dfu/status.js";

describe("GETSTATUS parsing", () => {
	it("reads a 24-bit little-endian poll timeout", () => {
		expect(parseStatus(Uint8Array.of(0, 0x34, 0x12, 0x01, 4, 0))).toEqual({
			status: 0,
			pollTimeout: 0x011234,
			state: 4,
			iString: 0,
		});
	});

	it("keeps the F4 entry status as reported: dfuERROR, errFIRMWARE", () => {
		const s = parseStatus(Uint8Array.of(0x0a, 0, 0, 0, 10, 0));
		expect(describeStatus(s)).toBe("dfuERROR, errFIRMWARE");
	});

	it("refuses a short record", () => {
		expect(() => parseStatus(Uint8Array.of(0, 0, 0))).toThrow("3 bytes");
	});
});

describe("names and messages", () => {
	it("spells states and statuses as dfu-util does", () => {
		expect([2, 3, 4, 5, 6, 7, 8, 9, 10].map(stateName)).toEqual([
			"dfuIDLE",
			"dfuDNLOAD-SYNC",
			"dfuDNBUSY",
			"dfuDNLOAD-IDLE",
			"dfuMANIFEST-SYNC",
			"dfuMANIFEST",
			"dfuMANIFEST-WAIT-RESET",
			"dfuUPLOAD-IDLE",
			"dfuERROR",
		]);
		expect(statusName(0x04)).toBe("errERASE");
		expect(statusName(0x0b)).toBe("errVENDOR");
		expect(statusName(0x0f)).toBe("errSTALLEDPKT");
		expect(statusMessage(0x04)).toBe("Memory erase function failed");
		expect(stateName(42)).toBe("state 42");
	});

	it("builds failure messages naming the site, state and status", () => {
		const error = new DfuStatusError(
			{ operation: "erase of sector", address: 0x08020000 },
			{ state: 10, status: 4 },
		);
		expect(error.message).toBe(
			"erase of sector at 0x08020000 failed: dfuERROR, errERASE (Memory erase function failed)",
		);
		expect(error.details).toMatchObject({
			address: 0x08020000,
			state: "dfuERROR",
			status: "errERASE",
		});
		expect(error.exitCode).toBe(1);
	});
});
