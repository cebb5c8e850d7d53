import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { createSimulation } from "../../source/sim/index.js";
import { devicePath } from "../../source/usb/identity.js";

const classIn = (request: number) => ({
	requestType: "class" as const,
	recipient: "interface" as const,
	request,
	value: 0,
	index: 0,
});

describe("WebUSB USBDevice and USB fakes", () => {
	it("identity and configuration come from the descriptor bytes", async () => {
		const sim = createSimulation({ profile: "g474", clock: new VirtualClock() });
		const [device] = await sim.usb.getDevices();
		expect(device).toMatchObject({
			vendorId: 0x0483,
			productId: 0xdf11,
			usbVersionMajor: 1,
			usbVersionMinor: 0,
			deviceVersionMajor: 2,
			deviceVersionMinor: 0,
			manufacturerName: "STMicroelectronics",
			productName: "STM32  BOOTLOADER",
			opened: false,
		});
		const iface = device!.configuration!.interfaces[0]!;
		expect(
			iface.alternates.map((a) => [
				a.alternateSetting,
				a.interfaceClass,
				a.interfaceSubclass,
				a.interfaceProtocol,
			]),
		).toEqual([
			[0, 0xfe, 1, 2],
			[1, 0xfe, 1, 2],
			[2, 0xfe, 1, 2],
		]);
		expect(iface.alternates[1]!.interfaceName).toBe(
			"@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
		);
		sim.close();
	});

	it("needs open and a claimed interface, like a browser", async () => {
		// An F411 loader starts in dfuIDLE (the F407 in dfuERROR).
		const sim = createSimulation({ clock: new VirtualClock(), profile: "f411" });
		const [device] = await sim.usb.getDevices();
		await expect(device!.controlTransferIn(classIn(3), 6)).rejects.toMatchObject({
			name: "InvalidStateError",
		});
		await device!.open();
		await expect(device!.controlTransferIn(classIn(3), 6)).rejects.toMatchObject({
			name: "InvalidStateError",
		});
		await device!.claimInterface(0);
		const r = await device!.controlTransferIn(classIn(3), 6);
		expect(r.status).toBe("ok");
		expect([...new Uint8Array(r.data!.buffer, r.data!.byteOffset, r.data!.byteLength)]).toEqual([
			0, 0, 0, 0, 2, 0,
		]);
		sim.close();
	});

	it("selectAlternateInterface sends SET_INTERFACE and the interface reports the new alternate", async () => {
		const sim = createSimulation({ clock: new VirtualClock() });
		const [device] = await sim.usb.getDevices();
		await device!.open();
		await device!.claimInterface(0);
		await device!.selectAlternateInterface(0, 2);
		expect(device!.configuration!.interfaces[0]!.alternate.alternateSetting).toBe(2);
		expect(sim.boards[0]!.board.loader?.alternateSetting).toBe(2);
		await expect(device!.selectAlternateInterface(0, 9)).rejects.toMatchObject({
			name: "NotFoundError",
		});
		sim.close();
	});

	it("a STALL is a result with status 'stall', not an exception", async () => {
		const sim = createSimulation({ clock: new VirtualClock() });
		const [device] = await sim.usb.getDevices();
		await device!.open();
		await device!.claimInterface(0);
		const r = await device!.controlTransferOut({ ...classIn(1), value: 2 }, new Uint8Array(4096));
		expect(r).toMatchObject({ status: "stall", bytesWritten: 0 });
		sim.close();
	});

	it("after a disconnect the old object rejects with NotFoundError; plugging again gives a new one", async () => {
		const sim = createSimulation({ clock: new VirtualClock() });
		const board = sim.boards[0]!;
		const seen: string[] = [];
		sim.usb.onconnect = (e) => seen.push(`connect ${e.device.serialNumber}`);
		sim.usb.ondisconnect = (e) => seen.push(`disconnect ${e.device.serialNumber}`);
		const [device] = await sim.usb.getDevices();
		await device!.open();
		sim.unplug(board);
		expect(await sim.usb.getDevices()).toEqual([]);
		await expect(device!.claimInterface(0)).rejects.toMatchObject({ name: "NotFoundError" });
		sim.plug(board);
		const [again] = await sim.usb.getDevices();
		expect(again).not.toBe(device);
		expect(seen).toEqual(["disconnect 315A28A0B956", "connect 315A28A0B956"]);
		sim.close();
	});

	it("each board has its own port on bus 1, kept when it enumerates again", async () => {
		const sim = createSimulation({ profile: "f446", clock: new VirtualClock() });
		const second = sim.plug();
		sim.plug();
		const paths = (await sim.usb.getDevices()).map((d) => devicePath(d));
		expect(paths).toEqual(["1-1", "1-2", "1-3"]);
		// The F446 loader reports one serial on every board: the path tells them apart.
		expect(new Set((await sim.usb.getDevices()).map((d) => d.serialNumber)).size).toBe(1);
		sim.unplug(second);
		sim.plug(second);
		expect(devicePath(second.device!)).toBe("1-2");
		sim.close();
	});

	it("remove() puts a board away for good; boards plugged later still get serials of their own", async () => {
		const sim = createSimulation({ clock: new VirtualClock() });
		const gone: string[] = [];
		sim.usb.ondisconnect = (e) => gone.push(e.device.serialNumber!);
		const serials = new Set([sim.boards[0]!.device!.serialNumber]);
		for (let i = 0; i < 20; i++) {
			const board = sim.plug("f407");
			serials.add(board.device!.serialNumber);
			sim.remove(board);
			expect(board.isPresent()).toBe(false);
		}
		expect(sim.boards).toHaveLength(1);
		expect(gone).toHaveLength(20);
		// Two f407 boards on the bus at once never share a serial, removals or not.
		const a = sim.plug("f407");
		expect(a.device!.serialNumber).not.toBe(sim.boards[0]!.device!.serialNumber);
		expect(serials.size).toBe(21);
		expect((await sim.usb.getDevices()).length).toBe(2);
		// It takes the port the removed boards left, next to the first board's.
		expect(devicePath(a.device!)).toBe("1-2");
		sim.close();
	});

	it("requestDevice honours filters; a second board has its own serial", async () => {
		const sim = createSimulation({ clock: new VirtualClock() });
		const second = sim.plug("h743/blank");
		expect(second.device?.productName).toBe("DFU in FS Mode");
		const picked = await sim.usb.requestDevice({
			filters: [{ serialNumber: second.device!.serialNumber! }],
		});
		expect(picked).toBe(second.device);
		expect(
			(await sim.usb.requestDevice({ filters: [{ classCode: 0xfe, subclassCode: 1 }] })).vendorId,
		).toBe(0x0483);
		await expect(sim.usb.requestDevice({ filters: [{ vendorId: 0x1234 }] })).rejects.toMatchObject({
			name: "NotFoundError",
		});
		sim.close();
	});

	it("counts control transfers and GETSTATUS and sums the device floor", async () => {
		const clock = new VirtualClock();
		const sim = createSimulation({ clock, scenario: "blank", profile: "f411" });
		const board = sim.boards[0]!;
		const [device] = await sim.usb.getDevices();
		await device!.open();
		await device!.claimInterface(0);
		await device!.controlTransferOut({ ...classIn(1), value: 2 }, new Uint8Array(2048));
		await device!.controlTransferIn(classIn(3), 6);
		await clock.sleep(40);
		await device!.controlTransferIn(classIn(3), 6);
		expect(board.counters.controlTransfers).toBe(3);
		expect(board.counters.getStatus).toBe(2);
		// 2048 B out = setup + 32 data + status packets; GETSTATUS = 3 packets each, 1/13 ms apiece.
		expect(board.counters.transferMs).toBeCloseTo((34 + 3 + 3) / 13, 9);
		expect(board.counters.programMs).toBeCloseTo(2048 * 0.016, 9);
		expect(board.counters.deviceFloorMs).toBeCloseTo(
			board.counters.transferMs + board.counters.programMs,
			9,
		);
		sim.close();
	});

	it("a device pulled during a transfer rejects that transfer with NetworkError", async () => {
		const sim = createSimulation({ clock: new VirtualClock(), faults: "unplug-at-block=1" });
		const [device] = await sim.usb.getDevices();
		await device!.open();
		await device!.claimInterface(0);
		await expect(
			device!.controlTransferOut({ ...classIn(1), value: 2 }, new Uint8Array(64)),
		).rejects.toMatchObject({
			name: "NetworkError",
		});
		await expect(device!.controlTransferIn(classIn(3), 6)).rejects.toMatchObject({
			name: "NotFoundError",
		});
		sim.close();
	});

	it("runs on the real clock too (bus time slept, not advanced)", async () => {
		const sim = createSimulation({ scenario: "blank", profile: "f411" });
		const [device] = await sim.usb.getDevices();
		await device!.open();
		await device!.claimInterface(0);
		const r = await device!.controlTransferIn(classIn(5), 1);
		expect(r.status).toBe("ok");
		expect(r.data!.getUint8(0)).toBe(2);
		sim.close();
	});
});
