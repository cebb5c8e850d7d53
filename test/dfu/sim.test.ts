/**
 * End to end against the simulated ROM loader (source/sim) on a virtual clock: the core sees only
 * a WebUSB USBDevice, as with a real board.
 */
import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import {
	DeviceGoneError,
	DfuStatusError,
	DfuTransferError,
	flashImage,
	massErase,
	OperationCancelledError,
	openDfu,
	readMemory,
	readUnprotect,
	VerifyError,
} from "../../source/dfu/index.js";
import type { Image } from "../../source/image/image.js";
import { createSimulation, type Simulation } from "../../source/sim/index.js";
import type { BringupEvent } from "../../source/store/events.js";
import { createStore } from "../../source/store/store.js";
import { dfuRequests, recordTransfers } from "./recording.js";

const BASE = 0x08000000;
let sim: Simulation | undefined;

afterEach(() => {
	sim?.close();
	sim = undefined;
});

function pattern(length: number, seed: number): Uint8Array {
	let x = seed >>> 0 || 1;
	return Uint8Array.from({ length }, () => {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		return x & 0xff;
	});
}

function image(address: number, data: Uint8Array, source = "app.bin"): Image {
	return { format: "bin", source, segments: [{ address, data }] };
}

async function boardWith(
	profile: string,
	{ transferSize, ...options }: { scenario?: string; faults?: string; transferSize?: number } = {},
) {
	const clock = new VirtualClock();
	sim = createSimulation({ profile, clock, ...options });
	const board = sim.boards[0]!;
	const [usbDevice] = await sim.usb.getDevices();
	const { device, log } = recordTransfers(usbDevice!);
	const store = createStore({ now: () => clock.now() });
	const session = await openDfu(device, {
		clock,
		store,
		deviceKey: "sim-1",
		...(transferSize ? { transferSize } : {}),
	});
	return { clock, board, session, store, log };
}

/**
 * The order events.ts promises for one job: flash.planned, then per phase started →
 * progress/sector/status → finished|failed, phases in plan order, flash.finished exactly once, last.
 */
function jobOrder(history: readonly BringupEvent[], job: string): string[] {
	const events = history.filter((e) => "job" in e && e.job === job);
	expect(events[0]?.type).toBe("flash.planned");
	expect(events.at(-1)?.type).toBe("flash.finished");
	expect(events.filter((e) => e.type === "flash.finished")).toHaveLength(1);
	const phases: string[] = [];
	let open: string | undefined;
	for (const e of events.slice(1, -1)) {
		if (e.type === "flash.phase") {
			if (e.status === "started") {
				expect(open).toBeUndefined();
				open = e.phase;
			} else {
				expect(e.phase).toBe(open);
				phases.push(`${e.phase} ${e.status}`);
				open = undefined;
			}
		} else if (e.type === "flash.progress") expect(e.phase).toBe(open);
		else expect(open).toBeDefined();
	}
	expect(open).toBeUndefined();
	return phases;
}

function same(a: Uint8Array, b: Uint8Array): boolean {
	return Buffer.from(a).equals(Buffer.from(b));
}

