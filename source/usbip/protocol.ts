/**
 * USB/IP wire format, version 0x0111 (Linux Documentation/usb/usbip_protocol.rst). Every USB/IP
 * header field is big-endian; the 8-byte setup packet inside CMD_SUBMIT stays little-endian, as
 * on the USB wire. Pure encode/decode only: the server owns the sockets.
 */

import type { SetupPacket } from "../sim/setup.js";

export type { SetupPacket } from "../sim/setup.js";

export const USBIP_VERSION = 0x0111;

export const OP_REQ_DEVLIST = 0x8005;
export const OP_REP_DEVLIST = 0x0005;
export const OP_REQ_IMPORT = 0x8003;
export const OP_REP_IMPORT = 0x0003;

export const USBIP_CMD_SUBMIT = 0x0001;
export const USBIP_CMD_UNLINK = 0x0002;
export const USBIP_RET_SUBMIT = 0x0003;
export const USBIP_RET_UNLINK = 0x0004;

export const USBIP_DIR_OUT = 0;
export const USBIP_DIR_IN = 1;

/** Linux `enum usb_device_speed`: the importing kernel sizes its virtual port from it. */
export const USB_SPEED_FULL = 2;

/** Linux errno values carried (negated) in RET_SUBMIT / RET_UNLINK status. */
export const EPIPE = 32;
export const ECONNRESET = 104;
/** Linux errno for a transfer longer than the endpoint can carry. */
export const EMSGSIZE = 90;

export const OP_HEADER_SIZE = 8;
export const BUSID_SIZE = 32;
export const PATH_SIZE = 256;
/** Every CMD_* / RET_* header is padded to the same 48 bytes. */
export const URB_HEADER_SIZE = 48;
/** usbip_usb_device: path, busid, then 0x38 bytes of numbers. */
export const DEVICE_RECORD_SIZE = 0x138;
export const INTERFACE_RECORD_SIZE = 4;

export interface ExportedInterface {
	interfaceClass: number;
	interfaceSubclass: number;
	interfaceProtocol: number;
}

/** What OP_REP_DEVLIST and OP_REP_IMPORT say about one exported device. */
export interface ExportedDevice {
	path: string;
	busid: string;
	busnum: number;
	devnum: number;
	speed: number;
	idVendor: number;
	idProduct: number;
	bcdDevice: number;
	deviceClass: number;
	deviceSubclass: number;
	deviceProtocol: number;
	configurationValue: number;
	numConfigurations: number;
	/** One per interface of the active configuration (alternate setting 0). */
	interfaces: ExportedInterface[];
}

export interface OpHeader {
	version: number;
	code: number;
	status: number;
}

interface UrbBasic {
	seqnum: number;
	devid: number;
	direction: number;
	ep: number;
}

export interface CmdSubmit extends UrbBasic {
	command: "submit";
	transferFlags: number;
	transferBufferLength: number;
	startFrame: number;
	numberOfPackets: number;
	interval: number;
	setup: Uint8Array;
}

export interface CmdUnlink extends UrbBasic {
	command: "unlink";
	unlinkSeqnum: number;
}

export interface UnknownCommand extends UrbBasic {
	command: "unknown";
	code: number;
}

export type UrbCommand = CmdSubmit | CmdUnlink | UnknownCommand;

export interface RetSubmit {
	seqnum: number;
	status: number;
	actualLength: number;
	startFrame: number;
	numberOfPackets: number;
	errorCount: number;
	/** IN data (actualLength bytes); empty for OUT. */
	data: Uint8Array;
}

export interface RetUnlink {
	seqnum: number;
	status: number;
}

