/**
 * A W3C WebUSB `USBDevice` over a simulated board. Its identity, configurations, interfaces and
 * alt-setting names are parsed from the descriptor bytes the function itself returns to
 * GET_DESCRIPTOR, so the object and the bytes cannot disagree. One object per enumeration, as
 * browsers and node-usb give: after the device leaves the bus the object is dead and rejects with
 * NotFoundError; a transfer cut short by the device leaving rejects with NetworkError.
 */
import type { Board, UsbFunction } from "./board.js";
import { SimDeviceGoneError } from "./faults.js";
import type { SetupPacket } from "./setup.js";

function domError(name: string, message: string): DOMException {
	return new DOMException(message, name);
}

const gone = () => domError("NotFoundError", "The device was disconnected.");

function readString(fn: UsbFunction, index: number): string | null {
	if (index === 0) return null;
	const result = fn.handle({
		bmRequestType: 0x80,
		bRequest: 6,
		wValue: 0x0300 | index,
		wIndex: 0x0409,
		wLength: 255,
	});
	if (result.status !== "ok" || !result.data) return null;
	const bytes = result.data;
	let text = "";
	for (let i = 2; i + 1 < Math.min(bytes[0]!, bytes.length); i += 2)
		text += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
	return text;
}

function getDescriptor(fn: UsbFunction, type: number, length: number): Uint8Array {
	const result = fn.handle({
		bmRequestType: 0x80,
		bRequest: 6,
		wValue: type << 8,
		wIndex: 0,
		wLength: length,
	});
	if (result.status !== "ok" || !result.data) throw new Error(`GET_DESCRIPTOR(${type}) stalled`);
	return result.data;
}

interface ParsedAlternate {
	alternateSetting: number;
	interfaceClass: number;
	interfaceSubclass: number;
	interfaceProtocol: number;
	interfaceName: string | null;
	endpoints: USBEndpoint[];
}

/** Splits a configuration descriptor into interfaces, alternates and endpoints. */
function parseConfiguration(fn: UsbFunction, bytes: Uint8Array) {
	const interfaces = new Map<number, ParsedAlternate[]>();
	let last: ParsedAlternate | undefined;
	let at = 0;
	while (at + 2 <= bytes.length) {
		const length = bytes[at]!;
		const type = bytes[at + 1]!;
		if (length < 2) break;
		if (type === 4) {
			last = {
				alternateSetting: bytes[at + 3]!,
				interfaceClass: bytes[at + 5]!,
				interfaceSubclass: bytes[at + 6]!,
				interfaceProtocol: bytes[at + 7]!,
				interfaceName: readString(fn, bytes[at + 8]!),
				endpoints: [],
			};
			const number = bytes[at + 2]!;
			interfaces.set(number, [...(interfaces.get(number) ?? []), last]);
		} else if (type === 5 && last) {
			const address = bytes[at + 2]!;
			const kinds = ["control", "isochronous", "bulk", "interrupt"] as const;
			const kind = kinds[bytes[at + 3]! & 3]!;
			if (kind !== "control")
				last.endpoints.push({
					endpointNumber: address & 0x0f,
					direction: address & 0x80 ? "in" : "out",
					type: kind,
					packetSize: bytes[at + 4]! | (bytes[at + 5]! << 8),
				});
		}
		at += length;
	}
	return { value: bytes[5]!, name: readString(fn, bytes[6]!), interfaces };
}

export class SimUSBDevice implements USBDevice {
	readonly usbVersionMajor: number;
	readonly usbVersionMinor: number;
	readonly usbVersionSubminor: number;
	readonly deviceClass: number;
	readonly deviceSubclass: number;
	readonly deviceProtocol: number;
	readonly vendorId: number;
	readonly productId: number;
	readonly deviceVersionMajor: number;
	readonly deviceVersionMinor: number;
	readonly deviceVersionSubminor: number;
	readonly manufacturerName: string | null;
	readonly productName: string | null;
	readonly serialNumber: string | null;
	readonly configurations: USBConfiguration[];
	private active: USBConfiguration | null;
	private isOpen = false;
	private readonly claimed = new Set<number>();
	private readonly selectedAlt = new Map<number, number>();

	/**
	 * Where the board is plugged, as node-usb reports it (bus number and port chain): the
	 * simulated boards sit on bus 1, one port each in the order they were added, so `-p 1-3` names the third
	 * (the USB/IP export numbers them the same way).
	 */
	readonly bus: number;
	readonly ports: number[];