describe("F407 simulation", () => {
	it("round-trips a 300 KiB image, erasing only the sectors it touches", async () => {
		const { board, session, store, clock, log } = await boardWith("f407", { scenario: "healthy" });
		// Fill all of flash with a marker so that an erase anywhere would show.
		const marker = pattern(1024 * 1024, 99);
		board.writeMemory(BASE, marker);
		const data = pattern(300 * 1024, 1);
		const result = await flashImage(session, image(BASE, data), { leave: true });

		const after = board.readMemory(BASE, 1024 * 1024);
		expect(same(after.subarray(0, data.length), data)).toBe(true);
		// Sector 6 (0x08040000-0x0805FFFF) is touched: its tail beyond the image is erased.
		expect(after.subarray(data.length, 0x60000).every((b) => b === 0xff)).toBe(true);
		// Sectors 7-11 are not touched: byte for byte what was there.
		expect(same(after.subarray(0x60000), marker.subarray(0x60000))).toBe(true);

		// One Set Address for the program run, one for the read-back, one for leave (dfu-util
		// sends one per 2 KiB block: 150 here).
		const setAddress = log.filter((t) => t.bRequest === 1 && t.wValue === 0 && t.data[0] === 0x21);
		expect(setAddress.map((t) => Array.from(t.data))).toEqual([
			[0x21, 0, 0, 0, 8],
			[0x21, 0, 0, 0, 8],
			[0x21, 0, 0, 0, 8],
		]);
		expect(log.filter((t) => t.bRequest === 1 && t.wValue >= 2)).toHaveLength(150);
		expect(result.plan?.erase.map((e) => e.address)).toEqual([
			0x08000000, 0x08004000, 0x08008000, 0x0800c000, 0x08010000, 0x08020000, 0x08040000,
		]);
		expect(jobOrder(store.history(), result.job)).toEqual([
			"erase finished",
			"program finished",
			"verify finished",
			"leave finished",
		]);
		const state = store.getState().jobs[result.job]!;
		expect(state.result?.ok).toBe(true);
		expect(state.lastStatus?.stateName).toBe("dfuMANIFEST");
		expect(Object.values(state.sectors).every((s) => s === "verified")).toBe(true);
		expect(state.stats?.elapsedMs).toBe(result.stats.elapsedMs);
		expect(result.stats.elapsedMs).toBeGreaterThan(0);
		expect(result.stats.elapsedMs).toBeLessThanOrEqual(clock.now());
		// After leave the loader is gone from the bus (the healthy app enumerates instead).
		expect(board.board.function?.kind).not.toBe("loader");
	});

	it("writes with one Set Address per run and consecutive block numbers", async () => {
		const { session, log } = await boardWith("f407", { scenario: "blank" });
		log.length = 0;
		await flashImage(session, image(0x08004000, pattern(5 * 2048, 5)), { verify: false });
		const requests = dfuRequests(log, 5).filter((l) => l.startsWith("21 01"));
		expect(requests.map((l) => l.replace(/ \[[^\]]*\]$/, ""))).toEqual([
			"21 01 0000 0000",
			"21 01 0000 0000",
			"21 01 0002 0000",
			"21 01 0003 0000",
			"21 01 0004 0000",
			"21 01 0005 0000",
			"21 01 0006 0000",
		]);
		expect(requests[0]).toBe("21 01 0000 0000 [41 00 40 00 08]");
		expect(requests[1]).toBe("21 01 0000 0000 [21 00 40 00 08]");
	});

	it("with a transfer size other than the loader's (-t), every block gets its own Set Address", async () => {
		// The loader places block N at (N − 2) × its own wTransferSize + pointer: blocks of another
		// size numbered 2, 3, 4... would land in the wrong places, and read back from them too.
		const { board, session, log } = await boardWith("f407", {
			scenario: "blank",
			transferSize: 1024,
		});
		const data = pattern(5 * 1024, 11);
		log.length = 0;
		await flashImage(session, image(0x08004000, data));
		expect(same(board.readMemory(0x08004000, data.length), data)).toBe(true);
		const dataBlocks = dfuRequests(log, 5).filter((l) => /^21 01 (?!0000)/.test(l));
		expect(dataBlocks.map((l) => l.slice(0, 15))).toEqual(Array(5).fill("21 01 0002 0000"));
		board.writeMemory(0x08010000, pattern(3 * 1024, 12));
		const back = await readMemory(session, { address: 0x08010000, length: 3 * 1024 });
		expect(same(back, pattern(3 * 1024, 12))).toBe(true);
	});

	it("refuses a file whose DFU suffix names another USB device, unless forced", async () => {
		const { board, session } = await boardWith("f407", { scenario: "blank" });
		const data = pattern(256, 31);
		const forOther: Image = {
			...image(BASE, data, "other.dfu"),
			suffix: { vendorId: 0x1234, productId: 0x5678, bcdDevice: 0xffff, bcdDFU: 0x011a },
		};
		await expect(flashImage(session, forOther)).rejects.toThrow(
			"other.dfu is for USB device 1234:5678 (its DFU suffix), not the connected 0483:df11",
		);
		expect(board.readMemory(BASE, 4).every((b) => b === 0xff)).toBe(true);
		const anyDevice: Image = {
			...forOther,
			suffix: { ...forOther.suffix!, vendorId: 0xffff, productId: 0xffff },
		};
		await flashImage(session, anyDevice);
		await flashImage(session, forOther, { force: true });
		expect(same(board.readMemory(BASE, data.length), data)).toBe(true);
	});

	it("reads memory back, limited to the end of flash", async () => {
		const { board, session } = await boardWith("f407", { scenario: "blank" });
		board.writeMemory(0x080ff000, pattern(0x1000, 3));
		const data = await readMemory(session, { address: 0x080ff000, length: 0x10000 });
		expect(same(data, pattern(0x1000, 3))).toBe(true);
	});

	it("mass erase erases everything", async () => {
		const { board, session } = await boardWith("f407", { scenario: "healthy" });
		await massErase(session, { confirmed: true });
		expect(board.readMemory(BASE, 1024 * 1024).every((b) => b === 0xff)).toBe(true);
	});
});

