import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import {
	ConfirmationRequiredError,
	DeviceGoneError,
	DfuStatusError,
	flashImage,
	leave,
	massErase,
	openDfu,
	readMemory,
	readUnprotect,
} from "../../source/dfu/index.js";
import { ImageRejectedError } from "../../source/errors.js";
import type { Image } from "../../source/image/image.js";
import { createStore } from "../../source/store/store.js";
import { FakeDfuseDevice, type FakeOptions } from "./fake-dfuse.js";
import { dfuRequests, formatTransfer, recordTransfers } from "./recording.js";

function bytes(length: number, seed = 0): Uint8Array {
	return Uint8Array.from({ length }, (_, i) => (i * 7 + seed) & 0xff);
}

function image(address: number, data: Uint8Array): Image {
	return { format: "bin", source: "fw.bin", segments: [{ address, data }] };
}

async function setup(options: FakeOptions = {}, alt?: number | string) {
	const fake = new FakeDfuseDevice(options);
	const { device, log } = recordTransfers(fake.asUSBDevice());
	const clock = new VirtualClock();
	const store = createStore({ now: () => clock.now() });
	const session = await openDfu(device, {
		clock,
		store,
		deviceKey: "dev",
		...(alt !== undefined ? { alt } : {}),
	});
	return { fake, log, clock, store, session };
}

const IDLE = "[00 00 00 00 02 00]";
const BUSY = "[00 05 00 00 04 00]";
const DN_IDLE = "[00 00 00 00 05 00]";
const GETSTATUS = "a1 03 0000 0000 len 6";
const command = (payload: string) => [
	`21 01 0000 0000 [${payload}]`,
	`${GETSTATUS} ${BUSY}`,
	`${GETSTATUS} ${DN_IDLE}`,
];

describe("openDfu", () => {
	it("reads the configuration descriptor and alt names as bytes, then checks the state", async () => {
		const { log, session } = await setup({}, "Option Bytes");
		expect(log.slice(0, 4).map((t) => formatTransfer(t, 0))).toEqual([
			"80 06 0200 0000 len 9 […9]",
			"80 06 0200 0000 len 36 […36]",
			"80 06 0304 0409 len 255 […112]",
			"80 06 0305 0409 len 255 […72]",
		]);
		expect(dfuRequests(log)).toEqual([`${GETSTATUS} ${IDLE}`]);
		expect(session.transferSize).toBe(2048);
		expect(session.isDfuse).toBe(true);
		expect(session.functional).toMatchObject({
			canDownload: true,
			canUpload: true,
			manifestationTolerant: false,
			willDetach: true,
			detachTimeout: 255,
		});
		expect(session.alt.alt).toBe(1);
		expect(session.layout?.segments[0]).toMatchObject({
			start: 0x1fffc000,
			pageSize: 16,
			erasable: false,
		});
	});

	it("clears the F4's dfuERROR/errFIRMWARE on entry quietly: a debug line, no warning", async () => {
		const { log, store } = await setup({ errorOnEntry: true });
		expect(dfuRequests(log)).toEqual([
			`${GETSTATUS} [0a 00 00 00 0a 00]`,
			"21 04 0000 0000 []",
			`${GETSTATUS} ${IDLE}`,
		]);
		expect(store.getState().log.map((l) => [l.level, l.text])).toContainEqual([
			"debug",
			"the loader started in dfuERROR, errFIRMWARE, as ST's F4 loaders do; cleared",
		]);
		expect(store.getState().log.filter((l) => l.level === "warn" || l.level === "error")).toEqual(
			[],
		);
	});

	it("gives GETSTATUS node-usb's timeout argument of 20 s: a loader holds it while it erases", async () => {
		const { fake } = await setup();
		expect(fake.getStatusTimeouts).toEqual([20_000]);
	});

	it("a dfuERROR with another status on entry is reported as it is", async () => {
		const { store } = await setup({ errorOnEntry: true, entryStatus: 0x0e });
		expect(store.getState().log.map((l) => l.text)).toContain(
			"device reported dfuERROR, errUNKNOWN; clearing it (CLRSTATUS)",
		);
	});
});