	constructor(
		readonly board: Board,
		private readonly fn: UsbFunction,
		port = 1,
	) {
		this.bus = 1;
		this.ports = [port];
		const device = getDescriptor(fn, 1, 18);
		const bcd = (lo: number, hi: number) => [hi >> 4, hi & 0x0f, lo >> 4, lo & 0x0f] as const;
		const usb = bcd(device[2]!, device[3]!);
		this.usbVersionMajor = device[3]!;
		this.usbVersionMinor = usb[2];
		this.usbVersionSubminor = usb[3];
		this.deviceClass = device[4]!;
		this.deviceSubclass = device[5]!;
		this.deviceProtocol = device[6]!;
		this.vendorId = device[8]! | (device[9]! << 8);
		this.productId = device[10]! | (device[11]! << 8);
		// As browsers and node-usb 3 (nusb) decode bcdDevice: the whole high byte is "major".
		const version = bcd(device[12]!, device[13]!);
		this.deviceVersionMajor = device[13]!;
		this.deviceVersionMinor = version[2];
		this.deviceVersionSubminor = version[3];
		this.manufacturerName = readString(fn, device[14]!);
		this.productName = readString(fn, device[15]!);
		this.serialNumber = readString(fn, device[16]!);
		const count = device[17]!;
		this.configurations = [];
		for (let index = 0; index < count; index++) {
			const head = getDescriptor(fn, 2, 9);
			const total = head[2]! | (head[3]! << 8);
			this.configurations.push(this.buildConfiguration(getDescriptor(fn, 2, total)));
		}
		// The operating system selected configuration 1 while enumerating.
		this.active = this.configurations[0] ?? null;
	}

	private buildConfiguration(bytes: Uint8Array): USBConfiguration {
		const parsed = parseConfiguration(this.fn, bytes);
		const device = this;
		const interfaces: USBInterface[] = [...parsed.interfaces.entries()].map(([number, alts]) => {
			const alternates = alts as unknown as USBAlternateInterface[];
			return {
				interfaceNumber: number,
				alternates,
				get alternate(): USBAlternateInterface {
					const wanted = device.selectedAlt.get(number) ?? 0;
					return alternates.find((a) => a.alternateSetting === wanted) ?? alternates[0]!;
				},
				get claimed(): boolean {
					return device.claimed.has(number);
				},
			} as USBInterface;
		});
		return {
			configurationValue: parsed.value,
			configurationName: parsed.name,
			interfaces,
		} as USBConfiguration;
	}

	get configuration(): USBConfiguration | null {
		return this.active;
	}

	get opened(): boolean {
		return this.isOpen;
	}

	/** Whether the board still has this enumeration on the bus. */
	get connected(): boolean {
		return this.board.function === this.fn;
	}

	private ensureConnected(): void {
		if (!this.connected) throw gone();
	}

	private ensureOpen(): void {
		this.ensureConnected();
		if (!this.isOpen) throw domError("InvalidStateError", "The device must be opened first.");
	}

	private async send(setup: SetupPacket, data?: Uint8Array) {
		try {
			return await this.board.handleSetup(setup, data);
		} catch (error) {
			if (error instanceof SimDeviceGoneError)
				throw error.duringTransfer
					? domError("NetworkError", "A transfer error has occurred.")
					: gone();
			throw error;
		}
	}

	async open(): Promise<void> {
		this.ensureConnected();
		this.isOpen = true;
	}

	async close(): Promise<void> {
		this.isOpen = false;
		this.claimed.clear();
		this.board.save();
	}

	async forget(): Promise<void> {
		this.isOpen = false;
	}

	async selectConfiguration(configurationValue: number): Promise<void> {
		this.ensureOpen();
		const config = this.configurations.find((c) => c.configurationValue === configurationValue);
		if (!config)
			throw domError(
				"NotFoundError",
				"The configuration value provided is not supported by the device.",
			);
		const result = await this.send({
			bmRequestType: 0x00,
			bRequest: 9,
			wValue: configurationValue,
			wIndex: 0,
			wLength: 0,
		});
		if (result.status !== "ok")
			throw domError("NetworkError", "Unable to set device configuration.");
		this.active = config;
		this.claimed.clear();
		this.selectedAlt.clear();
	}

	private interfaceOf(interfaceNumber: number): USBInterface {
		const found = this.active?.interfaces.find((i) => i.interfaceNumber === interfaceNumber);
		if (!found)
			throw domError(
				"NotFoundError",
				"The interface number provided is not supported by the device in its current configuration.",
			);
		return found;
	}