describe("injected faults", () => {
	it("dfuERROR/errFIRMWARE on entry is cleared and the flash verifies", async () => {
		const { board, session, store } = await boardWith("f407", {
			scenario: "blank",
			faults: "error-on-entry",
		});
		const data = pattern(10_000, 7);
		await flashImage(session, image(BASE, data));
		expect(same(board.readMemory(BASE, data.length), data)).toBe(true);
		expect(store.getState().log.some((l) => l.text.includes("dfuERROR, errFIRMWARE"))).toBe(true);
	});

	it("an H7 wedged dfuDNBUSY erase is recovered, logged, and the flash verifies", async () => {
		const { board, session, store } = await boardWith("h743", {
			scenario: "blank",
			faults: "wedged-busy=8",
		});
		const address = 0x08100000;
		board.writeMemory(address, pattern(0x40000, 4));
		const data = pattern(200 * 1024, 8);
		const result = await flashImage(session, image(address, data));
		expect(same(board.readMemory(address, data.length), data)).toBe(true);
		expect(
			board.readMemory(address + data.length, 0x40000 - data.length).every((b) => b === 0xff),
		).toBe(true);
		expect(store.getState().jobs[result.job]!.result?.ok).toBe(true);
		const warnings = store
			.getState()
			.log.filter((l) => l.level === "warn")
			.map((l) => l.text);
		expect(warnings.some((w) => w.includes("stayed dfuDNBUSY") && w.includes("0x08100000"))).toBe(
			true,
		);
	});

	it("a device left wedged in dfuDNBUSY by an earlier run is recovered when opened", async () => {
		// A previous process sent an H7 erase beyond 1 MB and died: the loader answers dfuDNBUSY
		// with bwPollTimeout 0 for ever. Opening must get it back to dfuIDLE, as CubeProgrammer does.
		const { clock, board, session } = await boardWith("h743", {
			scenario: "blank",
			faults: "wedged-busy=8",
		});
		const site = { operation: "erase" };
		await session.transport.dnload(0, Uint8Array.of(0x41, 0x00, 0x00, 0x10, 0x08), site);
		await session.transport.getStatus(site);
		await session.close();
		const [usbDevice] = await sim!.usb.getDevices();
		const again = await openDfu(usbDevice!, { clock });
		const data = pattern(4096, 21);
		await flashImage(again, image(BASE, data));
		expect(same(board.readMemory(BASE, data.length), data)).toBe(true);
	});

	it("unplug at block N ends in DeviceGoneError naming the block and address", async () => {
		const { session, store } = await boardWith("f407", {
			scenario: "blank",
			faults: "unplug-at-block=5",
		});
		const attempt = flashImage(session, image(BASE, pattern(20_000, 2)));
		await expect(attempt).rejects.toThrow(DeviceGoneError);
		await expect(attempt).rejects.toThrow(
			/^write of block 5\/10 at 0x08002000 failed: the device disconnected/,
		);
		const planned = store.history().find((e) => e.type === "flash.planned");
		expect(jobOrder(store.history(), planned?.type === "flash.planned" ? planned.job : "")).toEqual(
			["erase finished", "program failed"],
		);
		const finished = store.history().filter((e) => e.type === "flash.finished");
		expect(finished).toEqual([
			expect.objectContaining({
				ok: false,
				error: expect.objectContaining({ kind: "device-gone" }),
			}),
		]);
	});

	it("an error status on a block names it, with state and status", async () => {
		const { session } = await boardWith("f407", {
			scenario: "blank",
			faults: "status-error-at-block=3:errPROG",
		});
		const attempt = flashImage(session, image(BASE, pattern(20_000, 2)));
		await expect(attempt).rejects.toThrow(DfuStatusError);
		await expect(attempt).rejects.toThrow(
			/^write of block 3\/10 at 0x08001000 failed: dfuERROR, errPROG/,
		);
	});

	it("a bit flipped on read-back is a verify error at that address", async () => {
		const { session } = await boardWith("f407", {
			scenario: "blank",
			faults: "readback-bitflip=0x08000810:3",
		});
		const attempt = flashImage(session, image(BASE, pattern(4096, 2)));
		await expect(attempt).rejects.toThrow(VerifyError);
		await expect(attempt).rejects.toThrow(/^verify failed at 0x08000810/);
	});

	it("a stalled request ends in a clear transfer error", async () => {
		const { session } = await boardWith("f407", { scenario: "blank", faults: "stall-request=14" });
		const attempt = flashImage(session, image(BASE, pattern(20_000, 2)));
		await expect(attempt).rejects.toThrow(DfuTransferError);
		await expect(attempt).rejects.toThrow(
			"erase of sector at 0x08004000 failed: USB transfer stalled (dfuERROR, errSTALLEDPKT)",
		);
	});

	it("read protection: erase fails with errVENDOR naming the sector, and unprotect is refused without confirmation", async () => {
		const { session } = await boardWith("f407", { scenario: "rdp1" });
		const attempt = flashImage(session, image(BASE, pattern(1000, 2)));
		await expect(attempt).rejects.toThrow(
			/^erase of sector at 0x08000000 failed: dfuERROR, errVENDOR/,
		);
		// The hint names a command that exists: `bringup unprotect`, dfu-util's :unprotect:force.
		await expect(attempt).rejects.toMatchObject({
			hint: expect.stringMatching(/bringup unprotect --yes.*:unprotect:force/),
		});
		await expect(readMemory(session, { address: BASE, length: 64 })).rejects.toThrow(
			/^read of block 2 at 0x08000000 failed: dfuERROR, errVENDOR/,
		);
		await expect(readUnprotect(session, { confirmed: false })).rejects.toThrow(
			"explicit confirmation",
		);
	});

	it("read unprotect with confirmation erases the chip and resets it", async () => {
		const { board, session } = await boardWith("f407", { scenario: "rdp1" });
		await readUnprotect(session, { confirmed: true });
		expect(board.readMemory(BASE, 0x4000).every((b) => b === 0xff)).toBe(true);
	});

	it("a write-protected sector that silently stays programmed fails verification", async () => {
		const { session } = await boardWith("f407", { scenario: "wrp" });
		const attempt = flashImage(session, image(0x08004000, pattern(2048, 2)));
		await expect(attempt).rejects.toThrow(VerifyError);
		await expect(attempt).rejects.toThrow(/^verify failed at 0x0800400/);
	});
});

