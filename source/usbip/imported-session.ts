import type { Socket } from "node:net";
import type { ExportableBoard } from "./exportable.js";
import {
	type CmdSubmit,
	decodeSetup,
	decodeUrbCommand,
	ECONNRESET,
	EMSGSIZE,
	EPIPE,
	encodeRetSubmit,
	encodeRetUnlink,
	submitPayloadLength,
	URB_HEADER_SIZE,
	USBIP_DIR_IN,
	USBIP_DIR_OUT,
} from "./protocol.js";
import { ConnectionClosedError, type SocketReader } from "./socket-reader.js";

/**
 * The longest transfer the exported device can take: the bootloader has only endpoint 0, and a
 * control transfer's data stage is at most wLength, a 16-bit field (USB 2.0, 9.3.5). A client
 * announcing more is not buffered: it would make the server hold whatever it claims.
 */
export const MAX_TRANSFER_LENGTH = 0xffff;

interface PendingUrb {
	cmd: CmdSubmit;
	out: Uint8Array;
	/** Set when a CMD_UNLINK arrived while the request was already with the device. */
	unlinkedBy?: number;
}

/**
 * One imported device: reads CMD_SUBMIT / CMD_UNLINK from the client and answers them in order.
 * Control requests on endpoint 0 go to the board's one setup-packet entry point; the bootloader
 * has no other endpoints, so anything else stalls. When the device leaves the bus (a chip reset),
 * the request in hand still gets its answer and then the connection closes: to the importing
 * kernel that is an unplug.
 */
export class ImportedSession {
	private readonly queue: PendingUrb[] = [];
	private inFlight: PendingUrb | null = null;
	private pumping = false;
	private closing = false;
	readonly finished: Promise<void>;

	constructor(
		private readonly socket: Socket,
		private readonly reader: SocketReader,
		private readonly board: ExportableBoard,
		private readonly log: (line: string) => void,
	) {
		this.finished = this.readLoop();
	}

	/** The device went away: answer what is in hand, drop the rest, close. */
	deviceGone(): void {
		if (this.closing) return;
		this.closing = true;
		this.queue.length = 0;
		if (!this.inFlight) this.hangUp();
	}

	/** Half-close so queued replies still go out; a client that never closes its side is cut. */
	private hangUp(): void {
		this.socket.end();
		setTimeout(() => this.socket.destroy(), 2000).unref();
	}

	private async readLoop(): Promise<void> {
		try {
			while (!this.closing) {
				const cmd = decodeUrbCommand(await this.reader.read(URB_HEADER_SIZE));
				if (cmd.command === "submit") {
					if (cmd.transferBufferLength > MAX_TRANSFER_LENGTH || cmd.numberOfPackets > 0) {
						this.refuse(cmd);
						if (cmd.direction === USBIP_DIR_OUT || cmd.numberOfPackets > 0) return;
						continue;
					}
					const sizes = submitPayloadLength(cmd);
					const out = sizes.buffer ? await this.reader.read(sizes.buffer) : new Uint8Array(0);
					if (sizes.iso) await this.reader.read(sizes.iso);
					this.queue.push({ cmd, out });
					void this.pump();
				} else if (cmd.command === "unlink") {
					this.unlink(cmd.seqnum, cmd.unlinkSeqnum);
				} else {
					this.log(`usbip: unknown command 0x${cmd.code.toString(16)}; closing`);
					this.socket.destroy();
					return;
				}
			}
		} catch (error) {
			if (!(error instanceof ConnectionClosedError)) {
				this.log(`usbip: ${error instanceof Error ? error.message : String(error)}; closing`);
				this.socket.destroy();
			}
		} finally {
			this.closing = true;
			this.queue.length = 0;
		}
	}

