import { VirtualClock } from "../../source/clock.js";
import { createSimulation, type SimulationOptions } from "../../source/sim/index.js";
import type { SetupPacket } from "../../source/sim/setup.js";

/**
 * A simulated board and a raw DFU host for it. Unless `raw` is set, the host opens the loader
 * the way dfu-util does before its first own request: one GETSTATUS, and a CLRSTATUS if that
 * says dfuERROR (the F405/F407/F446 loaders always start so).
 */
export function sim(options: SimulationOptions & { raw?: boolean } = {}) {
	const clock = new VirtualClock();
	const simulation = createSimulation({ clock, ...options });
	const board = simulation.boards[0]!;
	let opened = options.raw === true;
	const send = (packet: Partial<SetupPacket> & { bRequest: number }, data?: Uint8Array) =>
		board.handleSetup(
			{ bmRequestType: 0x21, wValue: 0, wIndex: 0, wLength: data?.length ?? 0, ...packet },
			data,
		);
	const setup = async (packet: Partial<SetupPacket> & { bRequest: number }, data?: Uint8Array) => {
		if (!opened && (packet.bmRequestType ?? 0x21) & 0x20) {
			opened = true;
			const first = await send({ bmRequestType: 0xa1, bRequest: 3, wLength: 6 });
			if (first.status === "ok" && first.data?.[4] === 10) await send({ bRequest: 4 });
		}
		return send(packet, data);
	};
	const dfu = {
		setup,
		dnload: (block: number, data: Uint8Array) =>
			setup({ bRequest: 1, wValue: block, wLength: data.length }, data),
		leave: () => setup({ bRequest: 1, wValue: 0, wLength: 0 }),
		upload: (block: number, length: number) =>
			setup({ bmRequestType: 0xa1, bRequest: 2, wValue: block, wLength: length }),
		async getStatus() {
			const r = await setup({ bmRequestType: 0xa1, bRequest: 3, wLength: 6 });
			if (r.status !== "ok" || !r.data) throw new Error("GETSTATUS stalled");
			const d = r.data;
			return { status: d[0]!, pollTimeout: d[1]! | (d[2]! << 8) | (d[3]! << 16), state: d[4]! };
		},
		async getState() {
			const r = await setup({ bmRequestType: 0xa1, bRequest: 5, wLength: 1 });
			if (r.status !== "ok" || !r.data) throw new Error("GETSTATE stalled");
			return r.data[0]!;
		},
		clrStatus: () => setup({ bRequest: 4 }),
		abort: () => setup({ bRequest: 6 }),
		selectAlt: (alt: number) => setup({ bmRequestType: 0x01, bRequest: 11, wValue: alt }),
		/** Runs a DNLOAD'ed command/block to its end the way dfu-util does: poll, sleep, poll. */
		async settle() {
			let s = await dfu.getStatus();
			while (s.state === 4) {
				await clock.sleep(s.pollTimeout);
				s = await dfu.getStatus();
			}
			return s;
		},
		async command(bytes: number[]) {
			const r = await dfu.dnload(0, Uint8Array.from(bytes));
			if (r.status !== "ok") throw new Error("command stalled");
			return dfu.settle();
		},
		setAddress: (address: number) =>
			dfu.command([
				0x21,
				address & 0xff,
				(address >> 8) & 0xff,
				(address >> 16) & 0xff,
				address >>> 24,
			]),
		erase: (address: number) =>
			dfu.command([
				0x41,
				address & 0xff,
				(address >> 8) & 0xff,
				(address >> 16) & 0xff,
				address >>> 24,
			]),
		async write(address: number, data: Uint8Array) {
			await dfu.setAddress(address);
			const r = await dfu.dnload(2, data);
			if (r.status !== "ok") throw new Error("DNLOAD stalled");
			return dfu.settle();
		},
		async read(address: number, length: number) {
			await dfu.abort(); // an earlier upload may still be in dfuUPLOAD-IDLE
			await dfu.setAddress(address);
			await dfu.abort();
			const r = await dfu.upload(2, length);
			return r;
		},
	};
	return { clock, simulation, board, setup, dfu };
}

export const bytes = (...values: number[]) => Uint8Array.from(values);
