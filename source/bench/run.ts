/**
 * `npm run bench`: how close bringup's flashing comes to what the chip itself needs, and what it
 * costs the host. Everything is measured in this one run; targets are printed beside the figures.
 *
 * Time is the simulated F407's datasheet time on a virtual clock: "modelled" is what the flash
 * took on that clock, "floor" is the erase + program + bus time the simulated chip reports it
 * needed. Their ratio is the tool's overhead (polling, extra requests, waits beyond bwPollTimeout).
 */
import { randomBytes } from "node:crypto";
import { VirtualClock } from "../clock.js";
import { flashImage, openDfu } from "../dfu/index.js";
import type { Image } from "../image/image.js";
import { createSimulation, type SimBoard } from "../sim/index.js";
import { createStore, type Store } from "../store/store.js";
import { DEFAULT_MIN_INTERVAL_MS } from "../ui/store-view.js";
import { assistantBoards } from "./assistant-boards.js";
import { measureColdStart } from "./cold-start.js";
import { canMeasureFirstFrame, measureFirstFrame } from "./first-frame.js";
import { inspectSpeedLine } from "./inspect-speed.js";
import { longSession } from "./long-session.js";
import { boards, flashOn, measureSpeedups, firmware as seeded } from "./speedups.js";

const MiB = 1024 * 1024;

function firmware(size: number): Image {
	const data = new Uint8Array(randomBytes(size));
	const view = new DataView(data.buffer);
	view.setUint32(0, 0x20020000, true); // initial SP: top of F407 SRAM1+2
	view.setUint32(4, 0x08000189, true); // reset handler, Thumb
	return {
		format: "bin",
		source: `random-${size / 1024}KiB.bin`,
		segments: [{ address: 0x08000000, data }],
	};
}

interface Row {
	name: string;
	bytes: number;
	modelledMs: number;
	floorMs: number;
	controlTransfers: number;
	getStatus: number;
	cpuMs: number;
}

async function flashOnce(
	name: string,
	board: SimBoard,
	device: USBDevice,
	clock: VirtualClock,
	store: Store,
	image: Image,
): Promise<Row> {
	const before = { ...board.counters };
	const t0 = clock.now();
	const cpu0 = process.cpuUsage();
	const session = await openDfu(device, { clock, store, alt: 0 });
	await flashImage(session, image, { verify: true });
	await session.close();
	const cpu = process.cpuUsage(cpu0);
	const after = board.counters;
	return {
		name,
		bytes: image.segments[0]!.data.length,
		modelledMs: clock.now() - t0,
		floorMs: after.deviceFloorMs - before.deviceFloorMs,
		controlTransfers: after.controlTransfers - before.controlTransfers,
		getStatus: after.getStatus - before.getStatus,
		cpuMs: (cpu.user + cpu.system) / 1000,
	};
}

async function flashRows(): Promise<Row[]> {
	const clock = new VirtualClock();
	const sim = createSimulation({ profile: "f407", scenario: "healthy", clock });
	const board = sim.boards[0]!;
	// Start from an erased chip, as a new board is.
	board.writeMemory(0x08000000, new Uint8Array(MiB).fill(0xff));
	const device = (await sim.usb.getDevices())[0]!;
	const store = createStore({ now: () => clock.now(), historyLimit: 1000 });
	const big = firmware(MiB);
	const rows = [
		await flashOnce("1 MiB, erased chip", board, device, clock, store, big),
		await flashOnce("64 KiB", board, device, clock, store, firmware(64 * 1024)),
		await flashOnce("1 MiB again (re-flash)", board, device, clock, store, firmware(MiB)),
	];
	sim.close();
	return rows;
}

