import { describe, expect, it } from "vitest";
import { DfuState, DfuStatus, parseFaults } from "../../source/sim/index.js";
import { bytes, sim } from "./helpers.js";

describe("fault injection", () => {
	it("parses fault specs by name with their parameter", () => {
		expect(
			parseFaults(
				"unplug-at-block=5, stall-request=12,status-error-at-block=3:errWRITE,readback-bitflip=0x08000010:3,wedged-busy=8,error-on-entry",
			),
		).toEqual([
			{ name: "unplug-at-block", block: 5 },
			{ name: "stall-request", request: 12 },
			{ name: "status-error-at-block", block: 3, status: DfuStatus.errWRITE },
			{ name: "readback-bitflip", address: 0x08000010, bit: 3 },
			{ name: "wedged-busy", fromSector: 8 },
			{ name: "error-on-entry" },
		]);
		expect(() => parseFaults("melt")).toThrow(/unknown fault/);
		expect(() => parseFaults("status-error-at-block=1:errNOPE")).toThrow(/unknown DFU status/);
	});

	it("refuses a bit number a byte does not have, instead of flipping another bit", () => {
		expect(() => parseFaults("readback-bitflip=0x08000010:9")).toThrow(
			"fault readback-bitflip: bit 9 is not a bit of a byte (0 to 7)",
		);
		expect(parseFaults("readback-bitflip=0x08000010:7")).toEqual([
			{ name: "readback-bitflip", address: 0x08000010, bit: 7 },
		]);
	});

	it("unplug-at-block: the device vanishes when data block N arrives; blocks before it are written", async () => {
		const { dfu, board, simulation } = sim({ scenario: "blank", faults: "unplug-at-block=2" });
		const gone: string[] = [];
		simulation.usb.addEventListener("disconnect", () => gone.push("disconnect"));
		await dfu.write(0x08000000, new Uint8Array(16).fill(0x11));
		await dfu.setAddress(0x08000010);
		await expect(dfu.dnload(2, new Uint8Array(16).fill(0x22))).rejects.toThrow(
			/disconnected during a transfer/,
		);
		expect(gone).toEqual(["disconnect"]);
		expect(board.isPresent()).toBe(false);
		expect(board.readMemory(0x08000000, 1)).toEqual(bytes(0x11));
		expect(board.readMemory(0x08000010, 1)).toEqual(bytes(0xff));
		simulation.plug(board);
		expect(board.isPresent()).toBe(true);
	});

	it("stall-request: the K-th control request is stalled and the loader records errSTALLEDPKT", async () => {
		const { dfu } = sim({ profile: "f411", raw: true, faults: "stall-request=2" });
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuIDLE);
		expect(await dfu.dnload(0, bytes(0x21, 0, 0, 0, 8))).toEqual({ status: "stall" });
		expect(await dfu.getStatus()).toMatchObject({
			status: DfuStatus.errSTALLEDPKT,
			state: DfuState.dfuERROR,
		});
	});

	it("status-error-at-block: block N reports the status and is not written", async () => {
		const { dfu, board } = sim({ scenario: "blank", faults: "status-error-at-block=2:errPROG" });
		expect(await dfu.write(0x08000000, bytes(1, 2, 3, 4))).toMatchObject({ status: 0 });
		expect(await dfu.write(0x08000004, bytes(5, 6, 7, 8))).toEqual({
			status: DfuStatus.errPROG,
			pollTimeout: 0,
			state: DfuState.dfuERROR,
		});
		expect(board.readMemory(0x08000004, 4)).toEqual(bytes(0xff, 0xff, 0xff, 0xff));
	});

	it("readback-bitflip: an UPLOAD returns one flipped bit, the flash is right", async () => {
		const { dfu, board } = sim({ scenario: "blank", faults: "readback-bitflip=0x08000010:3" });
		const r = await dfu.read(0x08000000, 32);
		expect(r.status === "ok" && r.data![0x10]).toBe(0xff ^ 0x08);
		expect(r.status === "ok" && r.data!.filter((b) => b !== 0xff).length).toBe(1);
		expect(board.readMemory(0x08000010, 1)).toEqual(bytes(0xff));
	});

	it("wedged-busy: an erase of a sector >= N stays dfuDNBUSY until CLRSTATUS, CLRSTATUS (H7 Rev.V)", async () => {
		const { dfu, board, clock } = sim({ profile: "h743", faults: "wedged-busy=8" });
		expect((await dfu.erase(0x08000000)).state).toBe(DfuState.dfuDNLOAD_IDLE);
		board.writeMemory(0x08100000, bytes(1, 2, 3, 4));
		await dfu.dnload(0, bytes(0x41, 0x00, 0x00, 0x10, 0x08));
		const first = await dfu.getStatus();
		expect(first).toMatchObject({ state: DfuState.dfuDNBUSY, pollTimeout: 1100 });
		for (let i = 0; i < 5; i++) {
			await clock.sleep(2000);
			expect(await dfu.getStatus()).toEqual({
				status: 0,
				pollTimeout: 0,
				state: DfuState.dfuDNBUSY,
			});
		}
		await dfu.clrStatus();
		expect(await dfu.getStatus()).toMatchObject({
			status: DfuStatus.errUNKNOWN,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect(await dfu.getStatus()).toMatchObject({ status: 0, state: DfuState.dfuIDLE });
		expect(board.readMemory(0x08100000, 4)).toEqual(bytes(0xff, 0xff, 0xff, 0xff));
	});

	it("wedged-busy: ABORT also ends it", async () => {
		const { dfu } = sim({ profile: "h743", faults: "wedged-busy" });
		await dfu.dnload(0, bytes(0x41, 0x00, 0x00, 0x00, 0x08));
		await dfu.getStatus();
		await dfu.abort();
		expect(await dfu.getStatus()).toMatchObject({ status: 0, state: DfuState.dfuIDLE });
	});

	it("error-on-entry: the first GETSTATUS says dfuERROR/errFIRMWARE, CLRSTATUS clears it", async () => {
		// The F411 starts in dfuIDLE of its own; the fault gives it the F407's first answer.
		const { dfu } = sim({ profile: "f411", raw: true, faults: "error-on-entry" });
		expect(await dfu.getStatus()).toEqual({
			status: DfuStatus.errFIRMWARE,
			pollTimeout: 0,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect(await dfu.getStatus()).toMatchObject({ status: 0, state: DfuState.dfuIDLE });
	});
});
