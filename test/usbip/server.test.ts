import { afterEach, describe, expect, it, vi } from "vitest";
import type { ExportableBoard, SetupResult } from "../../source/usbip/exportable.js";
import { ECONNRESET, EMSGSIZE, EPIPE, type SetupPacket } from "../../source/usbip/protocol.js";
import { startUsbipExport, type UsbipServer } from "../../source/usbip/server.js";
import { UsbipTestClient } from "./usbip-client.js";

const DEVICE = Uint8Array.of(
	18,
	1,
	0x00,
	0x01,
	0,
	0,
	0,
	64,
	0x83,
	0x04,
	0x11,
	0xdf,
	0x00,
	0x21,
	1,
	2,
	3,
	1,
);
const CONFIG = Uint8Array.of(
	...[9, 2, 27, 0, 1, 1, 0, 0xc0, 50],
	...[9, 4, 0, 0, 0, 0xfe, 0x01, 0x02, 4],
	...[9, 4, 0, 1, 0, 0xfe, 0x01, 0x02, 5],
);

/**
 * A board that answers the two descriptors and records every request; presence and the answer
 * to one chosen request are under the test's control. It exercises the server, not the
 * simulator (test/usbip/sim-export.test.ts does that).
 */
class RecordingBoard implements ExportableBoard {
	readonly name = "recording board";
	readonly requests: { setup: SetupPacket; dataOut?: Uint8Array }[] = [];
	present = true;
	hold?: { bRequest: number; release: Promise<SetupResult> };
	private listeners = new Set<(present: boolean) => void>();

	handleSetup(setup: SetupPacket, dataOut?: Uint8Array): SetupResult | Promise<SetupResult> {
		this.requests.push({ setup, dataOut });
		if (this.hold && setup.bRequest === this.hold.bRequest) return this.hold.release;
		if (setup.bmRequestType === 0x80 && setup.bRequest === 6) {
			const type = setup.wValue >> 8;
			if (type === 1) return { status: "ok", data: DEVICE };
			if (type === 2) return { status: "ok", data: CONFIG };
			return { status: "stall" };
		}
		if ((setup.bmRequestType & 0x80) === 0) return { status: "ok" };
		return { status: "stall" };
	}

	isPresent(): boolean {
		return this.present;
	}