function view(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function requireLength(bytes: Uint8Array, length: number, what: string): void {
	if (bytes.length < length)
		throw new RangeError(`${what} needs ${length} bytes, got ${bytes.length}`);
}

/** A NUL-terminated, NUL-padded ASCII field; refuses strings that would lose their terminator. */
function writeFixedString(target: Uint8Array, offset: number, size: number, text: string): void {
	const bytes = new TextEncoder().encode(text);
	if (bytes.length >= size) throw new RangeError(`"${text}" does not fit in ${size} bytes`);
	target.set(bytes, offset);
}

function readFixedString(bytes: Uint8Array, offset: number, size: number): string {
	const field = bytes.subarray(offset, offset + size);
	const end = field.indexOf(0);
	return new TextDecoder().decode(end < 0 ? field : field.subarray(0, end));
}

export function encodeOpHeader(code: number, status = 0): Uint8Array {
	const out = new Uint8Array(OP_HEADER_SIZE);
	const v = view(out);
	v.setUint16(0, USBIP_VERSION);
	v.setUint16(2, code);
	v.setUint32(4, status);
	return out;
}

export function decodeOpHeader(bytes: Uint8Array): OpHeader {
	requireLength(bytes, OP_HEADER_SIZE, "operation header");
	const v = view(bytes);
	return { version: v.getUint16(0), code: v.getUint16(2), status: v.getUint32(4) };
}

/** OP_REQ_IMPORT's body: the 32-byte busid that follows the 8-byte header. */
export function decodeBusid(bytes: Uint8Array): string {
	requireLength(bytes, BUSID_SIZE, "busid");
	return readFixedString(bytes, 0, BUSID_SIZE);
}

export function encodeImportRequest(busid: string): Uint8Array {
	const out = new Uint8Array(OP_HEADER_SIZE + BUSID_SIZE);
	out.set(encodeOpHeader(OP_REQ_IMPORT));
	writeFixedString(out, OP_HEADER_SIZE, BUSID_SIZE, busid);
	return out;
}

export function encodeDeviceRecord(device: ExportedDevice): Uint8Array {
	const out = new Uint8Array(DEVICE_RECORD_SIZE);
	writeFixedString(out, 0, PATH_SIZE, device.path);
	writeFixedString(out, PATH_SIZE, BUSID_SIZE, device.busid);
	const v = view(out);
	v.setUint32(0x120, device.busnum);
	v.setUint32(0x124, device.devnum);
	v.setUint32(0x128, device.speed);
	v.setUint16(0x12c, device.idVendor);
	v.setUint16(0x12e, device.idProduct);
	v.setUint16(0x130, device.bcdDevice);
	out[0x132] = device.deviceClass;
	out[0x133] = device.deviceSubclass;
	out[0x134] = device.deviceProtocol;
	out[0x135] = device.configurationValue;
	out[0x136] = device.numConfigurations;
	out[0x137] = device.interfaces.length;
	return out;
}

/** A decoded record also says how many interfaces it claims (OP_REP_IMPORT lists none). */
export interface DecodedDevice extends ExportedDevice {
	numInterfaces: number;
}

/** Decodes a device record; interfaces are read only when the caller says they follow. */
export function decodeDeviceRecord(bytes: Uint8Array, withInterfaces: boolean): DecodedDevice {
	requireLength(bytes, DEVICE_RECORD_SIZE, "device record");
	const v = view(bytes);
	const count = bytes[0x137]!;
	const interfaces: ExportedInterface[] = [];
	if (withInterfaces) {
		requireLength(bytes, DEVICE_RECORD_SIZE + count * INTERFACE_RECORD_SIZE, "device record");
		for (let i = 0; i < count; i++) {
			const at = DEVICE_RECORD_SIZE + i * INTERFACE_RECORD_SIZE;
			interfaces.push({
				interfaceClass: bytes[at]!,
				interfaceSubclass: bytes[at + 1]!,
				interfaceProtocol: bytes[at + 2]!,
			});
		}
	}
	return {
		path: readFixedString(bytes, 0, PATH_SIZE),
		busid: readFixedString(bytes, PATH_SIZE, BUSID_SIZE),
		busnum: v.getUint32(0x120),
		devnum: v.getUint32(0x124),
		speed: v.getUint32(0x128),
		idVendor: v.getUint16(0x12c),
		idProduct: v.getUint16(0x12e),
		bcdDevice: v.getUint16(0x130),
		deviceClass: bytes[0x132]!,
		deviceSubclass: bytes[0x133]!,
		deviceProtocol: bytes[0x134]!,
		configurationValue: bytes[0x135]!,
		numConfigurations: bytes[0x136]!,
		numInterfaces: count,
		interfaces,
	};
}

export function encodeDevlistReply(devices: readonly ExportedDevice[]): Uint8Array {
	const parts: Uint8Array[] = [encodeOpHeader(OP_REP_DEVLIST)];
	const count = new Uint8Array(4);
	view(count).setUint32(0, devices.length);
	parts.push(count);
	for (const device of devices) {
		parts.push(encodeDeviceRecord(device));
		for (const itf of device.interfaces)
			parts.push(
				Uint8Array.of(itf.interfaceClass, itf.interfaceSubclass, itf.interfaceProtocol, 0),
			);
	}
	return concat(parts);
}

/** Parses a complete OP_REP_DEVLIST (the client side; used to check the server). */
export function decodeDevlistReply(bytes: Uint8Array): {
	header: OpHeader;
	devices: DecodedDevice[];
} {
	const header = decodeOpHeader(bytes);
	requireLength(bytes, OP_HEADER_SIZE + 4, "devlist reply");
	const count = view(bytes).getUint32(OP_HEADER_SIZE);
	const devices: DecodedDevice[] = [];
	let at = OP_HEADER_SIZE + 4;
	for (let i = 0; i < count; i++) {
		const device = decodeDeviceRecord(bytes.subarray(at), true);
		devices.push(device);
		at += DEVICE_RECORD_SIZE + device.interfaces.length * INTERFACE_RECORD_SIZE;
	}
	return { header, devices };
}

/** OP_REP_IMPORT: status 0 and the device record, or status 1 and nothing more. */
export function encodeImportReply(device: ExportedDevice | undefined): Uint8Array {
	if (!device) return encodeOpHeader(OP_REP_IMPORT, 1);
	return concat([encodeOpHeader(OP_REP_IMPORT, 0), encodeDeviceRecord(device)]);
}

export function decodeSetup(bytes: Uint8Array): SetupPacket {
	requireLength(bytes, 8, "setup packet");
	const v = view(bytes);
	return {
		bmRequestType: bytes[0]!,
		bRequest: bytes[1]!,
		wValue: v.getUint16(2, true),
		wIndex: v.getUint16(4, true),
		wLength: v.getUint16(6, true),
	};
}

export function encodeSetup(setup: SetupPacket): Uint8Array {
	const out = new Uint8Array(8);
	const v = view(out);
	out[0] = setup.bmRequestType;
	out[1] = setup.bRequest;
	v.setUint16(2, setup.wValue, true);
	v.setUint16(4, setup.wIndex, true);
	v.setUint16(6, setup.wLength, true);
	return out;
}

/** Decodes the fixed 48-byte header of a CMD_*; a CMD_SUBMIT OUT is followed by its buffer. */
export function decodeUrbCommand(bytes: Uint8Array): UrbCommand {
	requireLength(bytes, URB_HEADER_SIZE, "URB header");
	const v = view(bytes);
	const code = v.getUint32(0);
	const basic = {
		seqnum: v.getUint32(4),
		devid: v.getUint32(8),
		direction: v.getUint32(12),
		ep: v.getUint32(16),
	};
	if (code === USBIP_CMD_SUBMIT)
		return {
			command: "submit",
			...basic,
			transferFlags: v.getUint32(0x14),
			transferBufferLength: v.getInt32(0x18),
			startFrame: v.getInt32(0x1c),
			numberOfPackets: v.getInt32(0x20),
			interval: v.getInt32(0x24),
			setup: bytes.slice(0x28, 0x30),
		};
	if (code === USBIP_CMD_UNLINK)
		return { command: "unlink", ...basic, unlinkSeqnum: v.getUint32(0x14) };
	return { command: "unknown", ...basic, code };
}

/** Bytes that follow a CMD_SUBMIT header: the OUT buffer, then ISO descriptors (16 each). */
export function submitPayloadLength(cmd: CmdSubmit): { buffer: number; iso: number } {
	const buffer = cmd.direction === USBIP_DIR_OUT ? Math.max(0, cmd.transferBufferLength) : 0;
	const iso = cmd.numberOfPackets > 0 ? cmd.numberOfPackets * 16 : 0;
	return { buffer, iso };
}

function urbHeader(code: number, basic: UrbBasic): { out: Uint8Array; v: DataView } {
	const out = new Uint8Array(URB_HEADER_SIZE);
	const v = view(out);
	v.setUint32(0, code);
	v.setUint32(4, basic.seqnum);
	v.setUint32(8, basic.devid);
	v.setUint32(12, basic.direction);
	v.setUint32(16, basic.ep);
	return { out, v };
}

export function encodeCmdSubmit(
	cmd: Omit<CmdSubmit, "command">,
	outData: Uint8Array = new Uint8Array(0),
): Uint8Array {
	const { out, v } = urbHeader(USBIP_CMD_SUBMIT, cmd);
	v.setUint32(0x14, cmd.transferFlags);
	v.setInt32(0x18, cmd.transferBufferLength);
	v.setInt32(0x1c, cmd.startFrame);
	v.setInt32(0x20, cmd.numberOfPackets);
	v.setInt32(0x24, cmd.interval);
	out.set(cmd.setup.subarray(0, 8), 0x28);
	return cmd.direction === USBIP_DIR_OUT ? concat([out, outData]) : out;
}

export function encodeCmdUnlink(cmd: Omit<CmdUnlink, "command">): Uint8Array {
	const { out, v } = urbHeader(USBIP_CMD_UNLINK, cmd);
	v.setUint32(0x14, cmd.unlinkSeqnum);
	return out;
}

/** RET_SUBMIT: devid, direction and ep are zero in replies, as the protocol asks. */
export function encodeRetSubmit(ret: RetSubmit): Uint8Array {
	const { out, v } = urbHeader(USBIP_RET_SUBMIT, {
		seqnum: ret.seqnum,
		devid: 0,
		direction: 0,
		ep: 0,
	});
	v.setInt32(0x14, ret.status);
	v.setInt32(0x18, ret.actualLength);
	v.setInt32(0x1c, ret.startFrame);
	v.setInt32(0x20, ret.numberOfPackets);
	v.setInt32(0x24, ret.errorCount);
	return ret.data.length ? concat([out, ret.data]) : out;
}

export function encodeRetUnlink(ret: RetUnlink): Uint8Array {
	const { out, v } = urbHeader(USBIP_RET_UNLINK, {
		seqnum: ret.seqnum,
		devid: 0,
		direction: 0,
		ep: 0,
	});
	v.setInt32(0x14, ret.status);
	return out;
}

/** Decodes a RET_* header (the client side); RET_SUBMIT's IN data follows separately. */
export function decodeUrbReply(
	bytes: Uint8Array,
):
	| ({ reply: "submit" } & Omit<RetSubmit, "data">)
	| ({ reply: "unlink" } & RetUnlink)
	| { reply: "unknown"; code: number } {
	requireLength(bytes, URB_HEADER_SIZE, "URB reply");
	const v = view(bytes);
	const code = v.getUint32(0);
	const seqnum = v.getUint32(4);
	if (code === USBIP_RET_SUBMIT)
		return {
			reply: "submit",
			seqnum,
			status: v.getInt32(0x14),
			actualLength: v.getInt32(0x18),
			startFrame: v.getInt32(0x1c),
			numberOfPackets: v.getInt32(0x20),
			errorCount: v.getInt32(0x24),
		};
	if (code === USBIP_RET_UNLINK) return { reply: "unlink", seqnum, status: v.getInt32(0x14) };
	return { reply: "unknown", code };
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let at = 0;
	for (const part of parts) {
		out.set(part, at);
		at += part.length;
	}
	return out;
}
