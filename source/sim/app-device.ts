/**
 * What a healthy application shows on USB after leaving the loader: ST's CDC virtual COM port
 * example (VID 0x0483, PID 0x5740, "STM32 Virtual ComPort"), whose serial string follows the
 * same UID rule as the loader's. Only control requests are modelled.
 */
import { configurationDescriptor, deviceDescriptor } from "./descriptors.js";
import { serialFromUid } from "./profiles.js";
import { ok, type SetupPacket, type SetupResult, STALL } from "./setup.js";
import {
	type FunctionDescriptors,
	handleStandardRequest,
	type StandardState,
} from "./standard-requests.js";

export interface AppDeviceSpec {
	vendorId: number;
	productId: number;
	bcdDevice: number;
	manufacturer: string;
	product: string;
}

export const ST_VIRTUAL_COM_PORT: AppDeviceSpec = {
	vendorId: 0x0483,
	productId: 0x5740,
	bcdDevice: 0x0200,
	manufacturer: "STMicroelectronics",
	product: "STM32 Virtual ComPort",
};

/** Interface 0: CDC ACM control with a notification endpoint; interface 1: CDC data, bulk 64. */
const CDC_BODY = Uint8Array.of(
	...[9, 4, 0, 0, 1, 0x02, 0x02, 0x01, 0],
	...[5, 0x24, 0x00, 0x10, 0x01], // header, CDC 1.10
	...[5, 0x24, 0x01, 0x00, 0x01], // call management
	...[4, 0x24, 0x02, 0x02], // ACM: line coding and serial state
	...[5, 0x24, 0x06, 0x00, 0x01], // union: master 0, slave 1
	...[7, 5, 0x82, 0x03, 8, 0, 0x10], // interrupt IN
	...[9, 4, 1, 0, 2, 0x0a, 0x00, 0x00, 0],
	...[7, 5, 0x01, 0x02, 64, 0, 0], // bulk OUT
	...[7, 5, 0x81, 0x02, 64, 0, 0], // bulk IN
);

export class AppDevice {
	readonly descriptors: FunctionDescriptors;
	private readonly standard: StandardState = { configuration: 1, alts: [0, 0] };
	private lineCoding = Uint8Array.of(0x00, 0xc2, 0x01, 0x00, 0, 0, 8); // 115200 8N1

	constructor(spec: AppDeviceSpec, uid: readonly [number, number, number]) {
		this.descriptors = {
			device: deviceDescriptor({
				vendorId: spec.vendorId,
				productId: spec.productId,
				bcdDevice: spec.bcdDevice,
				bcdUSB: 0x0200,
				deviceClass: 0x02,
				deviceSubclass: 0,
				deviceProtocol: 0,
				maxPacketSize0: 64,
			}),
			configuration: configurationDescriptor(CDC_BODY, 2),
			strings: new Map([
				[1, spec.manufacturer],
				[2, spec.product],
				[3, serialFromUid(uid)],
			]),
			altCounts: [1, 1],
			deviceStatus: 0x0001,
		};
	}

	handle(setup: SetupPacket, dataOut?: Uint8Array): SetupResult {
		const standard = handleStandardRequest(setup, this.descriptors, this.standard);
		if (standard) return standard;
		if ((setup.bmRequestType & 0x7f) !== 0x21 || setup.wIndex !== 0) return STALL;
		switch (setup.bRequest) {
			case 0x20: // SET_LINE_CODING
				if (dataOut && dataOut.length >= 7) this.lineCoding = dataOut.slice(0, 7);
				return ok();
			case 0x21: // GET_LINE_CODING
				return ok(this.lineCoding.slice(0, setup.wLength));
			case 0x22: // SET_CONTROL_LINE_STATE
				return ok();
			default:
				return STALL;
		}
	}
}
