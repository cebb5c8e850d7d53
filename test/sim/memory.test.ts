import { describe, expect, it } from "vitest";
import { DfuState, DfuStatus } from "../../source/sim/index.js";
import { bytes, sim } from "./helpers.js";

describe("flash, option bytes and protection", () => {
	it("programming can only clear bits: the result is old AND new", async () => {
		const { dfu, board } = sim({ scenario: "blank" });
		expect(board.readMemory(0x08000000, 4)).toEqual(bytes(0xff, 0xff, 0xff, 0xff));
		await dfu.write(0x08000000, bytes(0xf0, 0x0f, 0xaa, 0xff));
		await dfu.write(0x08000000, bytes(0x3c, 0xff, 0x55, 0x00));
		expect(board.readMemory(0x08000000, 4)).toEqual(bytes(0x30, 0x0f, 0x00, 0x00));
	});

	it("a write-protected sector is silently neither erased nor programmed (AN2662 p.78)", async () => {
		const { dfu, board } = sim({ scenario: "wrp" });
		const before = board.readMemory(0x08004000, 16);
		expect((await dfu.erase(0x08004000)).state).toBe(DfuState.dfuDNLOAD_IDLE);
		expect(board.readMemory(0x08004000, 16)).toEqual(before);
		const status = await dfu.write(0x08004000, new Uint8Array(16));
		expect(status).toMatchObject({ status: DfuStatus.OK, state: DfuState.dfuDNLOAD_IDLE });
		expect(board.readMemory(0x08004000, 16)).toEqual(before);
		// sector 0 is not protected
		await dfu.erase(0x08000000);
		expect(board.readMemory(0x08000000, 16).every((b) => b === 0xff)).toBe(true);
	});

	it("the wrp scenario shows nWRP bit 1 cleared in the option bytes", async () => {
		const { dfu } = sim({ scenario: "wrp" });
		await dfu.selectAlt(1);
		const r = await dfu.read(0x1fffc000, 16);
		expect(r.status === "ok" && [...r.data!]).toEqual([
			0xef, 0xaa, 0x10, 0x55, 0xff, 0xff, 0xff, 0xff, 0xfd, 0x0f, 0x02, 0xf0, 0xff, 0xff, 0xff,
			0xff,
		]);
	});

	it("RDP level 1: flash upload, erase and program fail with errVENDOR; option bytes stay readable", async () => {
		const { dfu } = sim({ scenario: "rdp1" });
		expect(await dfu.setAddress(0x08000000)).toMatchObject({
			status: 0,
			state: DfuState.dfuDNLOAD_IDLE,
		});
		await dfu.abort();
		expect(await dfu.upload(2, 256)).toEqual({ status: "stall" });
		expect(await dfu.getStatus()).toMatchObject({
			status: DfuStatus.errVENDOR,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect(await dfu.erase(0x08000000)).toMatchObject({
			status: DfuStatus.errVENDOR,
			state: DfuState.dfuERROR,
		});
		await dfu.clrStatus();
		expect(await dfu.command([0x41])).toMatchObject({ status: DfuStatus.errVENDOR });
		await dfu.clrStatus();
		expect(await dfu.write(0x08000000, new Uint8Array(4))).toMatchObject({
			status: DfuStatus.errVENDOR,
		});
		await dfu.clrStatus();
		await dfu.selectAlt(1);
		const ob = await dfu.read(0x1fffc000, 16);
		expect(ob.status === "ok" && ob.data![1]).toBe(0xbb);
	});

	it("writing the option bytes changes them and resets the chip; the loader comes back", async () => {
		const { dfu, board, clock } = sim();
		await dfu.selectAlt(1);
		await dfu.setAddress(0x1fffc000);
		const ob = bytes(0xcf, 0xaa, 0, 0, 0, 0, 0, 0, 0xfe, 0x0f, 0, 0, 0, 0, 0, 0); // WDG_SW=0, sector 0 WRP
		await dfu.dnload(2, ob);
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuDNBUSY);
		await Promise.resolve();
		expect(board.isPresent()).toBe(false);
		expect([...board.optionBytes[0]!]).toEqual([
			0xcf, 0xaa, 0x30, 0x55, 0xff, 0xff, 0xff, 0xff, 0xfe, 0x0f, 0x01, 0xf0, 0xff, 0xff, 0xff,
			0xff,
		]);
		expect(board.board.chip.hardwareWatchdog()).toBe(true);
		await clock.sleep(1000);
		expect(board.isPresent()).toBe(true);
	});

	it("an option-byte write taking RDP from level 1 to 0 mass-erases the flash", async () => {
		const { dfu, board } = sim({ scenario: "rdp1" });
		await dfu.selectAlt(1);
		await dfu.setAddress(0x1fffc000);
		await dfu.dnload(2, bytes(0xef, 0xaa, 0, 0, 0, 0, 0, 0, 0xff, 0x0f, 0, 0, 0, 0, 0, 0));
		await dfu.getStatus();
		expect(board.readMemory(0x08000000, 1024).every((b) => b === 0xff)).toBe(true);
		expect(board.optionBytes[0]![1]).toBe(0xaa);
	});

	it("writes reach only the memory of the selected alt setting", async () => {
		const { dfu } = sim();
		// alt 0 (Internal Flash) cannot reach the option bytes
		expect(await dfu.setAddress(0x1fffc000)).toMatchObject({ status: DfuStatus.errTARGET });
		await dfu.clrStatus();
		// system memory is read-only
		expect(await dfu.write(0x1fff0000, new Uint8Array(4))).toMatchObject({
			status: DfuStatus.errTARGET,
		});
	});

	it("RAM is writable and readable through alt 0", async () => {
		const { dfu, board } = sim();
		expect(await dfu.write(0x20001000, bytes(1, 2, 3, 4))).toMatchObject({ status: 0 });
		expect(board.readMemory(0x20001000, 4)).toEqual(bytes(1, 2, 3, 4));
	});

	it("Device Feature 0x03 switches an F4 from byte to word programming (4× faster)", async () => {
		const { dfu, board } = sim({ scenario: "blank" });
		await dfu.write(0x08000000, new Uint8Array(2048));
		const byteWise = board.counters.programMs;
		await dfu.selectAlt(3);
		await dfu.write(0xffff0000, bytes(0x03, 0xff, 0xff, 0xff));
		await dfu.selectAlt(0);
		await dfu.write(0x08000800, new Uint8Array(2048));
		const wordWise = board.counters.programMs - byteWise;
		expect(byteWise).toBeCloseTo(2048 * 0.016, 6);
		expect(wordWise).toBeCloseTo(512 * 0.016, 6);
	});

	it("a write not aligned to the family's unit fails with errTARGET [inferred]", async () => {
		const { dfu } = sim({ profile: "g474", scenario: "blank" });
		expect(await dfu.write(0x08000004, new Uint8Array(8))).toMatchObject({
			status: DfuStatus.errTARGET,
		});
	});

	it("dual-bank option bytes: F429 and G474 expose two runs, each readable on its own", async () => {
		const f429 = sim({ profile: "f429" });
		await f429.dfu.selectAlt(1);
		const bank2 = await f429.dfu.read(0x1ffec000, 16);
		expect(bank2.status === "ok" && [...bank2.data!.subarray(8, 12)]).toEqual([
			0xff, 0x0f, 0x00, 0xf0,
		]);
		const g474 = sim({ profile: "g474" });
		await g474.dfu.selectAlt(1);
		const optr = await g474.dfu.read(0x1fff7800, 48);
		// OPTR FFEFF8AA and its complement
		expect(optr.status === "ok" && [...optr.data!.subarray(0, 8)]).toEqual([
			0xaa, 0xf8, 0xef, 0xff, 0x55, 0x07, 0x10, 0x00,
		]);
		const second = await g474.dfu.read(0x1ffff800, 48);
		expect(second.status === "ok" && second.data!.length).toBe(48);
	});

	it("G474 wrp scenario: page 1 is protected by the WRP1A range, page 0 is not", async () => {
		const { dfu, board } = sim({ profile: "g474", scenario: "wrp" });
		const before = board.readMemory(0x08000800, 8);
		await dfu.erase(0x08000800);
		expect(board.readMemory(0x08000800, 8)).toEqual(before);
		await dfu.erase(0x08000000);
		expect(board.readMemory(0x08000000, 8)).toEqual(
			bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff),
		);
	});

	it("H743 option bytes sit on the FLASH registers at 0x5200201C with RDP 0xAA", async () => {
		const { dfu, board } = sim({ profile: "h743", scenario: "rdp1" });
		await dfu.selectAlt(1);
		const ob = await dfu.read(0x5200201c, 128);
		expect(ob.status === "ok" && ob.data![1]).toBe(0xbb);
		expect(board.board.chip.rdpLevel()).toBe(1);
	});

	it("G474: a double word already programmed cannot be programmed again (errPROG), only zeroed", async () => {
		const { dfu, board } = sim({ profile: "g474", scenario: "blank" });
		await dfu.write(0x08000000, bytes(0xf0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff));
		expect(await dfu.write(0x08000000, bytes(0x0f, 0, 0, 0, 0, 0, 0, 0xfe))).toMatchObject({
			status: DfuStatus.errPROG,
			state: DfuState.dfuERROR,
		});
		expect(board.readMemory(0x08000000, 2)).toEqual(bytes(0xf0, 0xff));
		await dfu.clrStatus();
		expect(await dfu.write(0x08000000, new Uint8Array(8))).toMatchObject({ status: DfuStatus.OK });
		expect(board.readMemory(0x08000000, 2)).toEqual(bytes(0, 0));
	});

	it("H743: writing WPSN_PRG1 with sector 0 cleared write-protects it after the reset", async () => {
		const { dfu, board, clock } = sim({ profile: "h743" });
		await dfu.selectAlt(1);
		const ob = board.optionBytes[0]!;
		ob[0x20] = 0xfe; // WPSN_PRG1R: nWPS0 = 0
		await dfu.setAddress(0x5200201c);
		await dfu.dnload(2, ob);
		expect((await dfu.getStatus()).state).toBe(DfuState.dfuDNBUSY);
		await clock.sleep(1000);
		expect(board.isPresent()).toBe(true);
		expect(board.board.chip.isWriteProtected(0x08000000)).toBe(true);
		expect(board.board.chip.isWriteProtected(0x08020000)).toBe(false);
		expect(board.optionBytes[0]![0x1c]).toBe(0xfe); // WPSN_CUR1R follows after the reset
	});
});
