import { describe, expect, it } from "vitest";
import { DfuState, DfuStatus } from "../../source/sim/index.js";
import { bytes, sim } from "./helpers.js";

describe("DfuSe commands at the byte level", () => {
	it("UPLOAD block 0 returns the command list 00 21 41 92 and a short reply ends it", async () => {
		const { dfu } = sim();
		expect(await dfu.upload(0, 2048)).toEqual({
			status: "ok",
			data: bytes(0x00, 0x21, 0x41, 0x92),
		});
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
	});

	it("0x21 sets the address pointer; the first GETSTATUS is dfuDNBUSY, the second DNLOAD-IDLE/OK", async () => {
		const { dfu, board } = sim();
		expect(await dfu.dnload(0, bytes(0x21, 0x00, 0x40, 0x00, 0x08))).toEqual({ status: "ok" });
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuDNBUSY);
		expect(await dfu.getStatus()).toEqual({
			status: 0,
			pollTimeout: 0,
			state: DfuState.dfuDNLOAD_IDLE,
		});
		expect(board.board.loader?.addressPointer).toBe(0x08004000);
	});

	it("0x21 to an address with nothing behind it ends in dfuERROR/errTARGET", async () => {
		const { dfu } = sim();
		expect(await dfu.setAddress(0x0a000000)).toMatchObject({
			status: DfuStatus.errTARGET,
			state: DfuState.dfuERROR,
		});
	});

	it("0x41 + address erases the sector holding it and takes that sector's datasheet time", async () => {
		const { dfu, board } = sim();
		expect(board.readMemory(0x08004000, 4)).not.toEqual(bytes(0xff, 0xff, 0xff, 0xff));
		board.writeMemory(0x08004000, bytes(1, 2, 3, 4)); // sector 1
		board.writeMemory(0x08008000, bytes(1, 2, 3, 4)); // sector 2
		await dfu.dnload(0, bytes(0x41, 0x10, 0x40, 0x00, 0x08));
		// An F4 reports 100 ms for any erase (capture 06); the chip takes the datasheet's 400.
		expect(await dfu.getStatus()).toEqual({
			status: 0,
			pollTimeout: 100,
			state: DfuState.dfuDNBUSY,
		});
		expect((await dfu.settle()).state).toBe(DfuState.dfuDNLOAD_IDLE);
		expect(board.readMemory(0x08004000, 0x4000).every((b) => b === 0xff)).toBe(true);
		expect(board.readMemory(0x08008000, 4)).toEqual(bytes(1, 2, 3, 4));
		expect(board.counters.eraseMs).toBe(400);
	});

	it("0x41 outside flash ends in errTARGET", async () => {
		const { dfu } = sim();
		expect(await dfu.erase(0x20000000)).toMatchObject({
			status: DfuStatus.errTARGET,
			state: DfuState.dfuERROR,
		});
	});

	it("0x41 alone mass-erases; an F407 reports 100 ms though it takes 16 s, and holds the next poll until done", async () => {
		const { dfu, board, clock } = sim();
		await dfu.dnload(0, bytes(0x41));
		const started = clock.now();
		expect(await dfu.getStatus()).toEqual({
			status: 0,
			pollTimeout: 100,
			state: DfuState.dfuDNBUSY,
		});
		await clock.sleep(100);
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuDNLOAD_IDLE);
		expect(clock.now() - started).toBeGreaterThanOrEqual(16000);
		expect(board.readMemory(0x08000000, 64).every((b) => b === 0xff)).toBe(true);
		expect(board.counters.eraseMs).toBe(16000);
	});

	it("0x92 read unprotect: dfuDNBUSY, then mass erase, RDP back to 0xAA and a chip reset", async () => {
		const { dfu, board, clock } = sim({ scenario: "rdp1" });
		await dfu.dnload(0, bytes(0x92));
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuDNBUSY);
		await Promise.resolve();
		expect(board.isPresent()).toBe(false);
		expect(board.optionBytes[0]![1]).toBe(0xaa);
		expect(board.readMemory(0x08000000, 256).every((b) => b === 0xff)).toBe(true);
		await clock.sleep(1000);
		expect(board.isPresent()).toBe(true);
	});

	it("a command with a length its opcode does not have ends in dfuERROR [inferred]", async () => {
		const { dfu } = sim();
		expect(await dfu.command([0x21, 0x00, 0x00])).toMatchObject({ state: DfuState.dfuERROR });
	});

	it("data blocks land at (wBlockNum − 2) × wTransferSize + pointer", async () => {
		const { dfu, board } = sim({ scenario: "blank" });
		await dfu.setAddress(0x08000000);
		await dfu.dnload(3, new Uint8Array(16).fill(0x11));
		await dfu.settle();
		await dfu.dnload(4, new Uint8Array(16).fill(0x22));
		await dfu.settle();
		expect(board.readMemory(0x08000800, 2)).toEqual(bytes(0x11, 0x11));
		expect(board.readMemory(0x08001000, 2)).toEqual(bytes(0x22, 0x22));
		expect(board.readMemory(0x08000000, 2)).toEqual(bytes(0xff, 0xff));
	});

	it("UPLOAD reads from the pointer and ends with a short frame at the end of memory", async () => {
		const { dfu, board } = sim();
		board.writeMemory(
			0x080ffff0,
			Uint8Array.from({ length: 16 }, (_, i) => i),
		);
		await dfu.setAddress(0x080ff800);
		await dfu.abort();
		const first = await dfu.upload(2, 2048);
		expect(first.status === "ok" && first.data?.length).toBe(2048);
		expect(first.status === "ok" && [...first.data!.subarray(2032)]).toEqual([...Array(16).keys()]);
		expect(await dfu.getState()).toBe(DfuState.dfuUPLOAD_IDLE);
		await dfu.abort();
		await dfu.setAddress(0x080ffc00);
		await dfu.abort();
		const short = await dfu.upload(2, 2048);
		expect(short.status === "ok" && short.data?.length).toBe(1024);
		expect(await dfu.getState()).toBe(DfuState.dfuIDLE);
	});

	it("the bootloader ID byte is readable from system memory (AN2606 Table 3)", async () => {
		const { dfu } = sim();
		const r = await dfu.read(0x1fff77de, 2);
		expect(r.status === "ok" && r.data![0]).toBe(0x91);
	});
});
