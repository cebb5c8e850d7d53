/**
 * Every fault the simulator offers, at the first, a middle and the last data block, for each file
 * format, with and without verify, through the one flash path: a flash that reports success has
 * put the image on the device, and one that did not is reported as failed (a typed error and a
 * failed job), never as done. Runs on a virtual clock.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { proposeFlash, startFlash } from "../../source/app/flash-service.js";
import { loadForFlash } from "../../source/app/load-for-flash.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { VirtualClock } from "../../source/clock.js";
import { openDfu } from "../../source/dfu/index.js";
import { BringupError } from "../../source/errors.js";
import { writeDfuse } from "../../source/image/dfuse-file.js";
import { writeIhex } from "../../source/image/ihex.js";
import { FAULT_NAMES } from "../../source/sim/faults.js";
import { createSimulation } from "../../source/sim/index.js";
import { createStore } from "../../source/store/store.js";
import { recordTransfers } from "../dfu/recording.js";

// proposeFlash runs the inspector, which reads the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

const BASE = 0x08000000;
/** The G474 loader's wTransferSize. */
const BLOCK = 1024;
/** Six blocks over the G474's 2 KiB pages 0, 1 and 2. */
const BLOCKS = 6;
const PAGE = 2048;
const POSITIONS = { first: 1, middle: 3, last: BLOCKS } as const;

const dir = mkdtempSync(join(tmpdir(), "bringup-fault-matrix-"));
const firmware = (() => {
	const data = new Uint8Array(BLOCKS * BLOCK);
	let x = 0x1badb002;
	for (let i = 0; i < data.length; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		data[i] = x & 0xff;
	}
	const view = new DataView(data.buffer);
	view.setUint32(0, 0x20020000, true);
	view.setUint32(4, 0x08000189, true);
	for (let i = 2; i < 118; i++) view.setUint32(i * 4, 0x080001a1, true);
	return data;
})();

/** A minimal executable ARM ELF: the firmware as one PT_LOAD segment at BASE. */
function elfOf(data: Uint8Array): Uint8Array {
	const out = new Uint8Array(52 + 32 + data.length);
	const v = new DataView(out.buffer);
	out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
	v.setUint16(16, 2, true); // ET_EXEC
	v.setUint16(18, 40, true); // EM_ARM
	v.setUint32(20, 1, true);
	v.setUint32(24, BASE + 0x189, true);
	v.setUint32(28, 52, true); // e_phoff
	v.setUint32(36, 0x05000000, true);
	v.setUint16(40, 52, true);
	v.setUint16(42, 32, true);
	v.setUint16(44, 1, true);
	v.setUint16(46, 40, true);
	const ph = 52;
	v.setUint32(ph, 1, true); // PT_LOAD
	v.setUint32(ph + 4, 84, true);
	v.setUint32(ph + 8, BASE, true);
	v.setUint32(ph + 12, BASE, true);
	v.setUint32(ph + 16, data.length, true);
	v.setUint32(ph + 20, data.length, true);
	v.setUint32(ph + 24, 5, true);
	v.setUint32(ph + 28, 4, true);
	out.set(data, 84);
	return out;
}

const segments = [{ address: BASE, data: firmware }];
const FILES = {
	bin: firmware,
	hex: new TextEncoder().encode(writeIhex({ format: "ihex", source: "fw.hex", segments })),
	elf: elfOf(firmware),
	dfu: writeDfuse({ format: "dfuse", source: "fw.dfu", segments: [{ ...segments[0]!, alt: 0 }] }),
};
const paths = Object.fromEntries(
	Object.entries(FILES).map(([ext, bytes]) => {
		const path = join(dir, `fw.${ext}`);
		writeFileSync(path, bytes);
		return [ext, path];
	}),
) as Record<keyof typeof FILES, string>;

interface Outcome {
	ok: boolean;
	error?: unknown;
	holdsImage: boolean;
	jobResults: (boolean | undefined)[];
	/** What the core logged along the way (recoveries, assumptions). */
	log: string[];
}

