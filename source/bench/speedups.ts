/**
 * The issue-12 ratios, all on the simulated F407 with datasheet timing on a virtual clock, verify
 * on: the supply range (x32 vs byte-wise), delta flashing (re-flash of one changed sector, and of
 * the same image, vs a full flash), and many boards at once (8 in parallel vs 1).
 */
import { VirtualClock } from "../clock.js";
import { type FlashOptions, flashImage, openDfu } from "../dfu/index.js";
import type { Image } from "../image/image.js";
import { type BusTimeMode, createSimulation, type SimBoard } from "../sim/index.js";
import { createStore, type Store } from "../store/store.js";

const MiB = 1024 * 1024;
const BASE = 0x08000000;

/** Seeded bytes (xorshift32) with a plausible vector table: the same image on every run. */
export function firmware(size: number, seed = 0x1234567): Image {
	const data = new Uint8Array(size);
	let x = seed;
	for (let i = 0; i < size; i += 4) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		data[i] = x & 0xff;
		data[i + 1] = (x >>> 8) & 0xff;
		data[i + 2] = (x >>> 16) & 0xff;
		data[i + 3] = (x >>> 24) & 0xff;
	}
	const view = new DataView(data.buffer);
	view.setUint32(0, 0x20020000, true); // initial SP: top of F407 SRAM1+2
	view.setUint32(4, 0x08000189, true); // reset handler, Thumb
	return { format: "bin", source: `fw-${size / 1024}KiB.bin`, segments: [{ address: BASE, data }] };
}

export interface Case {
	name: string;
	modelledMs: number;
	controlTransfers: number;
}

export interface Bench {
	clock: VirtualClock;
	store: Store;
	boards: SimBoard[];
	devices: USBDevice[];
	close(): void;
}

/**
 * `count` erased F407 boards on one virtual clock, as new boards out of the tray. Bus time:
 * "advance" moves the one clock for every transfer, so the boards' transfers queue behind each
 * other (one full-speed bus shared by all: a single-TT hub); "sleep" lets each board spend its own
 * (a multi-TT hub or separate ports: every board has its own 12 Mb/s).
 */
export async function boards(count: number, busTime: BusTimeMode = "advance"): Promise<Bench> {
	const clock = new VirtualClock();
	const sim = createSimulation({ profile: "f407", scenario: "blank", clock, busTime });
	for (let i = 1; i < count; i++) sim.plug({ profile: "f407", scenario: "blank" });
	const devices = await sim.usb.getDevices();
	const store = createStore({ now: () => clock.now(), historyLimit: 1000 });
	return { clock, store, boards: sim.boards, devices, close: () => sim.close() };
}

export async function flashOn(
	bench: Bench,
	index: number,
	image: Image,
	options: FlashOptions,
): Promise<void> {
	const session = await openDfu(bench.devices[index]!, {
		clock: bench.clock,
		store: bench.store,
		alt: 0,
		deviceKey: `sim-${index + 1}`,
	});
	try {
		await flashImage(session, image, { verify: true, ...options });
	} finally {
		await session.close();
	}
}

async function timed(name: string, bench: Bench, run: () => Promise<unknown>): Promise<Case> {
	const before = bench.boards.reduce((sum, b) => sum + b.counters.controlTransfers, 0);
	const t0 = bench.clock.now();
	await run();
	return {
		name,
		modelledMs: bench.clock.now() - t0,
		controlTransfers:
			bench.boards.reduce((sum, b) => sum + b.counters.controlTransfers, 0) - before,
	};
}

export interface Speedups {
	cases: Case[];
	r1: number;
	r2: number;
	r3: number;
	/** Each board on its own full-speed link (multi-TT hub). */
	r4: number;
	/** All boards sharing one full-speed bus (single-TT hub): the compare and verify reads queue. */
	r4Shared: number;
}

/** Every case of the summary line, measured in this one run. */
export async function measureSpeedups(boardCount = 8): Promise<Speedups> {
	const image = firmware(MiB);
	const changed = firmware(MiB);
	changed.segments[0]!.data[0x4000 + 100]! ^= 0xff; // sector 1, 16 KiB

	const one = await boards(1);
	const fullX8 = await timed("1 MiB full, byte-wise (x8)", one, () =>
		flashOn(one, 0, image, { delta: false }),
	);
	const oneSector = await timed("re-flash, one 16 KiB sector changed", one, () =>
		flashOn(one, 0, changed, { delta: true }),
	);
	const same = await timed("re-flash, same image", one, () =>
		flashOn(one, 0, changed, { delta: true }),
	);
	one.close();

	const wide = await boards(1);
	const fullX32 = await timed("1 MiB full, 2.7-3.6 V (x32)", wide, () =>
		flashOn(wide, 0, image, { delta: false, voltageRange: 3 }),
	);
	wide.close();

	const parallel = async (busTime: BusTimeMode) => {
		const single = await boards(1, busTime);
		const oneBoard = await timed(
			`1 board, 1 MiB (${busTime === "sleep" ? "own bus" : "shared bus"})`,
			single,
			() => flashOn(single, 0, image, { delta: true }),
		);
		single.close();
		const many = await boards(boardCount, busTime);
		const manyBoards = await timed(
			`${boardCount} boards in parallel (${busTime === "sleep" ? "own bus" : "shared bus"})`,
			many,
			() => Promise.all(many.devices.map((_, i) => flashOn(many, i, image, { delta: true }))),
		);
		for (const board of many.boards) {
			const back = board.readMemory(BASE, MiB);
			if (!Buffer.from(back).equals(Buffer.from(image.segments[0]!.data)))
				throw new Error(`${board.name} does not hold the image after the parallel flash`);
		}
		many.close();
		return { oneBoard, manyBoards };
	};
	const own = await parallel("sleep");
	const shared = await parallel("advance");

	return {
		cases: [
			fullX8,
			fullX32,
			oneSector,
			same,
			own.oneBoard,
			own.manyBoards,
			shared.oneBoard,
			shared.manyBoards,
		],
		r1: fullX32.modelledMs / fullX8.modelledMs,
		r2: oneSector.modelledMs / fullX8.modelledMs,
		r3: same.modelledMs / fullX8.modelledMs,
		r4: own.manyBoards.modelledMs / own.oneBoard.modelledMs,
		r4Shared: shared.manyBoards.modelledMs / shared.oneBoard.modelledMs,
	};
}
