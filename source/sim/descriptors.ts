/**
 * Descriptor bytes of the ROM loader, built from a profile. Layout as in the reference capture
 * (stm32f4discovery.lsusb): device descriptor with bMaxPacketSize0 64 (bcdUSB from the profile), one
 * configuration (self powered 0xC0, 100 mA) holding one interface with an alt setting per memory
 * and the DFU functional descriptor after the last alt setting.
 */
import type { ChipProfile } from "./profiles.js";
import { loaderSerial } from "./profiles.js";

export const STRING_MANUFACTURER = 1;
export const STRING_PRODUCT = 2;
export const STRING_SERIAL = 3;
/** Alt setting n names itself with string index 4 + n, as the capture shows. */
export const STRING_FIRST_ALT = 4;

/** bmAttributes 0x0B: CanDnload | CanUpload | WillDetach, not manifestation tolerant. */
export const DFU_ATTRIBUTES = 0x0b;
export const DFU_DETACH_TIMEOUT_MS = 255;
export const DFUSE_VERSION = 0x011a;

export interface DeviceIdentity {
	vendorId: number;
	productId: number;
	bcdDevice: number;
	bcdUSB: number;
	deviceClass: number;
	deviceSubclass: number;
	deviceProtocol: number;
	maxPacketSize0: number;
}

export function deviceDescriptor(identity: DeviceIdentity): Uint8Array {
	return Uint8Array.of(
		18,
		1,
		identity.bcdUSB & 0xff,
		identity.bcdUSB >> 8,
		identity.deviceClass,
		identity.deviceSubclass,
		identity.deviceProtocol,
		identity.maxPacketSize0,
		identity.vendorId & 0xff,
		identity.vendorId >> 8,
		identity.productId & 0xff,
		identity.productId >> 8,
		identity.bcdDevice & 0xff,
		identity.bcdDevice >> 8,
		STRING_MANUFACTURER,
		STRING_PRODUCT,
		STRING_SERIAL,
		1,
	);
}

export function loaderIdentity(profile: ChipProfile): DeviceIdentity {
	return {
		vendorId: profile.usb.vendorId,
		productId: profile.usb.productId,
		bcdDevice: profile.usb.bcdDevice,
		bcdUSB: profile.usb.bcdUSB,
		deviceClass: 0,
		deviceSubclass: 0,
		deviceProtocol: 0,
		maxPacketSize0: 64,
	};
}

/** Wraps interface/class/endpoint descriptors into a configuration descriptor. */
export function configurationDescriptor(
	body: Uint8Array,
	numInterfaces: number,
	attributes = 0xc0,
	maxPower = 50,
): Uint8Array {
	const total = 9 + body.length;
	const out = new Uint8Array(total);
	out.set([9, 2, total & 0xff, total >> 8, numInterfaces, 1, 0, attributes, maxPower]);
	out.set(body, 9);
	return out;
}

export function loaderConfigurationDescriptor(profile: ChipProfile): Uint8Array {
	const parts: number[] = [];
	profile.alts.forEach((_, alt) => {
		parts.push(9, 4, 0, alt, 0, 0xfe, 0x01, 0x02, STRING_FIRST_ALT + alt);
	});
	const size = profile.usb.transferSize;
	parts.push(
		9,
		0x21,
		DFU_ATTRIBUTES,
		DFU_DETACH_TIMEOUT_MS & 0xff,
		DFU_DETACH_TIMEOUT_MS >> 8,
		size & 0xff,
		size >> 8,
		DFUSE_VERSION & 0xff,
		DFUSE_VERSION >> 8,
	);
	return configurationDescriptor(Uint8Array.from(parts), 1);
}

/** String descriptor 0: the list of language IDs (US English only). */
export const LANGID_DESCRIPTOR = Uint8Array.of(4, 3, 0x09, 0x04);

export function stringDescriptor(text: string): Uint8Array {
	const out = new Uint8Array(2 + text.length * 2);
	out[0] = out.length;
	out[1] = 3;
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		out[2 + i * 2] = code & 0xff;
		out[3 + i * 2] = code >> 8;
	}
	return out;
}

/** The loader's strings by index (0 is the LANGID list, handled apart). */
export function loaderStrings(profile: ChipProfile, uid = profile.uid.words): Map<number, string> {
	const strings = new Map<number, string>([
		[STRING_MANUFACTURER, profile.usb.manufacturer],
		[STRING_PRODUCT, profile.usb.product],
		[STRING_SERIAL, loaderSerial(profile, uid)],
	]);
	profile.alts.forEach((alt, i) => {
		strings.set(STRING_FIRST_ALT + i, alt.name);
	});
	return strings;
}
