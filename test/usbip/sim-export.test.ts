import { afterEach, describe, expect, it, vi } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { createSimulation, type Simulation } from "../../source/sim/index.js";
import { EPIPE } from "../../source/usbip/protocol.js";
import { startUsbipServer, type UsbipServer } from "../../source/usbip/sim-export.js";
import { UsbipTestClient } from "./usbip-client.js";

let server: UsbipServer | undefined;
let simulation: Simulation | undefined;
const clients: UsbipTestClient[] = [];

async function exportSim(sim: string, faults?: string) {
	const [profile, scenario] = sim.split("/");
	const clock = new VirtualClock();
	simulation = createSimulation({ profile, scenario, faults, clock });
	server = await startUsbipServer({ simulation, port: 0 });
	return { clock, board: simulation.boards[0]!, port: server.address.port };
}

async function importLoader(port: number) {
	const client = await UsbipTestClient.open(port);
	clients.push(client);
	const { header, device } = await client.import("1-1");
	expect(header.status).toBe(0);
	return { client, device: device! };
}

const DFU_OUT = 0x21;
const DFU_IN = 0xa1;
const getStatus = { bmRequestType: DFU_IN, bRequest: 3, wValue: 0, wIndex: 0, wLength: 6 };

afterEach(async () => {
	for (const c of clients.splice(0)) c.close();
	await server?.close();
	simulation?.close();
	server = undefined;
	simulation = undefined;
});

describe("USB/IP export of the simulator", () => {
	it("lists and imports the simulated loader with the ids its WebUSB device reports", async () => {
		const { board, port } = await exportSim("f407/healthy");
		const lister = await UsbipTestClient.open(port);
		clients.push(lister);
		const { devices } = await lister.devlist();
		const webusb = board.device!;
		expect(devices).toHaveLength(1);
		expect(devices[0]).toMatchObject({
			busid: "1-1",
			idVendor: webusb.vendorId,
			idProduct: webusb.productId,
			numConfigurations: 1,
			interfaces: [{ interfaceClass: 0xfe, interfaceSubclass: 0x01, interfaceProtocol: 0x02 }],
		});
		const { device } = await importLoader(port);
		expect(device).toMatchObject({ busid: "1-1", idVendor: 0x0483, idProduct: 0xdf11 });
	});

	it("answers GET_DESCRIPTOR(device) with the simulator's bytes and stalls the device qualifier", async () => {
		const { board, port } = await exportSim("f407/healthy");
		const { client } = await importLoader(port);
		client.submitControl({
			bmRequestType: 0x80,
			bRequest: 6,
			wValue: 0x0100,
			wIndex: 0,
			wLength: 18,
		});
		const reply = await client.nextReply();
		expect(reply).toMatchObject({ status: 0, actualLength: 18 });
		const direct = await board.handleSetup({
			bmRequestType: 0x80,
			bRequest: 6,
			wValue: 0x0100,
			wIndex: 0,
			wLength: 18,
		});
		expect(direct.status === "ok" && direct.data).toEqual(reply.data);

		client.submitControl({
			bmRequestType: 0x80,
			bRequest: 6,
			wValue: 0x0600,
			wIndex: 0,
			wLength: 10,
		});
		expect(await client.nextReply()).toMatchObject({ status: -EPIPE, actualLength: 0 });

		client.submitControl({ bmRequestType: 0x00, bRequest: 9, wValue: 1, wIndex: 0, wLength: 0 });
		expect(await client.nextReply()).toMatchObject({ status: 0 });
		client.submitControl({ bmRequestType: 0x01, bRequest: 11, wValue: 1, wIndex: 0, wLength: 0 });
		expect(await client.nextReply()).toMatchObject({ status: 0 });
	});

	it("drops the connection when the loader leaves and exports the loader again when it returns", async () => {
		const { board, port } = await exportSim("f411/boot0-high"); // starts in dfuIDLE
		const { client, device: before } = await importLoader(port);
		client.submitControl({ bmRequestType: DFU_OUT, bRequest: 1, wValue: 0, wIndex: 0, wLength: 0 });
		expect(await client.nextReply()).toMatchObject({ status: 0 });
		client.submitControl(getStatus);
		const manifest = await client.nextReply();
		expect(manifest).toMatchObject({ status: 0, actualLength: 6 });
		expect(manifest.data[4]).toBe(7); // dfuMANIFEST: the reply goes out before the reset
		await client.closed();

		// On the virtual clock the loader's second enumeration follows at once.
		await vi.waitFor(() => expect(board.counters.enumerations).toBe(2));
		const { client: again, device: after } = await importLoader(port);
		expect(after.devnum).not.toBe(before.devnum);
		again.submitControl(getStatus);
		expect((await again.nextReply()).data[4]).toBe(2); // dfuIDLE, a fresh loader
	});

	it("gives no answer to the block during which the board is unplugged, and closes", async () => {
		const { board, port } = await exportSim("f407/healthy", "unplug-at-block=1");
		const { client } = await importLoader(port);
		const block = new Uint8Array(2048).fill(0x5a);
		client.submitControl(
			{ bmRequestType: DFU_OUT, bRequest: 1, wValue: 2, wIndex: 0, wLength: block.length },
			block,
		);
		await client.closed();
		expect(board.isPresent()).toBe(false);
		const lister = await UsbipTestClient.open(port);
		clients.push(lister);
		expect((await lister.devlist()).devices).toEqual([]);
	});
});
