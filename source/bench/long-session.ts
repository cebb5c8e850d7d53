/**
 * One long session: 600 flashes into one store, as a lab PC flashing a class's boards all day
 * does. The time per 100 flashes must stay flat: a store that keeps (and copies) every job it
 * ever ran gets slower with each one.
 */
import { VirtualClock } from "../clock.js";
import { flashImage, openDfu } from "../dfu/index.js";
import type { Image } from "../image/image.js";
import { createSimulation } from "../sim/index.js";
import { createStore } from "../store/store.js";

export interface LongSession {
	/** Wall milliseconds for each batch of `batch` flashes, in order. */
	batchMs: number[];
	batch: number;
	jobsKept: number;
}

export async function longSession(flashes = 600, batch = 100): Promise<LongSession> {
	const clock = new VirtualClock();
	const sim = createSimulation({ profile: "f407", scenario: "healthy", clock });
	const device = (await sim.usb.getDevices())[0]!;
	const store = createStore({ now: () => clock.now() });
	const data = new Uint8Array(4096).map((_, i) => (i * 31) & 0xff);
	const view = new DataView(data.buffer);
	view.setUint32(0, 0x20020000, true);
	view.setUint32(4, 0x08000189, true);
	const image: Image = {
		format: "bin",
		source: "long-session.bin",
		segments: [{ address: 0x08000000, data }],
	};
	const batchMs: number[] = [];
	let start = performance.now();
	for (let i = 1; i <= flashes; i++) {
		// A different byte each time, so that every flash erases and writes.
		data[8] = i & 0xff;
		const session = await openDfu(device, { clock, store, alt: 0 });
		await flashImage(session, image, { verify: true });
		await session.close();
		if (i % batch === 0) {
			batchMs.push(performance.now() - start);
			start = performance.now();
		}
	}
	sim.close();
	return { batchMs, batch, jobsKept: store.getState().jobOrder.length };
}
