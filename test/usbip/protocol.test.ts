import { describe, expect, it } from "vitest";
import {
	decodeBusid,
	decodeDevlistReply,
	decodeOpHeader,
	decodeSetup,
	decodeUrbCommand,
	decodeUrbReply,
	ECONNRESET,
	type ExportedDevice,
	encodeCmdSubmit,
	encodeCmdUnlink,
	encodeDevlistReply,
	encodeImportReply,
	encodeImportRequest,
	encodeOpHeader,
	encodeRetSubmit,
	encodeRetUnlink,
	encodeSetup,
	OP_REQ_DEVLIST,
	submitPayloadLength,
} from "../../source/usbip/protocol.js";

/** Hex words as the kernel's usbip_protocol.rst prints its wire captures. */
function words(text: string): Uint8Array {
	return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ""), "hex"));
}

function u32(bytes: Uint8Array, at: number): number {
	return Buffer.from(bytes).readUInt32BE(at);
}

function u16(bytes: Uint8Array, at: number): number {
	return Buffer.from(bytes).readUInt16BE(at);
}

const loader: ExportedDevice = {
	path: "/sys/devices/platform/bringup-sim/usb1/1-1",
	busid: "1-1",
	busnum: 1,
	devnum: 2,
	speed: 2,
	idVendor: 0x0483,
	idProduct: 0xdf11,
	bcdDevice: 0x2100,
	deviceClass: 0,
	deviceSubclass: 0,
	deviceProtocol: 0,
	configurationValue: 1,
	numConfigurations: 1,
	interfaces: [{ interfaceClass: 0xfe, interfaceSubclass: 0x01, interfaceProtocol: 0x02 }],
};

describe("operation messages", () => {
	it("reads OP_REQ_DEVLIST as version 0x0111, code 0x8005, status 0", () => {
		expect(decodeOpHeader(words("0111 8005 00000000"))).toEqual({
			version: 0x0111,
			code: OP_REQ_DEVLIST,
			status: 0,
		});
		expect(encodeOpHeader(OP_REQ_DEVLIST)).toEqual(words("0111 8005 00000000"));
	});

	it("lays out OP_REP_DEVLIST at the offsets of the protocol table", () => {
		const reply = encodeDevlistReply([loader]);
		expect(reply.length).toBe(0x148);
		expect(u16(reply, 0)).toBe(0x0111);
		expect(u16(reply, 2)).toBe(0x0005);
		expect(u32(reply, 4)).toBe(0);
		expect(u32(reply, 8)).toBe(1);
		expect(Buffer.from(reply.subarray(0x0c, 0x0c + loader.path.length)).toString()).toBe(
			loader.path,
		);
		expect(reply[0x0c + loader.path.length]).toBe(0);
		expect(Buffer.from(reply.subarray(0x10c, 0x10f)).toString()).toBe("1-1");
		expect(reply.subarray(0x10f, 0x12c).every((b) => b === 0)).toBe(true);
		expect(u32(reply, 0x12c)).toBe(1);
		expect(u32(reply, 0x130)).toBe(2);
		expect(u32(reply, 0x134)).toBe(2);
		expect(u16(reply, 0x138)).toBe(0x0483);
		expect(u16(reply, 0x13a)).toBe(0xdf11);
		expect(u16(reply, 0x13c)).toBe(0x2100);
		expect([...reply.subarray(0x13e, 0x144)]).toEqual([0, 0, 0, 1, 1, 1]);
		expect([...reply.subarray(0x144, 0x148)]).toEqual([0xfe, 0x01, 0x02, 0]);
	});

	it("reads back what it writes for two devices, interfaces included", () => {
		const second = { ...loader, busid: "1-2", devnum: 3, interfaces: [] };
		const { header, devices } = decodeDevlistReply(encodeDevlistReply([loader, second]));
		expect(header.code).toBe(0x0005);
		expect(devices).toEqual([
			{ ...loader, numInterfaces: 1 },
			{ ...second, numInterfaces: 0 },
		]);
	});

	it("says an empty bus with a count of zero and nothing after it", () => {
		expect(encodeDevlistReply([])).toEqual(words("0111 0005 00000000 00000000"));
	});

	it("reads the busid of OP_REQ_IMPORT", () => {
		const request = encodeImportRequest("1-1");
		expect(request.length).toBe(40);
		expect(decodeOpHeader(request).code).toBe(0x8003);
		expect(decodeBusid(request.subarray(8))).toBe("1-1");
		expect(() => encodeImportRequest("x".repeat(32))).toThrow(RangeError);
	});

	it("lays out OP_REP_IMPORT with the device record and no interfaces", () => {
		const reply = encodeImportReply(loader);
		expect(reply.length).toBe(0x140);
		expect(u16(reply, 2)).toBe(0x0003);
		expect(u32(reply, 4)).toBe(0);
		expect(Buffer.from(reply.subarray(0x108, 0x10b)).toString()).toBe("1-1");
		expect(u32(reply, 0x128)).toBe(1);
		expect(u32(reply, 0x12c)).toBe(2);
		expect(u32(reply, 0x130)).toBe(2);
		expect(u16(reply, 0x134)).toBe(0x0483);
		expect(u16(reply, 0x136)).toBe(0xdf11);
		expect(reply[0x13f]).toBe(1);
	});

	it("refuses an import with status 1 and nothing after it", () => {
		expect(encodeImportReply(undefined)).toEqual(words("0111 0003 00000001"));
	});
});

