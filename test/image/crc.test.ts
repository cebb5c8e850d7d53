import { describe, expect, it } from "vitest";
import { crc32, crc32ByTable, dfuCrc } from "../../source/image/crc.js";
import { bytesOf, fixture } from "./fixtures.js";

describe("DFU suffix CRC", () => {
	it("matches the dfu-util test vector for 123456789", () => {
		expect(dfuCrc(bytesOf("123456789"))).toBe(0x340bc6d9);
		expect(crc32(bytesOf("123456789"))).toBe(0xcbf43926);
	});

	it("gives the same numbers through the table fallback as through zlib", () => {
		const data = fixture("two-sectors.dfu");
		expect(crc32ByTable(data)).toBe(crc32(data));
		expect(crc32ByTable(new Uint8Array())).toBe(0);
	});

	it("agrees with the CRC dfuse-pack wrote into a real file", () => {
		const file = fixture("two-sectors.dfu");
		const stored = new DataView(file.buffer, file.byteOffset).getUint32(file.length - 4, true);
		expect(dfuCrc(file.subarray(0, file.length - 4))).toBe(stored);
	});
});