	async claimInterface(interfaceNumber: number): Promise<void> {
		this.ensureOpen();
		this.interfaceOf(interfaceNumber);
		this.claimed.add(interfaceNumber);
	}

	async releaseInterface(interfaceNumber: number): Promise<void> {
		this.ensureOpen();
		this.interfaceOf(interfaceNumber);
		this.claimed.delete(interfaceNumber);
	}

	async selectAlternateInterface(interfaceNumber: number, alternateSetting: number): Promise<void> {
		this.ensureOpen();
		const iface = this.interfaceOf(interfaceNumber);
		if (!this.claimed.has(interfaceNumber))
			throw domError("InvalidStateError", "The interface must be claimed first.");
		if (!iface.alternates.some((a) => a.alternateSetting === alternateSetting))
			throw domError(
				"NotFoundError",
				"The alternate setting provided is not supported by the device in its current configuration.",
			);
		const result = await this.send({
			bmRequestType: 0x01,
			bRequest: 11,
			wValue: alternateSetting,
			wIndex: interfaceNumber,
			wLength: 0,
		});
		if (result.status !== "ok") throw domError("NetworkError", "Unable to set device interface.");
		this.selectedAlt.set(interfaceNumber, alternateSetting);
	}

	private setupOf(
		parameters: USBControlTransferParameters,
		direction: "in" | "out",
		length: number,
	): SetupPacket {
		const types = { standard: 0, class: 1, vendor: 2 } as const;
		const recipients = { device: 0, interface: 1, endpoint: 2, other: 3 } as const;
		const type = types[parameters.requestType];
		const to = recipients[parameters.recipient];
		if (type === undefined || to === undefined)
			throw new TypeError("Invalid control transfer parameters.");
		if (parameters.recipient === "interface" && !this.claimed.has(parameters.index & 0xff))
			throw domError("InvalidStateError", "The specified interface has not been claimed.");
		return {
			bmRequestType: (direction === "in" ? 0x80 : 0) | (type << 5) | to,
			bRequest: parameters.request & 0xff,
			wValue: parameters.value & 0xffff,
			wIndex: parameters.index & 0xffff,
			wLength: length & 0xffff,
		};
	}

	async controlTransferIn(
		setup: USBControlTransferParameters,
		length: number,
	): Promise<USBInTransferResult> {
		this.ensureOpen();
		const result = await this.send(this.setupOf(setup, "in", length));
		if (result.status === "stall") return { status: "stall" } as USBInTransferResult;
		const data = result.data ?? new Uint8Array(0);
		return {
			status: "ok",
			data: new DataView(data.buffer, data.byteOffset, data.byteLength),
		} as USBInTransferResult;
	}

	async controlTransferOut(
		setup: USBControlTransferParameters,
		data?: ArrayBufferView | ArrayBuffer,
	): Promise<USBOutTransferResult> {
		this.ensureOpen();
		const bytes = toBytes(data);
		const result = await this.send(this.setupOf(setup, "out", bytes.length), bytes);
		return {
			status: result.status,
			bytesWritten: result.status === "ok" ? bytes.length : 0,
		} as USBOutTransferResult;
	}

	async clearHalt(_direction: USBDirection, _endpointNumber: number): Promise<void> {
		this.ensureOpen();
	}

	async transferIn(_endpointNumber: number, _length: number): Promise<USBInTransferResult> {
		this.ensureOpen();
		throw domError("NotSupportedError", "Bulk and interrupt transfers are not simulated.");
	}

	async transferOut(
		_endpointNumber: number,
		_data: ArrayBufferView | ArrayBuffer,
	): Promise<USBOutTransferResult> {
		this.ensureOpen();
		throw domError("NotSupportedError", "Bulk and interrupt transfers are not simulated.");
	}

	async isochronousTransferIn(
		_endpointNumber: number,
		_packetLengths: number[],
	): Promise<USBIsochronousInTransferResult> {
		throw domError("NotSupportedError", "Isochronous transfers are not simulated.");
	}

	async isochronousTransferOut(
		_endpointNumber: number,
		_data: ArrayBufferView | ArrayBuffer,
		_packetLengths: number[],
	): Promise<USBIsochronousOutTransferResult> {
		throw domError("NotSupportedError", "Isochronous transfers are not simulated.");
	}

	async reset(): Promise<void> {
		this.ensureOpen();
		this.board.busReset();
	}
}

function toBytes(data?: ArrayBufferView | ArrayBuffer): Uint8Array {
	if (!data) return new Uint8Array(0);
	if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
	return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}