describe("flashImage on the wire", () => {
	it("erases, writes with one Set Address per run, verifies and leaves, byte for byte", async () => {
		const { fake, log, session, store } = await setup();
		const data = bytes(5000);
		log.length = 0;
		const result = await flashImage(session, image(0x08000000, data), { leave: true });
		const full = (n: number) => `a1 02 ${n.toString(16).padStart(4, "0")} 0000 len 2048`;
		expect(dfuRequests(log, 6).map((l) => l.replace(/ \[[^\]]*…\d+\]$/, ""))).toEqual([
			...command("41 00 00 00 08"),
			...command("21 00 00 00 08"),
			"21 01 0002 0000",
			`${GETSTATUS} ${BUSY}`,
			`${GETSTATUS} ${DN_IDLE}`,
			"21 01 0003 0000",
			`${GETSTATUS} ${BUSY}`,
			`${GETSTATUS} ${DN_IDLE}`,
			...command("21 00 10 00 08"),
			"21 01 0002 0000",
			`${GETSTATUS} ${BUSY}`,
			`${GETSTATUS} ${DN_IDLE}`,
			// verify: pointer, ABORT to dfuIDLE, UPLOAD from block 2; the short tail gets a pointer.
			...command("21 00 00 00 08"),
			"21 06 0000 0000 []",
			full(2),
			full(3),
			"21 06 0000 0000 []",
			...command("21 00 10 00 08"),
			"21 06 0000 0000 []",
			"a1 02 0002 0000 len 904",
			"21 06 0000 0000 []",
			// leave: pointer to the image start, zero-length DNLOAD, one GETSTATUS (dfuMANIFEST).
			...command("21 00 00 00 08"),
			"21 01 0000 0000 []",
			`${GETSTATUS} [00 00 00 00 07 00]`,
		]);
		const written = log.filter((t) => t.bRequest === 1 && t.wValue >= 2);
		expect(written.map((t) => t.data.length)).toEqual([2048, 2048, 904]);
		expect(Buffer.from(fake.flash.subarray(0, 5000)).equals(Buffer.from(data))).toBe(true);
		expect(fake.erased).toEqual([0x08000000]);
		expect(fake.left).toBe(0x08000000);
		// Nine dfuDNBUSY replies at 5 ms: erase, 3 blocks, 5 Set Address (2 write, 2 read, 1 leave).
		expect(result.stats).toEqual({ controlTransfers: log.length, getStatus: 19, elapsedMs: 45 });

		const events = store.history().filter((e) => e.type.startsWith("flash."));
		const phases = events
			.filter((e) => e.type === "flash.phase")
			.map((e) => (e.type === "flash.phase" ? `${e.phase} ${e.status}` : ""));
		expect(events[0]!.type).toBe("flash.planned");
		expect(phases).toEqual([
			"erase started",
			"erase finished",
			"program started",
			"program finished",
			"verify started",
			"verify finished",
			"leave started",
			"leave finished",
		]);
		expect(events.at(-1)).toMatchObject({ type: "flash.finished", ok: true });
		expect(events.filter((e) => e.type === "flash.finished")).toHaveLength(1);
		const statuses = store
			.history()
			.filter((e) => e.type === "dfu.status" && e.job === result.job)
			.map((e) => (e.type === "dfu.status" ? `${e.device} ${e.status.stateName}` : ""));
		expect(statuses.slice(0, 3)).toEqual(["dev dfuDNBUSY", "dev dfuDNLOAD-IDLE", "dev dfuDNBUSY"]);
		expect(statuses.at(-1)).toBe("dev dfuMANIFEST");
		const job = store.getState().jobs[result.job]!;
		expect(job.sectors).toEqual({ "134217728": "verified" });
		expect(job.lastStatus?.stateName).toBe("dfuMANIFEST");
		expect(job.result).toEqual({ ok: true, error: undefined });
	});

	it("waits exactly bwPollTimeout between the two GETSTATUS of a command, and no longer", async () => {
		const { session, clock, log } = await setup({ busyMs: 25 });
		log.length = 0;
		const before = clock.now();
		await massErase(session, { confirmed: true });
		expect(dfuRequests(log)).toEqual([
			"21 01 0000 0000 [41]",
			`${GETSTATUS} [00 19 00 00 04 00]`,
			`${GETSTATUS} ${DN_IDLE}`,
		]);
		expect(clock.now() - before).toBe(25);
	});

	it("keeps polling at the device's pace while it stays busy, never faster", async () => {
		let busyLeft = 3;
		const { session, clock } = await setup({
			busyMs: 10,
			statusHook: (_n, normal) =>
				normal[4] === 5 && busyLeft-- > 0 ? Uint8Array.of(0, 10, 0, 0, 4, 0) : undefined,
		});
		const times: number[] = [];
		session.transport.onStatus = () => times.push(clock.now());
		await massErase(session, { confirmed: true });
		// busy(10) → busy(10) → busy(10) → busy(10) → idle: each poll exactly 10 ms after the last.
		expect(times.map((t) => t - times[0]!)).toEqual([0, 10, 20, 30, 40]);
	});

	it("tolerates an L4-style stalled GETSTATUS while erasing, reusing the last poll timeout", async () => {
		// GETSTATUS 1 is the one at open; 2 is the erase's dfuDNBUSY; 3 and 4 stall.
		const { session, fake, clock } = await setup({ busyMs: 7, stallGetStatus: [3, 4] });
		const before = clock.now();
		await flashImage(session, image(0x08000000, bytes(16)), { verify: false });
		expect(fake.erased).toEqual([0x08000000]);
		expect(fake.flash.subarray(0, 16)).toEqual(bytes(16));
		expect(clock.now() - before).toBeGreaterThanOrEqual(7 * 3);
	});

	it("refuses an image outside writable memory before sending any request", async () => {
		const { session, log, store } = await setup();
		log.length = 0;
		await expect(flashImage(session, image(0x080ff000, bytes(0x2000)))).rejects.toThrow(
			ImageRejectedError,
		);
		expect(log).toEqual([]);
		expect(store.history().some((e) => e.type === "flash.planned")).toBe(false);
	});

	it("names the sector, state and status when an erase fails, and ends the job once", async () => {
		const { session, store } = await setup({
			statusHook: (n, normal) =>
				n === 3 ? Uint8Array.of(0x04, 0, 0, 0, 10, 0) : normal[4] === 10 ? undefined : undefined,
		});
		const attempt = flashImage(session, image(0x08000000, bytes(100)));
		await expect(attempt).rejects.toThrow(DfuStatusError);
		await expect(attempt).rejects.toThrow(
			"erase of sector at 0x08000000 failed: dfuERROR, errERASE (Memory erase function failed)",
		);
		const events = store.history();
		const failedPhase = events.find((e) => e.type === "flash.phase" && e.status === "failed");
		expect(failedPhase).toMatchObject({
			phase: "erase",
			error: {
				kind: "dfu-status",
				details: { address: 0x08000000, status: "errERASE", state: "dfuERROR" },
			},
		});
		expect(events.filter((e) => e.type === "flash.finished")).toEqual([
			expect.objectContaining({
				ok: false,
				error: expect.objectContaining({ message: expect.stringContaining("errERASE") }),
			}),
		]);
		expect(events.some((e) => e.type === "flash.sector" && e.state === "failed")).toBe(true);
	});

	it("reports a device that vanishes mid-program as DeviceGoneError with block and address", async () => {
		// Open 5 (4 descriptor reads, 1 GETSTATUS); erase 3; set address 3; block 1: 3; block 2's
		// DNLOAD goes through and its GETSTATUS finds the device gone.
		const { session, store } = await setup({ goneAtTransfer: 5 + 3 + 3 + 3 + 2 });
		const attempt = flashImage(session, image(0x08000000, bytes(6000)));
		await expect(attempt).rejects.toThrow(DeviceGoneError);
		await expect(attempt).rejects.toThrow(
			"write of block 2/3 at 0x08000800 failed: the device disconnected",
		);
		expect(store.history().at(-1)).toMatchObject({
			type: "flash.finished",
			ok: false,
			error: { kind: "device-gone" },
		});
	});
});