/** CPU per MiB flashed, headless vs with the Flash screen mounted on Ink's real renderer. */
async function screenCost(): Promise<{
	headless: number;
	mounted: number;
	renders: number;
	bytesOut: number;
}> {
	// As the CLI runs it: React's production build (it reads NODE_ENV when it first loads).
	process.env.NODE_ENV ??= "production";
	const { mountForBench } = await import("../ui/bench-mount.js");
	const { frameTimerFromClock } = await import("../ui/store-view.js");
	const run = async (mount: boolean) => {
		const clock = new VirtualClock();
		const sim = createSimulation({ profile: "f407", scenario: "healthy", clock });
		const device = (await sim.usb.getDevices())[0]!;
		const store = createStore({ now: () => clock.now(), historyLimit: 1000 });
		const ui = mount
			? mountForBench(store, { timer: frameTimerFromClock(clock), maxFps: 10_000 })
			: undefined;
		const cpu0 = process.cpuUsage();
		const session = await openDfu(device, { clock, store, alt: 0 });
		await flashImage(session, firmware(MiB), { verify: true });
		await session.close();
		ui?.view.flush();
		const cpu = process.cpuUsage(cpu0);
		const result = {
			cpuMs: (cpu.user + cpu.system) / 1000,
			renders: ui?.renders() ?? 0,
			bytes: ui?.terminal.bytes ?? 0,
		};
		ui?.unmount();
		sim.close();
		return result;
	};
	// Warm-ups: JIT and first-use costs are not the flash's.
	await run(false);
	await run(true);
	const headless = await run(false);
	const mounted = await run(true);
	return {
		headless: headless.cpuMs,
		mounted: mounted.cpuMs,
		renders: mounted.renders,
		bytesOut: mounted.bytes,
	};
}

/**
 * Host CPU while `count` boards flash 1 MiB each with the Flash screen mounted, frames drawn at
 * the interactive rate of the flash's own (virtual) time: CPU time over the time the flash takes
 * on a real bench is the share of a core a real session would use.
 */
async function manyBoardsCpu(
	count: number,
): Promise<{ percent: number; cpuMs: number; wallMs: number; renders: number }> {
	process.env.NODE_ENV ??= "production";
	const { mountForBench } = await import("../ui/bench-mount.js");
	const { frameTimerFromClock } = await import("../ui/store-view.js");
	const image = seeded(1024 * 1024, 99);
	const run = async () => {
		const bench = await boards(count, "sleep");
		const ui = mountForBench(bench.store, {
			timer: frameTimerFromClock(bench.clock),
			maxFps: 10_000,
		});
		const cpu0 = process.cpuUsage();
		const t0 = bench.clock.now();
		await Promise.all(bench.devices.map((_, i) => flashOn(bench, i, image, { delta: true })));
		ui.view.flush();
		const cpu = process.cpuUsage(cpu0);
		const result = {
			cpuMs: (cpu.user + cpu.system) / 1000,
			wallMs: bench.clock.now() - t0,
			renders: ui.renders(),
		};
		ui.unmount();
		bench.close();
		return result;
	};
	await run(); // warm-up
	const r = await run();
	return { ...r, percent: (100 * r.cpuMs) / r.wallMs };
}

function pad(text: string | number, width: number): string {
	return String(text).padStart(width);
}