describe("other alt settings and commands", () => {
	it("writes option bytes without waiting past dfuDNBUSY: the chip resets and re-enumerates", async () => {
		const clock = new VirtualClock();
		sim = createSimulation({ profile: "f407", clock, scenario: "healthy" });
		const board = sim.boards[0]!;
		const [usbDevice] = await sim.usb.getDevices();
		const store = createStore({ now: () => clock.now() });
		const session = await openDfu(usbDevice!, { clock, store, alt: "Option Bytes" });
		const before = await readMemory(session, { address: 0x1fffc000 });
		expect(before.length).toBe(16);
		const next = before.slice();
		next[0]! ^= 0x40; // USER byte: nRST_STOP
		const enumerations = board.counters.enumerations;
		const result = await flashImage(session, image(0x1fffc000, next, "ob.bin"));
		expect(result.plan?.summary).toMatchObject({ verify: false, leave: false });
		expect(result.plan?.erase).toEqual([]);
		expect(store.getState().jobs[result.job]!.result?.ok).toBe(true);
		await clock.sleep(5000);
		expect(board.counters.enumerations).toBeGreaterThan(enumerations);
		expect(board.optionBytes[0]![0]).toBe(next[0]);
	});

	it(":will-reset on the flash alt stops at the last dfuDNBUSY without announcing a reset", async () => {
		// Only option-byte writes and Read Unprotect reset the chip (AN2662 Fig. 56 notes).
		const { board, session, store } = await boardWith("f407", { scenario: "blank" });
		const enumerations = board.counters.enumerations;
		const result = await flashImage(session, image(BASE, pattern(4096, 8)), { willReset: true });
		expect(result.plan?.summary).toMatchObject({ verify: false, leave: false });
		const texts = store
			.history()
			.flatMap((e) => (e.type === "log.message" ? [e.text] : []))
			.join("\n");
		expect(texts).not.toMatch(/resets now/);
		expect(texts).toMatch(/will-reset/);
		expect(board.counters.enumerations).toBe(enumerations);
	});

	it("Get Commands lists the DfuSe opcodes", async () => {
		const { session } = await boardWith("f407", { scenario: "blank" });
		const { getCommands } = await import("../../source/dfu/index.js");
		expect(await getCommands(session)).toEqual([0x00, 0x21, 0x41, 0x92]);
	});

	it("reads the functional descriptor and every alt name from the simulated G474", async () => {
		const { session } = await boardWith("g474", { scenario: "blank" });
		expect(session.transferSize).toBe(1024);
		expect(session.info.alts.map((a) => a.name)).toEqual([
			"@Internal Flash   /0x08000000/256*02Kg",
			"@Option Bytes   /0x1FFF7800/01*048 e/0x1FFFF800/01*048 e",
			"@OTP Memory   /0x1FFF7000/01*1024 e",
		]);
		// Both option-byte banks, not only the first run (Betaflight and INAV lose bank 2).
		expect(session.info.alts[1]!.layout?.segments.map((s) => s.start)).toEqual([
			0x1fff7800, 0x1ffff800,
		]);
	});

	it("flashes the G474 with 1 KiB blocks and 2 KiB pages", async () => {
		const { board, session, log } = await boardWith("g474", { scenario: "blank" });
		const data = pattern(5000, 12);
		log.length = 0;
		const result = await flashImage(session, image(0x08000800, data));
		expect(same(board.readMemory(0x08000800, data.length), data)).toBe(true);
		expect(result.plan?.erase.map((e) => e.address)).toEqual([0x08000800, 0x08001000, 0x08001800]);
		const blocks = log.filter((t) => t.bRequest === 1 && t.wValue >= 2);
		expect(blocks.map((t) => [t.wValue, t.data.length])).toEqual([
			[2, 1024],
			[3, 1024],
			[4, 1024],
			[5, 1024],
			[2, 904],
		]);
	});
});

