/**
 * Reads the configuration descriptor's bytes with GET_DESCRIPTOR and parses the DFU interface,
 * its alt settings and the DFU functional descriptor (type 0x21) from them. WebUSB's parsed
 * objects do not expose the functional descriptor (wTransferSize!), and backends differ in what
 * they fill in, so the bytes are the truth.
 */
import { DeviceError } from "../errors.js";
import type { AltSettingInfo, DfuFunctional } from "../store/events.js";
import { DeviceGoneError, DfuTransferError, DfuUnsupportedError } from "./errors.js";
import { parseLayout } from "./layout.js";
import { isDeviceGone } from "./requests.js";

const GET_DESCRIPTOR = 6;
const TYPE_CONFIGURATION = 0x02;
const TYPE_STRING = 0x03;
const TYPE_INTERFACE = 0x04;
const TYPE_DFU_FUNCTIONAL = 0x21;
const LANGID_EN_US = 0x0409;

export const DFU_CLASS = 0xfe;
export const DFU_SUBCLASS = 0x01;
export const DFU_PROTOCOL_RUNTIME = 0x01;
export const DFU_PROTOCOL_DFU = 0x02;

export interface InterfaceAlt {
	interfaceNumber: number;
	alternateSetting: number;
	interfaceClass: number;
	interfaceSubclass: number;
	interfaceProtocol: number;
	iInterface: number;
}

export interface ConfigurationInfo {
	configurationValue: number;
	alts: InterfaceAlt[];
	/** Functional descriptors by interface number (ST puts it after the last alt setting). */
	functional: Map<number, DfuFunctional>;
}

/** The device sent USB descriptors that cannot be what a DFU loader sends (cut short, wrong type). */
export class DescriptorParseError extends DeviceError {
	override readonly kind = "descriptor";

	constructor(reason: string) {
		super(
			`the device's USB descriptors cannot be read: ${reason}`,
			{ reason },
			"Replug the board and try again; if it stays so, the device is not a working DFU loader (bringup list shows what it reports).",
		);
	}
}

export function parseFunctional(bytes: Uint8Array): DfuFunctional {
	if (bytes.length < 7) throw new DescriptorParseError("DFU functional descriptor too short");
	const attributes = bytes[2]!;
	return {
		attributes,
		canDownload: (attributes & 1) !== 0,
		canUpload: (attributes & 2) !== 0,
		manifestationTolerant: (attributes & 4) !== 0,
		willDetach: (attributes & 8) !== 0,
		detachTimeout: bytes[3]! | (bytes[4]! << 8),
		transferSize: bytes[5]! | (bytes[6]! << 8),
		// DFU 1.0 descriptors end after wTransferSize (7 bytes).
		dfuVersion: bytes.length >= 9 ? bytes[7]! | (bytes[8]! << 8) : 0x0100,
	};
}

/** Walks a full configuration descriptor (as returned by GET_DESCRIPTOR, wTotalLength bytes). */
export function parseConfiguration(bytes: Uint8Array): ConfigurationInfo {
	if (bytes.length < 9 || bytes[1] !== TYPE_CONFIGURATION)
		throw new DescriptorParseError("not a configuration descriptor");
	const info: ConfigurationInfo = {
		configurationValue: bytes[5]!,
		alts: [],
		functional: new Map(),
	};
	let current: InterfaceAlt | undefined;
	let offset = 0;
	while (offset + 2 <= bytes.length) {
		const length = bytes[offset]!;
		const type = bytes[offset + 1]!;
		if (length < 2 || offset + length > bytes.length) break;
		const d = bytes.subarray(offset, offset + length);
		if (type === TYPE_INTERFACE && length >= 9) {
			current = {
				interfaceNumber: d[2]!,
				alternateSetting: d[3]!,
				interfaceClass: d[5]!,
				interfaceSubclass: d[6]!,
				interfaceProtocol: d[7]!,
				iInterface: d[8]!,
			};
			info.alts.push(current);
		} else if (type === TYPE_DFU_FUNCTIONAL && current) {
			info.functional.set(current.interfaceNumber, parseFunctional(d));
		}
		offset += length;
	}
	return info;
}