async function main(): Promise<void> {
	// Ink skips live frames under CI=true; the screen row must measure what a terminal gets.
	delete process.env.CI;
	await flashRows(); // warm-up
	const rows = await flashRows();
	console.log("Flash into the simulated STM32F407 (datasheet timing, virtual clock), verify on\n");
	console.log(
		`${"case".padEnd(24)}${pad("modelled s", 11)}${pad("floor s", 9)}${pad("ratio", 7)}${pad("ctrl xfers", 11)}${pad("GETSTATUS", 10)}${pad("CPU ms/MiB", 11)}`,
	);
	for (const r of rows) {
		const ratio = r.modelledMs / r.floorMs;
		console.log(
			`${r.name.padEnd(24)}${pad((r.modelledMs / 1000).toFixed(2), 11)}${pad((r.floorMs / 1000).toFixed(2), 9)}${pad(ratio.toFixed(3), 7)}${pad(r.controlTransfers, 11)}${pad(r.getStatus, 10)}${pad(((r.cpuMs * MiB) / r.bytes).toFixed(0), 11)}`,
		);
	}
	const full = rows.filter((r) => r.bytes === MiB);
	const worst = Math.max(...full.map((r) => r.modelledMs / r.floorMs));
	console.log(
		`target: ratio <= 1.02 for full flashes: ${worst <= 1.02 ? "met" : "NOT met"} (worst ${worst.toFixed(3)})\n`,
	);

	const screen = await screenCost();
	console.log("Host CPU for a 1 MiB flash (virtual clock), per MiB");
	console.log(`  headless:                 ${screen.headless.toFixed(0)} ms`);
	console.log(
		`  Flash screen mounted:     ${screen.mounted.toFixed(0)} ms  (${screen.renders} renders, ${(screen.bytesOut / 1024).toFixed(0)} KiB to the terminal)`,
	);
	console.log(`  ratio mounted/headless:   ${(screen.mounted / screen.headless).toFixed(2)}`);
	console.log(
		`  (frames as a real-time session draws them: one per ${DEFAULT_MIN_INTERVAL_MS} ms of the flash's ${(rows[0]!.modelledMs / 1000).toFixed(0)} s, ${((screen.mounted - screen.headless) / Math.max(1, screen.renders)).toFixed(2)} ms CPU each)\n`,
	);

	const speed = await measureSpeedups(8);
	console.log(
		"Supply range, delta flashing, many boards (simulated F407, datasheet timing, verify on)\n",
	);
	for (const c of speed.cases)
		console.log(
			`  ${c.name.padEnd(44)}${pad((c.modelledMs / 1000).toFixed(2), 8)} s${pad(c.controlTransfers, 8)} ctrl xfers`,
		);
	console.log(
		`  8 boards sharing one full-speed bus (single-TT hub): ${speed.r4Shared.toFixed(3)} x one board (the compare and verify reads queue)\n`,
	);
	const cpu = await manyBoardsCpu(8);
	console.log(
		`Host CPU, 8 boards flashing with the Flash screen mounted: ${cpu.percent.toFixed(1)} % of a core (${cpu.cpuMs.toFixed(0)} ms CPU over ${(cpu.wallMs / 1000).toFixed(1)} s of flashing, ${cpu.renders} renders)  target < 15 %: ${cpu.percent < 15 ? "met" : "NOT met"}\n`,
	);

	const tray = await assistantBoards(20, 256 * 1024);
	console.log(
		`Host CPU, ${tray.boards} boards flashing ${tray.bytes / 1024} KiB each from the assistant (one row each on the Flash screen): ${tray.percent.toFixed(1)} % of a core (${tray.cpuMs.toFixed(0)} ms CPU over ${(tray.flashMs / 1000).toFixed(1)} s of flashing, ${tray.events} events, ${tray.renders} renders; ${tray.ok} of ${tray.boards} boards flashed)\n`,
	);

	console.log(`${await inspectSpeedLine()}\n`);

	const cold = measureColdStart([["--version"], ["list", "--sim"]]);
	console.log(
		`Cold start (median of ${cold[0]?.runs} runs; node -e 0 takes ${cold[0]?.nodeFloorMs.toFixed(0)} ms here)`,
	);
	for (const c of cold)
		console.log(
			`  ${c.command.padEnd(24)}${pad(c.medianMs.toFixed(0), 5)} ms  target <= 150 ms: ${c.medianMs <= 150 ? "met" : "NOT met"}  (ratio to node floor ${(c.medianMs / c.nodeFloorMs).toFixed(2)})`,
		);
	if (canMeasureFirstFrame()) {
		const frame = await measureFirstFrame(["--sim"]);
		console.log(
			`  ${"bringup --sim: 1st frame".padEnd(24)}${pad(frame.firstFrameMs.toFixed(0), 5)} ms  target <= 300 ms: ${frame.firstFrameMs <= 300 ? "met" : "NOT met"}  (board decoded on screen at ${frame.decodedMs.toFixed(0)} ms; 80x24 pseudo-terminal)`,
		);
	} else
		console.log("  bringup --sim: 1st frame: not measured (util-linux `script` is not installed)");
	const long = await longSession();
	console.log(
		`\nOne store, ${long.batch * long.batchMs.length} flashes of 4 KiB: wall ms per ${long.batch} (should stay flat; ${long.jobsKept} jobs kept)\n  ${long.batchMs.map((ms) => ms.toFixed(0)).join("  ")}  (last/first ${(long.batchMs.at(-1)! / long.batchMs[0]!).toFixed(2)})`,
	);
	// The summary stays the last line, whatever sections are added above.
	const target = (r: number, max: number) => (r <= max ? "" : " (NOT met)");
	console.log(
		`\ntargets: R1 <= 0.45${target(speed.r1, 0.45)}, R2 <= 0.10${target(speed.r2, 0.1)}, R3 <= 0.05${target(speed.r3, 0.05)}, R4 <= 1.15${target(speed.r4, 1.15)}`,
	);
	console.log(
		`summary: x32/x8 full ${speed.r1.toFixed(3)}; reflash one sector/full ${speed.r2.toFixed(3)}; reflash same/full ${speed.r3.toFixed(3)}; 8 boards/1 board ${speed.r4.toFixed(3)}`,
	);
}

await main();