describe("DfuSe files with several targets", () => {
	it("flashes each alt's elements in its own job, option bytes last", async () => {
		const { board, session, store } = await boardWith("f407", { scenario: "blank" });
		const ob = board.optionBytes[0]!.slice(0, 16);
		ob[0]! ^= 0x80; // USER byte: nRST_STDBY
		const app = pattern(3000, 21);
		const file: Image = {
			format: "dfuse",
			source: "both.dfu",
			segments: [
				{ address: 0x1fffc000, data: ob, alt: 1 },
				{ address: BASE, data: app, alt: 0 },
			],
		};
		const { flashTargets } = await import("../../source/dfu/index.js");
		const results = await flashTargets(session, file, { leave: true });
		expect(results.map((r) => r.plan?.alt)).toEqual([0, 1]);
		expect(results.map((r) => store.getState().jobs[r.job]!.result?.ok)).toEqual([true, true]);
		expect(same(board.readMemory(BASE, app.length), app)).toBe(true);
		expect(board.optionBytes[0]![0]).toBe(ob[0]);
	});
});

describe("write alignment", () => {
	it("an image starting inside an 8-byte write unit is refused by the F746 loader unless widened", async () => {
		const { board, session } = await boardWith("f746", { scenario: "blank" });
		const data = pattern(100, 31);
		await expect(flashImage(session, image(0x08000004, data))).rejects.toThrow(
			/^write of block 1\/1 at 0x08000004 failed: dfuERROR, errTARGET/,
		);
		await flashImage(session, image(0x08000004, data), { writeAlignment: 8 });
		expect(same(board.readMemory(0x08000004, 100), data)).toBe(true);
		expect(board.readMemory(0x08000000, 4).every((b) => b === 0xff)).toBe(true);
	});
});