	/**
	 * Answers a transfer longer than the device can take with -EMSGSIZE. Its announced payload is
	 * not read, so after an OUT (or ISO) one the stream cannot be followed any more: the
	 * connection is closed.
	 */
	private refuse(cmd: CmdSubmit): void {
		this.log(
			`usbip: refused a transfer of ${cmd.transferBufferLength} bytes${cmd.numberOfPackets > 0 ? ` with ${cmd.numberOfPackets} ISO packets` : ""} (the device takes at most ${MAX_TRANSFER_LENGTH} bytes on endpoint 0)`,
		);
		const reply = encodeRetSubmit({
			seqnum: cmd.seqnum,
			status: -EMSGSIZE,
			actualLength: 0,
			startFrame: 0,
			numberOfPackets: -1,
			errorCount: 0,
			data: new Uint8Array(0),
		});
		if (cmd.direction !== USBIP_DIR_OUT && cmd.numberOfPackets <= 0) {
			this.write(reply);
			return;
		}
		this.closing = true;
		this.queue.length = 0;
		this.write(reply);
		this.hangUp();
	}

	private unlink(seqnum: number, target: number): void {
		const queued = this.queue.findIndex((p) => p.cmd.seqnum === target);
		if (queued >= 0) {
			this.queue.splice(queued, 1);
			this.write(encodeRetUnlink({ seqnum, status: -ECONNRESET }));
		} else if (this.inFlight?.cmd.seqnum === target) {
			this.inFlight.unlinkedBy = seqnum;
		} else {
			// Already answered: the protocol says status 0 and no second RET_SUBMIT.
			this.write(encodeRetUnlink({ seqnum, status: 0 }));
		}
	}

	private async pump(): Promise<void> {
		if (this.pumping) return;
		this.pumping = true;
		try {
			for (let next = this.queue.shift(); next; next = this.queue.shift()) {
				this.inFlight = next;
				const reply = await this.answer(next);
				this.inFlight = null;
				if (reply === undefined) {
					// The device left during this transfer: it gets no answer, the connection closes.
					this.closing = true;
					this.queue.length = 0;
					this.hangUp();
					return;
				}
				if (next.unlinkedBy !== undefined)
					this.write(encodeRetUnlink({ seqnum: next.unlinkedBy, status: -ECONNRESET }));
				else this.write(reply);
				if (this.closing) {
					this.hangUp();
					return;
				}
			}
		} finally {
			this.pumping = false;
		}
	}

	private async answer({ cmd, out }: PendingUrb): Promise<Uint8Array | undefined> {
		const reply = (status: number, actualLength: number, data: Uint8Array = new Uint8Array(0)) =>
			encodeRetSubmit({
				seqnum: cmd.seqnum,
				status,
				actualLength,
				startFrame: 0,
				// Non-ISO transfers carry 0xffffffff here; there are no ISO endpoints to answer for.
				numberOfPackets: cmd.numberOfPackets > 0 ? -1 : cmd.numberOfPackets,
				errorCount: 0,
				data,
			});
		if (cmd.ep !== 0) return reply(-EPIPE, 0);
		const setup = decodeSetup(cmd.setup);
		const isIn = cmd.direction === USBIP_DIR_IN;
		let result: Awaited<ReturnType<ExportableBoard["handleSetup"]>>;
		try {
			result = await this.board.handleSetup(setup, isIn ? undefined : out);
		} catch (error) {
			if (this.board.isDeviceGone?.(error)) return undefined;
			this.log(
				`usbip: ${this.board.name} failed on request 0x${setup.bRequest.toString(16)}: ${error instanceof Error ? error.message : String(error)}`,
			);
			return reply(-EPIPE, 0);
		}
		if (result.status === "stall") return reply(-EPIPE, 0);
		if (!isIn) return reply(0, out.length);
		const limit = Math.min(setup.wLength, Math.max(0, cmd.transferBufferLength));
		const data = (result.data ?? new Uint8Array(0)).subarray(0, limit);
		return reply(0, data.length, data);
	}

	private write(bytes: Uint8Array): void {
		if (!this.socket.destroyed && this.socket.writable) this.socket.write(bytes);
	}
}
