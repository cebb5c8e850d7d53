/**
 * A W3C WebUSB `USB` (navigator.usb) over simulated boards: getDevices(), requestDevice(), and
 * "connect"/"disconnect" events carrying `.device`, fired whenever a board's device enumerates or
 * leaves the bus. Each enumeration is a new USBDevice object, as in browsers and node-usb.
 */
import type { Board } from "./board.js";
import { SimUSBDevice } from "./webusb-device.js";

export class SimUSBConnectionEvent extends Event {
	readonly device: USBDevice;
	constructor(type: "connect" | "disconnect", init: { device: USBDevice }) {
		super(type);
		this.device = init.device;
	}
}

function matches(device: USBDevice, filter: USBDeviceFilter): boolean {
	if (filter.vendorId !== undefined && filter.vendorId !== device.vendorId) return false;
	if (filter.productId !== undefined && filter.productId !== device.productId) return false;
	if (filter.serialNumber !== undefined && filter.serialNumber !== device.serialNumber)
		return false;
	const alternates = device.configurations.flatMap((c) =>
		c.interfaces.flatMap((i) => i.alternates),
	);
	const classMatch = (a: {
		interfaceClass: number;
		interfaceSubclass: number;
		interfaceProtocol: number;
	}) =>
		(filter.classCode === undefined || filter.classCode === a.interfaceClass) &&
		(filter.subclassCode === undefined || filter.subclassCode === a.interfaceSubclass) &&
		(filter.protocolCode === undefined || filter.protocolCode === a.interfaceProtocol);
	if (
		filter.classCode === undefined &&
		filter.subclassCode === undefined &&
		filter.protocolCode === undefined
	)
		return true;
	return (
		classMatch({
			interfaceClass: device.deviceClass,
			interfaceSubclass: device.deviceSubclass,
			interfaceProtocol: device.deviceProtocol,
		}) || alternates.some(classMatch)
	);
}

export class SimUSB extends EventTarget implements USB {
	onconnect: ((this: this, ev: USBConnectionEvent) => unknown) | null = null;
	ondisconnect: ((this: this, ev: USBConnectionEvent) => unknown) | null = null;
	private readonly devices = new Map<Board, SimUSBDevice>();
	private readonly unsubscribers = new Map<Board, () => void>();
	/**
	 * Each board's port on the simulated bus: the lowest free one when it is attached, so boards
	 * take ports in the order they were added, and a port a removed board left is used again.
	 */
	private readonly ports = new Map<Board, number>();

	override addEventListener(
		type: "connect" | "disconnect",
		listener: (this: this, ev: USBConnectionEvent) => unknown,
		options?:
			| boolean
			| { once?: boolean; passive?: boolean; signal?: AbortSignal; capture?: boolean },
	): void;
	override addEventListener(
		type: string,
		listener: ((event: Event) => unknown) | { handleEvent(event: Event): unknown } | null,
		options?:
			| boolean
			| { once?: boolean; passive?: boolean; signal?: AbortSignal; capture?: boolean },
	): void;
	override addEventListener(
		type: string,
		// biome-ignore lint/suspicious/noExplicitAny: both overloads meet here
		listener: any,
		options?:
			| boolean
			| { once?: boolean; passive?: boolean; signal?: AbortSignal; capture?: boolean },
	): void {
		super.addEventListener(type, listener, options);
	}

	override removeEventListener(
		type: "connect" | "disconnect",
		listener: (this: this, ev: USBConnectionEvent) => unknown,
		options?: boolean | EventListenerOptions,
	): void;
	override removeEventListener(
		type: string,
		listener: ((event: Event) => unknown) | { handleEvent(event: Event): unknown } | null,
		options?: boolean | EventListenerOptions,
	): void;
	override removeEventListener(
		type: string,
		// biome-ignore lint/suspicious/noExplicitAny: both overloads meet here
		listener: any,
		options?: boolean | EventListenerOptions,
	): void {
		super.removeEventListener(type, listener, options);
	}

	/** Starts following a board: its enumerations become devices and events. */
	attach(board: Board): void {
		if (this.unsubscribers.has(board)) return;
		if (!this.ports.has(board)) {
			const used = new Set(this.ports.values());
			let port = 1;
			while (used.has(port)) port++;
			this.ports.set(board, port);
		}
		const port = this.ports.get(board)!;
		if (board.function) this.devices.set(board, new SimUSBDevice(board, board.function, port));
		this.unsubscribers.set(
			board,
			board.onPresenceChange((present) => {
				const old = this.devices.get(board);
				if (old) {
					this.devices.delete(board);
					this.emit("disconnect", old);
				}
				if (present && board.function) {
					const device = new SimUSBDevice(board, board.function, port);
					this.devices.set(board, device);
					this.emit("connect", device);
				}
			}),
		);
	}

	/** Stops following a board (its device, if any, is reported disconnected). */
	detach(board: Board): void {
		this.unsubscribers.get(board)?.();
		this.unsubscribers.delete(board);
		this.ports.delete(board);
		const old = this.devices.get(board);
		if (old) {
			this.devices.delete(board);
			this.emit("disconnect", old);
		}
	}

	/** The device object a board has on the bus now. */
	deviceOf(board: Board): SimUSBDevice | undefined {
		return this.devices.get(board);
	}

	private emit(type: "connect" | "disconnect", device: USBDevice): void {
		const event = new SimUSBConnectionEvent(type, { device }) as unknown as USBConnectionEvent;
		const handler = type === "connect" ? this.onconnect : this.ondisconnect;
		handler?.call(this, event);
		this.dispatchEvent(event as unknown as Event);
	}

	async getDevices(): Promise<USBDevice[]> {
		return [...this.devices.values()];
	}

	async requestDevice(options?: USBDeviceRequestOptions): Promise<USBDevice> {
		const filters = options?.filters ?? [];
		const exclusions = options?.exclusionFilters ?? [];
		const found = [...this.devices.values()].find(
			(d) =>
				(filters.length === 0 || filters.some((f) => matches(d, f))) &&
				!exclusions.some((f) => matches(d, f)),
		);
		if (!found) throw new DOMException("No device selected.", "NotFoundError");
		return found;
	}
}