describe("a hung device", () => {
	it("times a transfer out instead of waiting for ever", async () => {
		// Transfers 1-5 open the device (4 descriptor reads, 1 GETSTATUS); 6 is the erase command.
		const fake = new FakeDfuseDevice({ hangAtTransfer: 6 });
		const clock = new VirtualClock();
		const session = await openDfu(fake.asUSBDevice(), { clock, timeouts: { transfer: 20 } });
		await expect(flashImage(session, image(0x08000000, bytes(16)))).rejects.toThrow(
			"erase of sector at 0x08000000 failed: USB transfer timed out after 20 ms",
		);
	});
});

describe("other operations", () => {
	it("mass erase and read unprotect refuse without confirmation and send nothing", async () => {
		const { session, log } = await setup();
		log.length = 0;
		await expect(massErase(session, { confirmed: false })).rejects.toThrow(
			ConfirmationRequiredError,
		);
		await expect(readUnprotect(session, {} as { confirmed: boolean })).rejects.toThrow(
			ConfirmationRequiredError,
		);
		expect(log).toEqual([]);
	});

	it("read unprotect sends 0x92 and stops after the dfuDNBUSY reply", async () => {
		const { session, log } = await setup();
		log.length = 0;
		await readUnprotect(session, { confirmed: true });
		expect(dfuRequests(log)).toEqual(["21 01 0000 0000 [92]", `${GETSTATUS} ${BUSY}`]);
	});

	it("reads memory to the end of its segment when asked for more", async () => {
		const { session, fake, log, store } = await setup({}, 0);
		fake.flash.set(bytes(3000, 3), 0x100);
		log.length = 0;
		const data = await readMemory(session, { address: 0x08000100, length: 3000 });
		expect(Buffer.from(data).equals(Buffer.from(bytes(3000, 3)))).toBe(true);
		expect(dfuRequests(log, 6).map((l) => l.replace(/ \[[^\]]*…\d+\]$/, ""))).toEqual([
			...command("21 00 01 00 08"),
			"21 06 0000 0000 []",
			"a1 02 0002 0000 len 2048",
			"21 06 0000 0000 []",
			...command("21 00 09 00 08"),
			"21 06 0000 0000 []",
			"a1 02 0002 0000 len 952",
			"21 06 0000 0000 []",
		]);
		const long = await readMemory(session, { address: 0x080fff00, length: 4096 });
		expect(long.length).toBe(256);
		expect(store.getState().log.map((l) => l.text)).toContain(
			"limiting upload to the end of the memory segment (0x08100000)",
		);
	});

	it("leave points at the given address and treats the vanished device as success", async () => {
		const { session, fake } = await setup();
		await leave(session, { address: 0x08004000 });
		expect(fake.left).toBe(0x08004000);
	});
});

