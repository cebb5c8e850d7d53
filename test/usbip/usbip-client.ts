import { connect, type Socket } from "node:net";
import {
	DEVICE_RECORD_SIZE,
	decodeDeviceRecord,
	decodeDevlistReply,
	decodeOpHeader,
	decodeUrbReply,
	encodeCmdSubmit,
	encodeCmdUnlink,
	encodeImportRequest,
	encodeOpHeader,
	encodeSetup,
	INTERFACE_RECORD_SIZE,
	OP_HEADER_SIZE,
	OP_REQ_DEVLIST,
	type SetupPacket,
	URB_HEADER_SIZE,
	USBIP_DIR_IN,
	USBIP_DIR_OUT,
} from "../../source/usbip/protocol.js";
import { SocketReader } from "../../source/usbip/socket-reader.js";

/** A USB/IP client as the kernel's vhci-hcd speaks it, over a real TCP connection. */
export class UsbipTestClient {
	private seqnum = 0;
	private readonly inbound = new Map<number, boolean>();
	private constructor(
		readonly socket: Socket,
		readonly reader: SocketReader,
	) {}

	static async open(port: number): Promise<UsbipTestClient> {
		const socket = connect({ host: "127.0.0.1", port });
		await new Promise<void>((resolve, reject) => {
			socket.once("connect", resolve);
			socket.once("error", reject);
		});
		return new UsbipTestClient(socket, new SocketReader(socket));
	}

	close(): void {
		this.socket.destroy();
	}

	/** Resolves when the server closes the connection. */
	closed(): Promise<void> {
		return new Promise((resolve) => {
			if (this.socket.readableEnded || this.socket.destroyed) resolve();
			else this.socket.once("close", () => resolve());
		});
	}

	async devlist() {
		this.socket.write(encodeOpHeader(OP_REQ_DEVLIST));
		const head = await this.reader.read(OP_HEADER_SIZE + 4);
		const count = Buffer.from(head).readUInt32BE(OP_HEADER_SIZE);
		const parts = [head];
		for (let i = 0; i < count; i++) {
			const record = await this.reader.read(DEVICE_RECORD_SIZE);
			parts.push(record);
			parts.push(await this.reader.read(record[0x137]! * INTERFACE_RECORD_SIZE));
		}
		return decodeDevlistReply(Buffer.concat(parts));
	}

	async import(busid: string) {
		this.socket.write(encodeImportRequest(busid));
		const header = decodeOpHeader(await this.reader.read(OP_HEADER_SIZE));
		if (header.status !== 0) return { header, device: undefined };
		return {
			header,
			device: decodeDeviceRecord(await this.reader.read(DEVICE_RECORD_SIZE), false),
		};
	}

	/** Sends a control CMD_SUBMIT on endpoint 0 and returns its seqnum. */
	submitControl(setup: SetupPacket, outData?: Uint8Array, devid = 0x10002): number {
		const seqnum = ++this.seqnum;
		const isIn = (setup.bmRequestType & 0x80) !== 0;
		this.inbound.set(seqnum, isIn);
		this.socket.write(
			encodeCmdSubmit(
				{
					seqnum,
					devid,
					direction: isIn ? USBIP_DIR_IN : USBIP_DIR_OUT,
					ep: 0,
					transferFlags: 0,
					transferBufferLength: isIn ? setup.wLength : (outData?.length ?? 0),
					startFrame: 0,
					numberOfPackets: -1,
					interval: 0,
					setup: encodeSetup(setup),
				},
				outData,
			),
		);
		return seqnum;
	}

	/**
	 * Sends only a CMD_SUBMIT header on endpoint 0 announcing `length` bytes (no payload follows):
	 * what a misbehaving client does.
	 */
	announce(direction: "in" | "out", length: number, setup: SetupPacket, numberOfPackets = -1) {
		const seqnum = ++this.seqnum;
		this.inbound.set(seqnum, direction === "in");
		this.socket.write(
			encodeCmdSubmit({
				seqnum,
				devid: 0x10002,
				direction: direction === "in" ? USBIP_DIR_IN : USBIP_DIR_OUT,
				ep: 0,
				transferFlags: 0,
				transferBufferLength: length,
				startFrame: 0,
				numberOfPackets,
				interval: 0,
				setup: encodeSetup(setup),
			}).subarray(0, URB_HEADER_SIZE),
		);
		return seqnum;
	}

	unlink(target: number, devid = 0x10002): number {
		const seqnum = ++this.seqnum;
		this.socket.write(
			encodeCmdUnlink({ seqnum, devid, direction: 0, ep: 0, unlinkSeqnum: target }),
		);
		return seqnum;
	}

	/** Reads the next RET_SUBMIT (with its data, for an IN request) or RET_UNLINK. */
	async nextReply() {
		const reply = decodeUrbReply(await this.reader.read(URB_HEADER_SIZE));
		if (reply.reply !== "submit") return { ...reply, data: new Uint8Array(0) };
		// Only IN transfers carry data back; an OUT reply just says how much was taken.
		const isIn = this.inbound.get(reply.seqnum) ?? false;
		this.inbound.delete(reply.seqnum);
		const data =
			isIn && reply.actualLength > 0
				? await this.reader.read(reply.actualLength)
				: new Uint8Array(0);
		return { ...reply, data };
	}
}