describe("delta flashing", () => {
	const uploads = (log: { bRequest: number; wValue: number }[]) =>
		log.filter((t) => t.bRequest === 2 && t.wValue >= 2).length;
	const writes = (log: { bRequest: number; wValue: number }[]) =>
		log.filter((t) => t.bRequest === 1 && t.wValue >= 2).length;

	it("re-flashing reads the touched sectors once, then erases, writes and verifies only the changed one", async () => {
		const { board, session, store, log } = await boardWith("f407", { scenario: "blank" });
		const first = pattern(300 * 1024, 41);
		await flashImage(session, image(BASE, first), { delta: true });
		const second = first.slice();
		second[0x21000]! ^= 0xff; // sector 5 (0x08020000, 128 KiB)
		log.length = 0;
		const result = await flashImage(session, image(BASE, second), { delta: true });
		expect(result.plan?.erase.map((e) => e.address)).toEqual([0x08020000]);
		expect(writes(log)).toBe(64); // 128 KiB in 2 KiB blocks
		// Sectors 0-6 (384 KiB) read once to compare, then sector 5 (128 KiB) read back to verify.
		expect(uploads(log)).toBe(192 + 64);
		expect(same(board.readMemory(BASE, second.length), second)).toBe(true);
		expect(jobOrder(store.history(), result.job)).toEqual([
			"compare finished",
			"erase finished",
			"program finished",
			"verify finished",
		]);
		const job = store.getState().jobs[result.job]!;
		expect(job.plan.compare).toBe(true);
		expect(Object.values(job.sectors).filter((s) => s === "unchanged")).toHaveLength(6);
		expect(job.sectors[0x08020000]).toBe("verified");

		log.length = 0;
		const again = await flashImage(session, image(BASE, second), { delta: true });
		expect(again.plan?.erase).toEqual([]);
		expect(writes(log)).toBe(0);
		expect(uploads(log)).toBe(192);
		expect(log.filter((t) => t.bRequest === 1 && t.data[0] === 0x41)).toHaveLength(0);
		expect(store.getState().jobs[again.job]!.result?.ok).toBe(true);
	});

	it("leaves exactly what a full flash leaves when the rest of a sector holds old bytes", async () => {
		const { board, session } = await boardWith("f407", { scenario: "blank" });
		const data = pattern(1000, 5);
		board.writeMemory(BASE, data);
		board.writeMemory(BASE + 0x3000, pattern(16, 6)); // stale bytes the image does not cover
		const result = await flashImage(session, image(BASE, data), { delta: true });
		expect(result.plan?.erase.map((e) => e.address)).toEqual([BASE]);
		expect(board.readMemory(BASE + 0x3000, 16).every((b) => b === 0xff)).toBe(true);
		expect(same(board.readMemory(BASE, data.length), data)).toBe(true);
	});

	it("reads nothing first after a mass erase", async () => {
		const { session, log } = await boardWith("f407", { scenario: "blank" });
		const data = pattern(4096, 8);
		log.length = 0;
		await flashImage(session, image(BASE, data), { delta: true, erase: false, verify: false });
		expect(uploads(log)).toBe(0);
	});
});

