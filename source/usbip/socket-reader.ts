import type { Socket } from "node:net";
import { DeviceError } from "../errors.js";

/** The peer closed the connection before a whole message arrived. */
export class ConnectionClosedError extends DeviceError {
	override readonly kind = "usbip-closed";

	constructor() {
		super("connection closed");
	}
}

/** Part of a message arrived and the rest did not come in time: a half-open or stuck peer. */
export class PartialMessageTimeoutError extends DeviceError {
	override readonly kind = "usbip-timeout";

	constructor(got: number, wanted: number, ms: number) {
		super(`only ${got} of ${wanted} bytes of a message arrived within ${ms} ms`, {
			got,
			wanted,
			ms,
		});
	}
}

/**
 * Turns a TCP byte stream into exact-length reads: USB/IP messages arrive split or merged in
 * any way the transport likes, and every parser here wants a whole header at once.
 */
export class SocketReader {
	private chunks: Buffer[] = [];
	private buffered = 0;
	private ended = false;
	private waiter: {
		length: number;
		resolve: (b: Uint8Array) => void;
		reject: (e: Error) => void;
	} | null = null;
	private partialTimer: ReturnType<typeof setTimeout> | undefined;

	/** `partialTimeoutMs`: how long the rest of a begun message may take (0: forever). */
	constructor(
		socket: Socket,
		private readonly partialTimeoutMs = 0,
	) {
		socket.on("data", (chunk: Buffer) => {
			this.chunks.push(chunk);
			this.buffered += chunk.length;
			this.wake();
		});
		const end = () => {
			this.ended = true;
			this.wake();
		};
		socket.on("end", end);
		socket.on("close", end);
		socket.on("error", end);
	}

	read(length: number): Promise<Uint8Array> {
		if (this.waiter) return Promise.reject(new Error("one read at a time"));
		return new Promise((resolve, reject) => {
			this.waiter = { length, resolve, reject };
			this.wake();
		});
	}

	private wake(): void {
		const waiter = this.waiter;
		if (!waiter) return;
		if (this.buffered >= waiter.length) {
			this.stopTimer();
			this.waiter = null;
			waiter.resolve(this.take(waiter.length));
		} else if (this.ended) {
			this.stopTimer();
			this.waiter = null;
			waiter.reject(new ConnectionClosedError());
		} else if (this.buffered > 0 && this.partialTimeoutMs > 0 && !this.partialTimer) {
			this.partialTimer = setTimeout(() => {
				this.partialTimer = undefined;
				if (this.waiter !== waiter) return;
				this.waiter = null;
				waiter.reject(
					new PartialMessageTimeoutError(this.buffered, waiter.length, this.partialTimeoutMs),
				);
			}, this.partialTimeoutMs);
			this.partialTimer.unref?.();
		}
	}

	private stopTimer(): void {
		clearTimeout(this.partialTimer);
		this.partialTimer = undefined;
	}

	private take(length: number): Uint8Array {
		const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
		const out = new Uint8Array(all.subarray(0, length));
		const rest = all.subarray(length);
		this.chunks = rest.length ? [rest] : [];
		this.buffered = rest.length;
		return out;
	}
}
