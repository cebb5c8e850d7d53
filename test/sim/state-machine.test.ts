import { describe, expect, it } from "vitest";
import { DfuState, DfuStatus } from "../../source/sim/index.js";
import { bytes, sim } from "./helpers.js";

describe("DFU 1.1 state machine of the ROM loader", () => {
	it("starts in dfuIDLE/OK and GETSTATE agrees", async () => {
		const { dfu } = sim({ profile: "f411", raw: true });
		expect(await dfu.getStatus()).toEqual({ status: 0, pollTimeout: 0, state: DfuState.dfuIDLE });
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
	});

	it("an F407 answers its first GETSTATUS with dfuERROR/errFIRMWARE until CLRSTATUS (captures 02, 12)", async () => {
		const { dfu } = sim({ raw: true });
		expect(await dfu.getStatus()).toEqual({
			status: DfuStatus.errFIRMWARE,
			pollTimeout: 0,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect(await dfu.getStatus()).toEqual({ status: 0, pollTimeout: 0, state: DfuState.dfuIDLE });
	});

	it("DNLOAD → DNLOAD-SYNC → GETSTATUS dfuDNBUSY with the program time → DNLOAD-IDLE/OK", async () => {
		const { dfu, clock, board } = sim({ scenario: "blank" });
		await dfu.setAddress(0x08000000);
		expect(await dfu.dnload(2, new Uint8Array(2048).fill(0x5a))).toEqual({ status: "ok" });
		expect(await dfu.getState()).toBe(DfuState.dfuDNLOAD_SYNC);
		const busy = await dfu.getStatus();
		// x8 (byte) programming by default: 2048 × 16 µs = 32.768 ms → 33 ms.
		expect(busy).toEqual({ status: 0, pollTimeout: 33, state: DfuState.dfuDNBUSY });
		await clock.sleep(33);
		expect(await dfu.getStatus()).toEqual({
			status: 0,
			pollTimeout: 0,
			state: DfuState.dfuDNLOAD_IDLE,
		});
		expect(board.readMemory(0x08000000, 4)).toEqual(bytes(0x5a, 0x5a, 0x5a, 0x5a));
	});

	it("polled before the erase has ended, the loader holds the GETSTATUS until it ends, then answers dfuDNLOAD-IDLE", async () => {
		const { dfu, clock } = sim({ scenario: "blank", profile: "g474" });
		await dfu.dnload(0, bytes(0x41, 0x00, 0x08, 0x00, 0x08)); // erase page 1 (2 KiB, 22 ms)
		const first = await dfu.getStatus();
		expect(first).toEqual({ status: 0, pollTimeout: 22, state: DfuState.dfuDNBUSY });
		const polled = clock.now();
		const early = await dfu.getStatus();
		expect(early).toEqual({ status: 0, pollTimeout: 0, state: DfuState.dfuDNLOAD_IDLE });
		expect(clock.now() - polled).toBeGreaterThanOrEqual(22);
	});

	it("an F4 reports 100 ms for a 128 KiB erase that takes 2 s; the poll after 100 ms is held until it is done", async () => {
		const { dfu, clock } = sim({ scenario: "blank" });
		await dfu.dnload(0, bytes(0x41, 0x00, 0x00, 0x02, 0x08)); // erase sector 5 (128 KiB)
		const started = clock.now();
		const first = await dfu.getStatus();
		expect(first).toEqual({ status: 0, pollTimeout: 100, state: DfuState.dfuDNBUSY });
		await clock.sleep(first.pollTimeout);
		expect(await dfu.getStatus()).toEqual({
			status: 0,
			pollTimeout: 0,
			state: DfuState.dfuDNLOAD_IDLE,
		});
		expect(clock.now() - started).toBeGreaterThanOrEqual(2000);
	});

	it("a request the state does not allow is stalled and leaves dfuERROR/errSTALLEDPKT", async () => {
		const { dfu } = sim();
		await dfu.dnload(0, bytes(0x21, 0, 0, 0, 8));
		// UPLOAD while a DNLOAD waits for its GETSTATUS
		expect(await dfu.upload(2, 16)).toEqual({ status: "stall" });
		expect(await dfu.getStatus()).toEqual({
			status: DfuStatus.errSTALLEDPKT,
			pollTimeout: 0,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuIDLE);
	});

	it("a DNLOAD longer than wTransferSize is stalled", async () => {
		const { dfu } = sim({ profile: "g474" });
		expect(await dfu.dnload(2, new Uint8Array(2048))).toEqual({ status: "stall" });
		expect(await dfu.getStatus()).toMatchObject({
			status: DfuStatus.errSTALLEDPKT,
			state: DfuState.dfuERROR,
		});
	});

	it("CLRSTATUS outside dfuERROR gives dfuERROR/errUNKNOWN; a second one returns to dfuIDLE", async () => {
		const { dfu } = sim();
		expect(await dfu.clrStatus()).toEqual({ status: "ok" });
		expect(await dfu.getStatus()).toMatchObject({
			status: DfuStatus.errUNKNOWN,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect(await dfu.getStatus()).toMatchObject({ status: 0, state: DfuState.dfuIDLE });
	});

	it("ABORT returns DNLOAD-IDLE and UPLOAD-IDLE to dfuIDLE, and is ignored in dfuERROR", async () => {
		const { dfu } = sim();
		await dfu.setAddress(0x08000000);
		expect(await dfu.getState()).toBe(DfuState.dfuDNLOAD_IDLE);
		await dfu.abort();
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
		await dfu.upload(2, 2048);
		expect(await dfu.getState()).toBe(DfuState.dfuUPLOAD_IDLE);
		await dfu.abort();
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
		await dfu.clrStatus(); // → dfuERROR/errUNKNOWN
		expect(await dfu.abort()).toEqual({ status: "ok" });
		expect(await dfu.getState()).toBe(DfuState.dfuERROR);
	});

	it("leave: zero-length DNLOAD → dfuMANIFEST-SYNC → GETSTATUS dfuMANIFEST → the device is gone", async () => {
		const { dfu, board } = sim();
		await dfu.setAddress(0x08000000);
		await dfu.leave();
		expect(await dfu.getState()).toBe(DfuState.dfuMANIFEST_SYNC);
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuMANIFEST);
		await Promise.resolve();
		expect(board.isPresent()).toBe(false);
		await expect(dfu.getStatus()).rejects.toThrow(/not connected/);
	});

	it("DETACH (bitWillDetach) drops the loader off the bus and it enumerates again in dfuIDLE", async () => {
		const { dfu, board, clock } = sim({ profile: "f411" });
		await dfu.setAddress(0x08000000);
		expect(await dfu.setup({ bRequest: 0, wValue: 1000 })).toEqual({ status: "ok" });
		await Promise.resolve();
		expect(board.isPresent()).toBe(false);
		await clock.sleep(50);
		expect(board.isPresent()).toBe(true);
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
	});

	it("a USB bus reset returns the state machine to dfuIDLE", async () => {
		const { dfu, board } = sim();
		await dfu.clrStatus();
		expect(await dfu.getState()).toBe(DfuState.dfuERROR);
		board.board.busReset();
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
	});
});