async function flashWith(
	faults: string,
	format: keyof typeof FILES,
	verify: boolean,
	watch?: (log: ReturnType<typeof recordTransfers>["log"]) => void,
): Promise<Outcome> {
	const clock = new VirtualClock();
	const simulation = createSimulation({ profile: "g474", scenario: "blank", clock, faults });
	try {
		const board = simulation.boards[0]!;
		const [usb] = await simulation.usb.getDevices();
		const recorded = recordTransfers(usb!);
		const store = createStore({ now: () => clock.now() });
		const image = await loadForFlash(paths[format], format === "bin" ? BASE : undefined);
		let ok = false;
		let error: unknown;
		let jobs: string[] = [];
		try {
			const session = await openDfu(recorded.device, { clock, store, deviceKey: "sim-1" });
			const proposal = await proposeFlash(session, image, { verify, leave: false, force: false });
			jobs = proposal.targets.map((t) => t.job);
			await startFlash(session, proposal, { confirmed: [] });
			ok = true;
		} catch (e) {
			error = e;
		}
		watch?.(recorded.log);
		const held = board.readMemory(BASE, firmware.length);
		return {
			ok,
			error,
			holdsImage: held.every((b, i) => b === firmware[i]),
			jobResults: jobs.map((j) => store.getState().jobs[j]?.result?.ok),
			log: store.getState().log.map((l) => l.text),
		};
	} finally {
		simulation.close();
	}
}

/** The number (from 1, since plug-in) of the request that carries data block `n`. */
async function requestOfBlock(n: number): Promise<number> {
	let index = 0;
	await flashWith("", "bin", false, (log) => {
		let blocks = 0;
		index =
			log.findIndex(
				(t) => t.bmRequestType === 0x21 && t.bRequest === 1 && t.wValue >= 2 && ++blocks === n,
			) + 1;
	});
	return index;
}

function faultAt(name: (typeof FAULT_NAMES)[number], block: number, request: number): string {
	const address = BASE + (block - 1) * BLOCK;
	switch (name) {
		case "unplug-at-block":
			return `unplug-at-block=${block}`;
		case "stall-request":
			return `stall-request=${request}`;
		case "status-error-at-block":
			return `status-error-at-block=${block}:errPROG`;
		case "readback-bitflip":
			return `readback-bitflip=${address + 5}:3`;
		case "wedged-busy":
			// The page holding the block.
			return `wedged-busy=${Math.floor((address - BASE) / PAGE)}`;
		case "error-on-entry":
			return "error-on-entry";
	}
}

describe("fault matrix: a success means the device holds the image", () => {
	it("every fault x first/middle/last block x .bin/.hex/.elf/.dfu x verify on/off", async () => {
		const requests = Object.fromEntries(
			await Promise.all(
				Object.entries(POSITIONS).map(async ([p, n]) => [p, await requestOfBlock(n)] as const),
			),
		);
		const tally = { succeeded: 0, failed: 0 };
		const byFault: Record<string, { ok: number; failed: number }> = {};
		for (const name of FAULT_NAMES)
			for (const [position, block] of Object.entries(POSITIONS))
				for (const format of Object.keys(FILES) as (keyof typeof FILES)[])
					for (const verify of [true, false]) {
						const fault = faultAt(name, block, requests[position]!);
						const where = `${fault} ${position} .${format} verify ${verify ? "on" : "off"}`;
						const r = await flashWith(fault, format, verify);
						byFault[name] ??= { ok: 0, failed: 0 };
						const entry = byFault[name]!;
						if (name === "wedged-busy")
							expect(r.log.join("\n"), where).toMatch(/treated as erased after the device wedged/);
						if (name === "stall-request" && !r.ok)
							expect(String(r.error), where).toMatch(/block|stall/i);
						if (r.ok) {
							expect(r.holdsImage, `${where}: reported success`).toBe(true);
							expect(r.jobResults, where).toEqual([true]);
							tally.succeeded++;
							entry.ok++;
						} else {
							expect(r.error, `${where}: ${String(r.error)}`).toBeInstanceOf(BringupError);
							expect(r.jobResults, where).not.toContain(true);
							expect(r.jobResults.length, where).toBeGreaterThan(0);
							tally.failed++;
							entry.failed++;
						}
					}
		// The matrix is not vacuous: faults that must stop a flash did, harmless ones did not.
		expect(byFault["unplug-at-block"]).toEqual({ ok: 0, failed: 24 });
		expect(byFault["status-error-at-block"]).toEqual({ ok: 0, failed: 24 });
		expect(byFault["stall-request"]).toEqual({ ok: 0, failed: 24 });
		expect(byFault["error-on-entry"]).toEqual({ ok: 24, failed: 0 });
		expect(byFault["wedged-busy"]).toEqual({ ok: 24, failed: 0 });
		// A flipped bit on read-back fails verify; without verify the flash itself is right.
		expect(byFault["readback-bitflip"]).toEqual({ ok: 12, failed: 12 });
		expect(tally.succeeded + tally.failed).toBe(FAULT_NAMES.length * 3 * 4 * 2);
	}, 60_000);
});
