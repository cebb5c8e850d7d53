import { describe, expect, it } from "vitest";
import { bytes, sim } from "./helpers.js";

const getDescriptor = (type: number, index: number, length: number) => ({
	bmRequestType: 0x80,
	bRequest: 6,
	wValue: (type << 8) | index,
	wIndex: type === 3 && index > 0 ? 0x0409 : 0,
	wLength: length,
});

function utf16(text: string): number[] {
	return [2 + text.length * 2, 3, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])];
}

describe("ROM loader descriptors against the F4 Discovery capture", () => {
	it("device descriptor: bcdUSB 1.00, EP0 64, 0483:df11, bcdDevice 21.00, strings 1/2/3", async () => {
		const { board } = sim({ profile: "f407-v21" });
		const r = await board.handleSetup(getDescriptor(1, 0, 18));
		expect(r).toEqual({
			status: "ok",
			data: bytes(18, 1, 0x00, 0x01, 0, 0, 0, 64, 0x83, 0x04, 0x11, 0xdf, 0x00, 0x21, 1, 2, 3, 1),
		});
	});

	it("configuration: 54 bytes, 4 alt settings, functional descriptor 0x0B/255/2048/1.1a last", async () => {
		const { board } = sim({ profile: "f407-v21" });
		const head = await board.handleSetup(getDescriptor(2, 0, 9));
		expect(head).toEqual({ status: "ok", data: bytes(9, 2, 54, 0, 1, 1, 0, 0xc0, 50) });
		const r = await board.handleSetup(getDescriptor(2, 0, 255));
		if (r.status !== "ok") throw new Error("stalled");
		const alt = (n: number) => [9, 4, 0, n, 0, 0xfe, 0x01, 0x02, 4 + n];
		expect(r.data).toEqual(
			bytes(
				...[9, 2, 54, 0, 1, 1, 0, 0xc0, 50],
				...alt(0),
				...alt(1),
				...alt(2),
				...alt(3),
				...[9, 0x21, 0x0b, 255, 0, 0x00, 0x08, 0x1a, 0x01],
			),
		);
	});

	it("strings: LANGID 0x0409, manufacturer, product, serial and the four layout strings", async () => {
		const { board } = sim({ profile: "f407-v21" });
		const text = [
			"STMicroelectronics",
			"STM32  BOOTLOADER",
			"315A28A0B956",
			"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
			"@Option Bytes  /0x1FFFC000/01*016 g",
			"@OTP Memory /0x1FFF7800/01*512 g,01*016 g",
			"@Device Feature/0xFFFF0000/01*004 g",
		];
		expect(await board.handleSetup(getDescriptor(3, 0, 255))).toEqual({
			status: "ok",
			data: bytes(4, 3, 0x09, 0x04),
		});
		for (const [i, t] of text.entries()) {
			expect(await board.handleSetup(getDescriptor(3, i + 1, 255))).toEqual({
				status: "ok",
				data: bytes(...utf16(t)),
			});
		}
		expect(await board.handleSetup(getDescriptor(3, 8, 255))).toEqual({ status: "stall" });
	});

	it("truncates to wLength, stalls the device qualifier, reports self powered", async () => {
		const { board } = sim();
		expect(await board.handleSetup(getDescriptor(1, 0, 8))).toEqual({
			status: "ok",
			data: bytes(18, 1, 0x00, 0x01, 0, 0, 0, 64),
		});
		expect(await board.handleSetup(getDescriptor(6, 0, 10))).toEqual({ status: "stall" });
		expect(
			await board.handleSetup({
				bmRequestType: 0x80,
				bRequest: 0,
				wValue: 0,
				wIndex: 0,
				wLength: 2,
			}),
		).toEqual({
			status: "ok",
			data: bytes(1, 0),
		});
	});

	it("V2.2 F407 reports bcdDevice 0x2200 and 'e' typed option bytes", async () => {
		const { simulation } = sim();
		const [device] = await simulation.usb.getDevices();
		expect(device!.deviceVersionMajor).toBe(0x22);
		expect(device!.configuration!.interfaces[0]!.alternates.map((a) => a.interfaceName)).toEqual([
			"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
			"@Option Bytes  /0x1FFFC000/01*016 e",
			"@OTP Memory /0x1FFF7800/01*512 e,01*016 e",
			"@Device Feature/0xFFFF0000/01*004 e",
		]);
	});

	it("GET_DESCRIPTOR(DFU functional) to the interface returns the 9-byte functional descriptor", async () => {
		const { board } = sim({ profile: "h743" });
		expect(
			await board.handleSetup({
				bmRequestType: 0x81,
				bRequest: 6,
				wValue: 0x2100,
				wIndex: 0,
				wLength: 9,
			}),
		).toEqual({ status: "ok", data: bytes(9, 0x21, 0x0b, 255, 0, 0x00, 0x04, 0x1a, 0x01) });
	});

	it("SET_INTERFACE beyond the last alt setting and SET_CONFIGURATION 2 are stalled", async () => {
		const { board } = sim();
		expect(
			await board.handleSetup({
				bmRequestType: 0x01,
				bRequest: 11,
				wValue: 4,
				wIndex: 0,
				wLength: 0,
			}),
		).toEqual({ status: "stall" });
		expect(
			await board.handleSetup({
				bmRequestType: 0x00,
				bRequest: 9,
				wValue: 2,
				wIndex: 0,
				wLength: 0,
			}),
		).toEqual({ status: "stall" });
		expect(
			await board.handleSetup({
				bmRequestType: 0x01,
				bRequest: 11,
				wValue: 3,
				wIndex: 0,
				wLength: 0,
			}),
		).toEqual({ status: "ok" });
		expect(
			await board.handleSetup({
				bmRequestType: 0x81,
				bRequest: 10,
				wValue: 0,
				wIndex: 0,
				wLength: 1,
			}),
		).toEqual({ status: "ok", data: bytes(3) });
		expect(
			await board.handleSetup({
				bmRequestType: 0x80,
				bRequest: 8,
				wValue: 0,
				wIndex: 0,
				wLength: 1,
			}),
		).toEqual({ status: "ok", data: bytes(1) });
	});
});