describe("plain DFU 1.1 and run-time devices", () => {
	it("downloads a plain DFU image from wBlockNum 0, then manifests", async () => {
		const { fake, log, session, store } = await setup({
			dfuVersion: 0x0110,
			attributes: 0x07,
			transferSize: 1024,
		});
		expect(session.isDfuse).toBe(false);
		log.length = 0;
		const data = bytes(2500, 9);
		await flashImage(session, image(0, data));
		expect(fake.blocks).toEqual([0, 1, 2]);
		expect(Buffer.from(fake.flash.subarray(0, 2500)).equals(Buffer.from(data))).toBe(true);
		expect(dfuRequests(log, 0).filter((l) => l.startsWith("21 01"))).toEqual([
			"21 01 0000 0000 […1024]",
			"21 01 0001 0000 […1024]",
			"21 01 0002 0000 […452]",
			"21 01 0003 0000 []",
		]);
		// Manifestation-tolerant: MANIFEST, then back to dfuIDLE.
		expect(dfuRequests(log).slice(-2)).toEqual([
			`${GETSTATUS} [00 00 00 00 07 00]`,
			`${GETSTATUS} ${IDLE}`,
		]);
		expect(store.history().at(-1)).toMatchObject({ type: "flash.finished", ok: true });
	});

	it("uploads a plain DFU image until a short block", async () => {
		const { fake, session } = await setup({
			dfuVersion: 0x0110,
			attributes: 0x07,
			transferSize: 1024,
		});
		fake.flash.set(bytes(1500, 4), 0);
		const { uploadPlain } = await import("../../source/dfu/index.js");
		const data = await uploadPlain(session, { maxLength: 1500 });
		expect(Buffer.from(data).equals(Buffer.from(bytes(1500, 4)))).toBe(true);
	});

	it("detaches a run-time device with DFU_DETACH and does not reset a device that detaches itself", async () => {
		const { fake, log, session } = await setup({ protocol: 1 });
		expect(session.isRuntime).toBe(true);
		await expect(flashImage(session, image(0x08000000, bytes(16)))).rejects.toThrow(
			"run-time mode",
		);
		// The hint names the flag that detaches (there is no `detach` command).
		await expect(flashImage(session, image(0x08000000, bytes(16)))).rejects.toMatchObject({
			hint: expect.stringMatching(/bringup -e/),
		});
		log.length = 0;
		const { detach } = await import("../../source/dfu/index.js");
		await detach(session);
		// wTimeout: the device's wDetachTimeOut (255 ms) caps dfu-util's 1000 ms.
		expect(dfuRequests(log)).toEqual(["21 00 00ff 0000 []"]);
		expect(fake.detachedWith).toBe(255);
		expect(fake.resets).toBe(0);
	});

	it("resets the bus after DFU_DETACH when the device lacks bitWillDetach", async () => {
		const { fake, session } = await setup({ protocol: 1, attributes: 0x03 });
		const { detach } = await import("../../source/dfu/index.js");
		await detach(session, { timeoutMs: 1000 });
		expect(fake.detachedWith).toBe(1000);
		expect(fake.resets).toBe(1);
	});
});

describe("cancelling", () => {
	it("stops between two requests, fails the phase as cancelled and leaves the device in dfuIDLE", async () => {
		const { fake, session, store } = await setup();
		const controller = new AbortController();
		store.subscribe(() => {
			const last = store.history().at(-1);
			if (last?.type === "flash.progress" && last.phase === "program" && last.done >= 4096)
				controller.abort();
		});
		const attempt = flashImage(session, image(0x08000000, bytes(10_000)), {
			signal: controller.signal,
		});
		await expect(attempt).rejects.toThrow("program cancelled at 0x08001000");
		// Blocks 1-2 are in, block 3 was never sent.
		expect(Buffer.from(fake.flash.subarray(0, 0x1000)).equals(Buffer.from(bytes(0x1000)))).toBe(
			true,
		);
		expect(fake.flash.subarray(0x1000, 0x1010).every((b) => b === 0xff)).toBe(true);
		expect(fake.state).toBe(2);
		const failed = store.history().find((e) => e.type === "flash.phase" && e.status === "failed");
		expect(failed).toMatchObject({ phase: "program", error: { kind: "cancelled" } });
	});
});