describe("URB messages", () => {
	// The interrupt IN capture from the EXAMPLE section of usbip_protocol.rst.
	const cmdIntrIn = words(
		"00000001 00000d05 0001000f 00000001 00000001 00000200 00000040 ffffffff 00000000 00000004 00000000 00000000",
	);

	it("decodes a captured CMD_SUBMIT field by field", () => {
		expect(decodeUrbCommand(cmdIntrIn)).toEqual({
			command: "submit",
			seqnum: 0xd05,
			devid: 0x1000f,
			direction: 1,
			ep: 1,
			transferFlags: 0x200,
			transferBufferLength: 0x40,
			startFrame: -1,
			numberOfPackets: 0,
			interval: 4,
			setup: new Uint8Array(8),
		});
	});

	it("encodes RET_SUBMIT exactly as the captured reply", () => {
		const data = Uint8Array.from({ length: 64 }, (_, i) => i);
		const ret = encodeRetSubmit({
			seqnum: 0xd05,
			status: 0,
			actualLength: 0x40,
			startFrame: -1,
			numberOfPackets: 0,
			errorCount: 0,
			data,
		});
		expect(ret.subarray(0, 48)).toEqual(
			words(
				"00000003 00000d05 00000000 00000000 00000000 00000000 00000040 ffffffff 00000000 00000000 00000000 00000000",
			),
		);
		expect(ret.subarray(48)).toEqual(data);
	});

	it("puts a stall in RET_SUBMIT as -EPIPE, two's complement", () => {
		const ret = encodeRetSubmit({
			seqnum: 7,
			status: -32,
			actualLength: 0,
			startFrame: 0,
			numberOfPackets: -1,
			errorCount: 0,
			data: new Uint8Array(0),
		});
		expect(ret.length).toBe(48);
		expect(u32(ret, 0x14)).toBe(0xffffffe0);
		expect(decodeUrbReply(ret)).toMatchObject({ reply: "submit", seqnum: 7, status: -32 });
	});

	it("carries the OUT buffer after a CMD_SUBMIT header and none for IN", () => {
		const setup = encodeSetup({
			bmRequestType: 0x21,
			bRequest: 1,
			wValue: 2,
			wIndex: 0,
			wLength: 4,
		});
		const base = {
			seqnum: 1,
			devid: 0x10002,
			ep: 0,
			transferFlags: 0,
			transferBufferLength: 4,
			startFrame: 0,
			numberOfPackets: -1,
			interval: 0,
			setup,
		};
		const out = encodeCmdSubmit({ ...base, direction: 0 }, Uint8Array.of(1, 2, 3, 4));
		expect(out.length).toBe(52);
		const decoded = decodeUrbCommand(out);
		expect(decoded.command).toBe("submit");
		if (decoded.command !== "submit") return;
		expect(submitPayloadLength(decoded)).toEqual({ buffer: 4, iso: 0 });
		expect([...out.subarray(48)]).toEqual([1, 2, 3, 4]);
		const inbound = decodeUrbCommand(encodeCmdSubmit({ ...base, direction: 1 }));
		if (inbound.command !== "submit") throw new Error("not a submit");
		expect(submitPayloadLength(inbound)).toEqual({ buffer: 0, iso: 0 });
	});

	it("keeps the setup packet little-endian inside the big-endian header", () => {
		const bytes = Uint8Array.of(0x80, 0x06, 0x00, 0x01, 0x09, 0x04, 0x12, 0x00);
		expect(decodeSetup(bytes)).toEqual({
			bmRequestType: 0x80,
			bRequest: 6,
			wValue: 0x0100,
			wIndex: 0x0409,
			wLength: 18,
		});
		expect(encodeSetup(decodeSetup(bytes))).toEqual(bytes);
	});

	it("lays out CMD_UNLINK and RET_UNLINK", () => {
		const cmd = encodeCmdUnlink({
			seqnum: 6,
			devid: 0x10002,
			direction: 0,
			ep: 0,
			unlinkSeqnum: 5,
		});
		expect(cmd).toEqual(
			words(
				"00000002 00000006 00010002 00000000 00000000 00000005 00000000 00000000 00000000 00000000 00000000 00000000",
			),
		);
		expect(decodeUrbCommand(cmd)).toMatchObject({ command: "unlink", seqnum: 6, unlinkSeqnum: 5 });
		const ret = encodeRetUnlink({ seqnum: 6, status: -ECONNRESET });
		expect(ret).toEqual(
			words(
				"00000004 00000006 00000000 00000000 00000000 ffffff98 00000000 00000000 00000000 00000000 00000000 00000000",
			),
		);
	});

	it("names an unknown command instead of guessing", () => {
		const bytes = new Uint8Array(48);
		bytes[3] = 9;
		expect(decodeUrbCommand(bytes)).toMatchObject({ command: "unknown", code: 9 });
		expect(() => decodeUrbCommand(new Uint8Array(47))).toThrow(RangeError);
	});
});