describe("voltage range (Device Feature)", () => {
	it("writes the range word and the same flash then takes less device time", async () => {
		const data = pattern(64 * 1024, 77);
		const slow = await boardWith("f407", { scenario: "blank" });
		const bytewise = await flashImage(slow.session, image(BASE, data), { verify: false });
		sim?.close();
		const fast = await boardWith("f407", { scenario: "blank" });
		fast.log.length = 0;
		const wide = await flashImage(fast.session, image(BASE, data), {
			verify: false,
			voltageRange: 3,
		});
		const downloads = dfuRequests(fast.log, 5).filter((l) => l.startsWith("21 01"));
		expect(downloads.slice(0, 3)).toEqual([
			"21 01 0000 0000 [21 00 00 ff ff]",
			"21 01 0002 0000 [03 ff ff ff]",
			"21 01 0000 0000 [41 00 00 00 08]",
		]);
		expect(fast.board.board.chip.deviceFeature[0]).toBe(3);
		expect(same(fast.board.readMemory(BASE, data.length), data)).toBe(true);
		expect(wide.stats.elapsedMs).toBeLessThan(bytewise.stats.elapsedMs);
	});
	it("a verify failure after a write with the range says to try without it", async () => {
		const { session } = await boardWith("f407", {
			scenario: "blank",
			faults: "readback-bitflip=0x08000010:1",
		});
		const error = await flashImage(session, image(BASE, pattern(256, 3)), {
			voltageRange: 3,
		}).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(VerifyError);
		expect((error as VerifyError).hint).toMatch(/2\.7-3\.6V supply range.*without --voltage/);
	});
});

describe("cancel", () => {
	it("stops between blocks, brings the loader back to dfuIDLE and says what the chip holds", async () => {
		const { board, session, store } = await boardWith("f407", { scenario: "blank" });
		const abort = new AbortController();
		const stop = store.subscribe(() => {
			const last = store.history().at(-1);
			if (last?.type === "flash.progress" && last.phase === "program" && last.done >= 0x5000)
				abort.abort();
		});
		const data = pattern(48 * 1024, 12);
		const error = await flashImage(session, image(BASE, data), { signal: abort.signal }).catch(
			(e: unknown) => e,
		);
		stop();
		expect(error).toBeInstanceOf(OperationCancelledError);
		const message = (error as Error).message;
		// Sector 0 written before the cancel; sector 1 erased and partly written; sector 2 erased.
		expect(message).toMatch(
			/^program cancelled at 0x08005000; on the chip now: 1 sector written, not verified, 2 sectors erased or partly written; it does not hold the whole image$/,
		);
		expect((await session.transport.getStatus()).state).toBe(2); // dfuIDLE
		expect(board.readMemory(BASE + 0x5000, 16).every((b) => b === 0xff)).toBe(true);
		const job = Object.values(store.getState().jobs).at(-1)!;
		expect(job.result?.ok).toBe(false);
		expect(job.result?.error?.kind).toBe("cancelled");
	});

	it("a cancel during the compare read says nothing was written", async () => {
		const { session, store } = await boardWith("f407", { scenario: "blank" });
		const abort = new AbortController();
		const stop = store.subscribe(() => {
			const last = store.history().at(-1);
			if (last?.type === "flash.progress" && last.phase === "compare") abort.abort();
		});
		const error = await flashImage(session, image(BASE, pattern(64 * 1024, 2)), {
			delta: true,
			signal: abort.signal,
		}).catch((e: unknown) => e);
		stop();
		expect((error as Error).message).toMatch(
			/compare cancelled at 0x08000\w+; nothing was erased or written: the chip holds what it held before$/,
		);
	});
});