export function isDfuAlt(alt: InterfaceAlt): boolean {
	return alt.interfaceClass === DFU_CLASS && alt.interfaceSubclass === DFU_SUBCLASS;
}

async function getDescriptor(
	device: USBDevice,
	value: number,
	index: number,
	length: number,
): Promise<Uint8Array> {
	const site = { operation: `read descriptor 0x${value.toString(16).padStart(4, "0")}` };
	let result: USBInTransferResult;
	try {
		result = await device.controlTransferIn(
			{ requestType: "standard", recipient: "device", request: GET_DESCRIPTOR, value, index },
			length,
		);
	} catch (error) {
		if (isDeviceGone(error, device)) throw new DeviceGoneError(site, error);
		throw new DfuTransferError(site, error instanceof Error ? error.message : String(error));
	}
	if (result.status !== "ok" || !result.data) throw new DfuTransferError(site, result.status);
	const view = result.data;
	return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The first configuration's descriptor bytes: 9 bytes for wTotalLength, then all of it. */
export async function readConfigurationBytes(device: USBDevice, index = 0): Promise<Uint8Array> {
	const head = await getDescriptor(device, (TYPE_CONFIGURATION << 8) | index, 0, 9);
	if (head.length < 4) throw new DescriptorParseError("configuration descriptor too short");
	const total = head[2]! | (head[3]! << 8);
	return getDescriptor(device, (TYPE_CONFIGURATION << 8) | index, 0, total);
}

/** A string descriptor (UTF-16LE) in US English; empty for index 0. */
export async function readString(device: USBDevice, index: number): Promise<string> {
	if (index === 0) return "";
	const bytes = await getDescriptor(device, (TYPE_STRING << 8) | index, LANGID_EN_US, 255);
	if (bytes.length < 2 || bytes[1] !== TYPE_STRING) return "";
	const length = Math.min(bytes[0]!, bytes.length);
	let text = "";
	for (let i = 2; i + 1 < length; i += 2)
		text += String.fromCharCode(bytes[i]! | (bytes[i + 1]! << 8));
	return text;
}

export interface DfuInterfaceInfo {
	configurationValue: number;
	interfaceNumber: number;
	/** 0x02 DFU mode, 0x01 run-time. */
	protocol: number;
	functional?: DfuFunctional;
	alts: AltSettingInfo[];
}

/** Finds the DFU interface (DFU mode preferred over run-time) and names its alt settings. */
export async function describeDfuInterface(device: USBDevice): Promise<DfuInterfaceInfo> {
	const config = parseConfiguration(await readConfigurationBytes(device));
	const dfuAlts = config.alts.filter(isDfuAlt);
	if (dfuAlts.length === 0)
		throw new DfuUnsupportedError(
			"the device has no DFU interface",
			{},
			"Put the board in DFU mode (BOOT0 high + reset), or detach a run-time DFU device first.",
		);
	const mode =
		dfuAlts.find((a) => a.interfaceProtocol === DFU_PROTOCOL_DFU) ??
		dfuAlts.find((a) => a.interfaceProtocol === DFU_PROTOCOL_RUNTIME) ??
		dfuAlts[0]!;
	const interfaceNumber = mode.interfaceNumber;
	const alts: AltSettingInfo[] = [];
	for (const a of dfuAlts.filter((x) => x.interfaceNumber === interfaceNumber)) {
		const name = await readString(device, a.iInterface);
		let layout: AltSettingInfo["layout"];
		try {
			layout = parseLayout(name);
		} catch {
			layout = undefined;
		}
		alts.push({ alt: a.alternateSetting, name, ...(layout ? { layout } : {}) });
	}
	const functional = config.functional.get(interfaceNumber);
	return {
		configurationValue: config.configurationValue,
		interfaceNumber,
		protocol: mode.interfaceProtocol,
		...(functional ? { functional } : {}),
		alts,
	};
}