	onPresenceChange(listener: (present: boolean) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	setPresent(present: boolean): void {
		this.present = present;
		for (const listener of this.listeners) listener(present);
	}
}

const getDevice = (wLength: number): SetupPacket => ({
	bmRequestType: 0x80,
	bRequest: 6,
	wValue: 0x0100,
	wIndex: 0,
	wLength,
});

let server: UsbipServer | undefined;
const clients: UsbipTestClient[] = [];

async function start(board: ExportableBoard) {
	const lines: string[] = [];
	server = await startUsbipExport({ boards: [board], port: 0, log: (l) => lines.push(l) });
	return { port: server.address.port, lines };
}

async function open(port: number) {
	const client = await UsbipTestClient.open(port);
	clients.push(client);
	return client;
}

afterEach(async () => {
	for (const c of clients.splice(0)) c.close();
	await server?.close();
	server = undefined;
});

describe("USB/IP server on 127.0.0.1", () => {
	it("says where it listens", async () => {
		const { port, lines } = await start(new RecordingBoard());
		expect(server?.address.host).toBe("127.0.0.1");
		expect(lines[0]).toContain(`listening on 127.0.0.1:${port}`);
	});

	it("lists the board as busid 1-1 with the ids and interfaces its descriptors give", async () => {
		const { port } = await start(new RecordingBoard());
		const { header, devices } = await (await open(port)).devlist();
		expect(header).toMatchObject({ version: 0x0111, code: 0x0005, status: 0 });
		expect(devices).toHaveLength(1);
		expect(devices[0]).toMatchObject({
			busid: "1-1",
			busnum: 1,
			speed: 2,
			idVendor: 0x0483,
			idProduct: 0xdf11,
			bcdDevice: 0x2100,
			numConfigurations: 1,
			configurationValue: 1,
			interfaces: [{ interfaceClass: 0xfe, interfaceSubclass: 1, interfaceProtocol: 2 }],
		});
	});

	it("imports 1-1 and answers GET_DESCRIPTOR(device) through the board's setup entry point", async () => {
		const board = new RecordingBoard();
		const { port } = await start(board);
		const client = await open(port);
		const { header, device } = await client.import("1-1");
		expect(header.status).toBe(0);
		expect(device).toMatchObject({ busid: "1-1", idVendor: 0x0483, idProduct: 0xdf11 });

		const seq = client.submitControl(getDevice(18));
		const reply = await client.nextReply();
		expect(reply).toMatchObject({ reply: "submit", seqnum: seq, status: 0, actualLength: 18 });
		expect(reply.data).toEqual(DEVICE);
		expect(board.requests.at(-1)?.setup).toEqual(getDevice(18));

		client.submitControl(getDevice(8));
		const short = await client.nextReply();
		expect(short).toMatchObject({ status: 0, actualLength: 8 });
		expect(short.data).toEqual(DEVICE.subarray(0, 8));
	});

	it("passes OUT data to the board and reports a stall as -EPIPE", async () => {
		const board = new RecordingBoard();
		const { port } = await start(board);
		const client = await open(port);
		await client.import("1-1");
		const dnload = { bmRequestType: 0x21, bRequest: 1, wValue: 0, wIndex: 0, wLength: 5 };
		client.submitControl(dnload, Uint8Array.of(0x21, 0, 0, 0, 8));
		expect(await client.nextReply()).toMatchObject({ status: 0, actualLength: 5 });
		expect(board.requests.at(-1)?.dataOut).toEqual(Uint8Array.of(0x21, 0, 0, 0, 8));

		client.submitControl({
			bmRequestType: 0x80,
			bRequest: 6,
			wValue: 0x0600,
			wIndex: 0,
			wLength: 10,
		});
		expect(await client.nextReply()).toMatchObject({ status: -EPIPE, actualLength: 0 });
	});

	it("answers UNLINK of a finished request with status 0, of a pending one with -ECONNRESET and no RET_SUBMIT", async () => {
		const board = new RecordingBoard();
		const { port } = await start(board);
		const client = await open(port);
		await client.import("1-1");

		const done = client.submitControl(getDevice(18));
		expect(await client.nextReply()).toMatchObject({ reply: "submit", seqnum: done });
		const late = client.unlink(done);
		expect(await client.nextReply()).toMatchObject({ reply: "unlink", seqnum: late, status: 0 });

		let release: (r: SetupResult) => void = () => {};
		board.hold = { bRequest: 3, release: new Promise((r) => (release = r)) };
		const getStatus = { bmRequestType: 0xa1, bRequest: 3, wValue: 0, wIndex: 0, wLength: 6 };
		const held = client.submitControl(getStatus);
		const queued = client.submitControl(getDevice(18));
		const unlinkQueued = client.unlink(queued);
		const unlinkHeld = client.unlink(held);
		expect(await client.nextReply()).toMatchObject({
			reply: "unlink",
			seqnum: unlinkQueued,
			status: -ECONNRESET,
		});
		release({ status: "ok", data: new Uint8Array(6) });
		expect(await client.nextReply()).toMatchObject({
			reply: "unlink",
			seqnum: unlinkHeld,
			status: -ECONNRESET,
		});
		const after = client.submitControl(getDevice(18));
		expect(await client.nextReply()).toMatchObject({ reply: "submit", seqnum: after, status: 0 });
	});

	it("refuses to import an unknown busid, a device already imported, or an empty port", async () => {
		const board = new RecordingBoard();
		const { port } = await start(board);
		expect((await (await open(port)).import("2-1")).header.status).toBe(1);
		expect((await (await open(port)).import("1-1")).header.status).toBe(0);
		expect((await (await open(port)).import("1-1")).header.status).toBe(1);
		board.setPresent(false);
		expect((await (await open(port)).import("1-1")).header.status).toBe(1);
		expect((await (await open(port)).devlist()).devices).toEqual([]);
	});

	it("closes the imported connection when the device leaves, and exports it again when it returns", async () => {
		const board = new RecordingBoard();
		const { port } = await start(board);
		const first = await open(port);
		const { device: before } = await first.import("1-1");
		board.setPresent(false);
		await first.closed();

		board.setPresent(true);
		const again = await open(port);
		const { header, device: after } = await again.import("1-1");
		expect(header.status).toBe(0);
		expect(after?.devnum).not.toBe(before?.devnum);
		again.submitControl(getDevice(18));
		expect(await again.nextReply()).toMatchObject({ status: 0, actualLength: 18 });
	});

	it("still answers the request in hand when the device leaves during it", async () => {
		const board = new RecordingBoard();
		const { port } = await start(board);
		const client = await open(port);
		await client.import("1-1");
		let release: (r: SetupResult) => void = () => {};
		board.hold = { bRequest: 3, release: new Promise((r) => (release = r)) };
		const seq = client.submitControl({
			bmRequestType: 0xa1,
			bRequest: 3,
			wValue: 0,
			wIndex: 0,
			wLength: 6,
		});
		await vi.waitFor(() => expect(board.requests.at(-1)?.setup.bRequest).toBe(3));
		board.setPresent(false);
		release({ status: "ok", data: Uint8Array.of(0, 0, 0, 0, 8, 0) });
		const reply = await client.nextReply();
		expect(reply).toMatchObject({ reply: "submit", seqnum: seq, status: 0, actualLength: 6 });
		await client.closed();
	});
});

describe("USB/IP server limits", () => {
	const dnload = (wLength: number): SetupPacket => ({
		bmRequestType: 0x21,
		bRequest: 1,
		wValue: 2,
		wIndex: 0,
		wLength,
	});

	it("answers an OUT transfer longer than endpoint 0 can take with -EMSGSIZE and closes, buffering none of it", async () => {
		const board = new RecordingBoard();
		const lines: string[] = [];
		server = await startUsbipExport({ boards: [board], port: 0, log: (l) => lines.push(l) });
		const client = await open(server.address.port);
		await client.import("1-1");
		const seq = client.announce("out", 0x7fffffff, dnload(0xffff));
		expect(await client.nextReply()).toMatchObject({
			reply: "submit",
			seqnum: seq,
			status: -EMSGSIZE,
			actualLength: 0,
		});
		await client.closed();
		expect(board.requests.some((r) => r.setup.bRequest === 1)).toBe(false);
		expect(lines.join("\n")).toContain("refused a transfer of 2147483647 bytes");
	});

	it("answers an IN transfer longer than endpoint 0 can take with -EMSGSIZE and goes on", async () => {
		const { port } = await start(new RecordingBoard());
		const client = await open(port);
		await client.import("1-1");
		const big = client.announce("in", 0x10000, getDevice(0xffff));
		expect(await client.nextReply()).toMatchObject({ seqnum: big, status: -EMSGSIZE });
		const seq = client.submitControl(getDevice(18));
		expect(await client.nextReply()).toMatchObject({ seqnum: seq, status: 0, actualLength: 18 });
	});

	it("closes a connection that sends no request in time", async () => {
		server = await startUsbipExport({
			boards: [new RecordingBoard()],
			port: 0,
			idleTimeoutMs: 100,
		});
		const client = await open(server.address.port);
		await client.closed();
	});

	it("closes an imported connection that sends half a message and stops", async () => {
		server = await startUsbipExport({
			boards: [new RecordingBoard()],
			port: 0,
			idleTimeoutMs: 100,
		});
		const client = await open(server.address.port);
		await client.import("1-1");
		client.socket.write(new Uint8Array(10));
		await client.closed();
	});

	it("keeps an imported connection that is idle between whole requests", async () => {
		server = await startUsbipExport({
			boards: [new RecordingBoard()],
			port: 0,
			idleTimeoutMs: 100,
		});
		const client = await open(server.address.port);
		await client.import("1-1");
		await new Promise((resolve) => setTimeout(resolve, 300));
		const seq = client.submitControl(getDevice(18));
		expect(await client.nextReply()).toMatchObject({ seqnum: seq, status: 0, actualLength: 18 });
	});
});
