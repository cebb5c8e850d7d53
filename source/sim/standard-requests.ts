/**
 * Chapter 9 standard requests for a simulated full-speed device with one configuration, shared
 * by the ROM loader and the application-mode device.
 */

import { LANGID_DESCRIPTOR, stringDescriptor } from "./descriptors.js";
import {
	DescriptorType,
	ok,
	recipient,
	type SetupPacket,
	type SetupResult,
	STALL,
	StandardRequest,
} from "./setup.js";

export interface FunctionDescriptors {
	device: Uint8Array;
	configuration: Uint8Array;
	strings: Map<number, string>;
	/** Alt-setting count per interface number. */
	altCounts: number[];
	/** GET_STATUS(device) answer. */
	deviceStatus: number;
}

export interface StandardState {
	configuration: number;
	/** Selected alt setting per interface. */
	alts: number[];
}

function truncate(bytes: Uint8Array, wLength: number): SetupResult {
	return ok(bytes.slice(0, Math.min(bytes.length, wLength)));
}

/** Answers a standard request; `undefined` means "not a standard request". */
export function handleStandardRequest(
	setup: SetupPacket,
	descriptors: FunctionDescriptors,
	state: StandardState,
): SetupResult | undefined {
	if (((setup.bmRequestType >> 5) & 3) !== 0) return undefined;
	const to = recipient(setup);
	switch (setup.bRequest) {
		case StandardRequest.GET_DESCRIPTOR: {
			const type = setup.wValue >> 8;
			const index = setup.wValue & 0xff;
			if (type === DescriptorType.DEVICE) return truncate(descriptors.device, setup.wLength);
			if (type === DescriptorType.CONFIGURATION)
				return index === 0 ? truncate(descriptors.configuration, setup.wLength) : STALL;
			if (type === DescriptorType.STRING) {
				if (index === 0) return truncate(LANGID_DESCRIPTOR, setup.wLength);
				const text = descriptors.strings.get(index);
				return text === undefined ? STALL : truncate(stringDescriptor(text), setup.wLength);
			}
			// A full-speed-only device answers DEVICE_QUALIFIER (and everything else) with STALL.
			return STALL;
		}
		case StandardRequest.GET_STATUS: {
			if (to === 0)
				return ok(Uint8Array.of(descriptors.deviceStatus & 0xff, descriptors.deviceStatus >> 8));
			if (to === 1 && setup.wIndex < descriptors.altCounts.length) return ok(Uint8Array.of(0, 0));
			if (to === 2 && (setup.wIndex & 0x7f) === 0) return ok(Uint8Array.of(0, 0));
			return STALL;
		}
		case StandardRequest.SET_ADDRESS:
			return ok();
		case StandardRequest.GET_CONFIGURATION:
			return ok(Uint8Array.of(state.configuration));
		case StandardRequest.SET_CONFIGURATION: {
			const value = setup.wValue & 0xff;
			if (value > 1) return STALL;
			state.configuration = value;
			state.alts = descriptors.altCounts.map(() => 0);
			return ok();
		}
		case StandardRequest.GET_INTERFACE: {
			if (state.configuration === 0) return STALL;
			const alt = state.alts[setup.wIndex];
			return alt === undefined ? STALL : ok(Uint8Array.of(alt));
		}
		case StandardRequest.SET_INTERFACE: {
			if (state.configuration === 0) return STALL;
			const count = descriptors.altCounts[setup.wIndex];
			if (count === undefined || setup.wValue >= count) return STALL;
			state.alts[setup.wIndex] = setup.wValue;
			return ok();
		}
		case StandardRequest.CLEAR_FEATURE:
		case StandardRequest.SET_FEATURE:
			// Only ENDPOINT_HALT on endpoint 0 makes sense here (no remote wakeup: bmAttributes 0xC0).
			return to === 2 && setup.wValue === 0 && (setup.wIndex & 0x7f) === 0 ? ok() : STALL;
		default:
			return STALL;
	}
}
