import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { createChecklist } from "../../source/doctor/checklist.js";
import { doctorJson } from "../../source/doctor/doctor.js";
import { renderReport } from "../../source/doctor/report.js";
import type { Image } from "../../source/image/image.js";
import { replay } from "../../source/store/store.js";
import {
	closeOpenSimulations,
	healthyFlash,
	runDoctorOn,
	simulatedBoard,
} from "./doctor-harness.js";

afterEach(closeOpenSimulations);

async function doctor(scenario: string, extra: { image?: Image; sha256?: string } = {}) {
	const target = simulatedBoard({ scenario });
	const result = await runDoctorOn(target, { backend: "sim", ...extra });
	return { result, store: target.store, close: target.close };
}

const statusOf = (r: Awaited<ReturnType<typeof doctor>>["result"], id: string) =>
	r.steps.find((s) => s.id === id)?.status;

describe("runDoctor on simulated boards (no image: the flash is inspected as read back)", () => {
	it("healthy: every automatic step passes, verdict null, board checks remain", async () => {
		const { result } = await doctor("healthy");
		expect(result.verdict).toBeNull();
		expect(result.chip.family).toBe("F4");
		expect(statusOf(result, "image-fits")).toMatch(/pass|warn/);
		expect(statusOf(result, "flash-matches")).toBe("skip");
		expect(statusOf(result, "option-bytes")).toBe("pass");
		expect(statusOf(result, "boot-watch")).toBe("pass");
		expect(result.boot?.outcome).toBe("app-stable");
		expect(result.remaining.map((s) => s.id)).toContain("vcap");
		const json = doctorJson(result);
		expect(Object.keys(json)).toEqual(["steps", "verdict"]);
		expect(JSON.parse(JSON.stringify(json))).toEqual(json);
	});

	it("wrong-mcu: the image fits step fails naming the wrong family", async () => {
		const { result } = await doctor("wrong-mcu");
		expect(result.verdict).toMatchObject({ step: "image-fits", cause: "wrong-family" });
		expect(result.verdict?.message).toMatch(/F1/);
	});

	it("link-offset: the image fits step fails naming the link address", async () => {
		const { result } = await doctor("link-offset");
		expect(result.verdict).toMatchObject({ step: "image-fits", cause: "link-address" });
		expect(result.verdict?.message).toContain("0x08008000");
	});

	it("boot0-high: the loader comes back after leave", async () => {
		const { result } = await doctor("boot0-high");
		expect(result.boot?.outcome).toBe("loader-returned");
		expect(result.verdict).toMatchObject({ step: "boot-watch", cause: "boot0" });
		expect(result.remaining[0]?.id).toBe("boot0");
	});

	it("rdp1: reading the flash fails with errVENDOR: read protection", async () => {
		const { result } = await doctor("rdp1");
		expect(result.verdict).toMatchObject({ step: "image-fits", cause: "read-protection" });
		expect(result.verdict?.message).toContain("errVENDOR");
		expect(result.optionBytes?.rdpLevel).toBe(1);
	});

	it("wrp: the option bytes show the write-protected sector", async () => {
		const { result } = await doctor("wrp");
		expect(result.verdict).toMatchObject({ step: "option-bytes", cause: "write-protection" });
		expect(result.optionBytes?.protectedSectors).toEqual([1]);
	});

	it("iwdg-hw: the app resets in a loop and the option bytes say hardware watchdog", async () => {
		const { result } = await doctor("iwdg-hw");
		expect(statusOf(result, "option-bytes")).toBe("warn");
		expect(result.boot?.outcome).toBe("app-reset-loop");
		expect(result.verdict).toMatchObject({ step: "boot-watch", cause: "watchdog" });
	});

	it("no-app-usb: nothing comes back on USB", async () => {
		const { result } = await doctor("no-app-usb");
		expect(result.boot?.outcome).toBe("nothing");
		expect(result.verdict).toMatchObject({ step: "boot-watch", cause: "no-usb-in-app" });
		expect(result.remaining[0]?.id).toBe("led");
	});
});

describe("runDoctor with what was flashed", () => {
	it("an image equal to the flash passes the compare step", async () => {
		const data = healthyFlash();
		const image: Image = {
			format: "bin",
			source: "app.bin",
			segments: [{ address: 0x08000000, data }],
		};
		const { result } = await doctor("healthy", { image });
		expect(statusOf(result, "flash-matches")).toBe("pass");
		expect(result.verdict).toBeNull();
	});

	it("compares only the flash elements of a DfuSe image, and warns when the SHA-256 is of another file", async () => {
		const data = healthyFlash();
		const image: Image = {
			format: "dfuse",
			source: "app.dfu",
			segments: [
				{ address: 0x08000000, data, alt: 0 },
				{ address: 0x1fffc000, data: new Uint8Array(16).fill(0x55), alt: 1 },
			],
		};
		const { result, store } = await doctor("healthy", { image, sha256: "ab".repeat(32) });
		expect(statusOf(result, "flash-matches")).toBe("warn");
		expect(store.getState().checks["flash-matches"]?.summary).toContain(
			`${24 * 1024} bytes compared`,
		);
		expect(result.steps.find((s) => s.id === "flash-matches")?.findings[0]?.id).toBe(
			"doctor.image-sha256",
		);
	});

	it("a byte that reads back different fails the compare step at that address", async () => {
		const data = healthyFlash();
		const target = simulatedBoard({ scenario: "healthy", faults: "readback-bitflip=0x08001234:3" });
		const result = await runDoctorOn(target, {
			image: { format: "bin", source: "app.bin", segments: [{ address: 0x08000000, data }] },
			bootWatch: false,
		});
		expect(result.verdict).toMatchObject({ step: "flash-matches", cause: "not-written" });
		expect(result.verdict?.message).toContain("0x08001234");
	});

	it("wrp with a new image: the compare step fails and names write protection", async () => {
		const data = healthyFlash();
		// A newer build: same vector table, different bytes in sector 1 (0x08004000..).
		for (let i = 0x4000 + 0x100; i < 0x4000 + 0x200; i++) data[i] = (data[i]! + 1) & 0xff;
		const image: Image = {
			format: "bin",
			source: "new.bin",
			segments: [{ address: 0x08000000, data }],
		};
		const { result } = await doctor("wrp", { image });
		expect(result.verdict).toMatchObject({ step: "flash-matches", cause: "write-protection" });
		expect(result.verdict?.message).toContain("0x08004100");
	});

	it("rdp1 with an image: the image fits, reading it back fails with read protection", async () => {
		const data = healthyFlash();
		const { result } = await doctor("rdp1", {
			image: { format: "bin", source: "app.bin", segments: [{ address: 0x08000000, data }] },
		});
		expect(statusOf(result, "image-fits")).not.toBe("fail");
		expect(result.verdict).toMatchObject({ step: "flash-matches", cause: "read-protection" });
	});

	it("a SHA-256 of the flashed .bin is matched against the flash, a wrong one fails", async () => {
		const { createHash } = await import("node:crypto");
		const data = healthyFlash();
		const sha256 = createHash("sha256").update(data).digest("hex");
		const good = await doctor("healthy", { sha256 });
		expect(statusOf(good.result, "flash-matches")).toBe("pass");
		good.close();
		const bad = await doctor("healthy", { sha256: "00".repeat(32) });
		expect(bad.result.verdict).toMatchObject({ step: "flash-matches", cause: "not-written" });
	});
});

describe("the doctor's record", () => {
	it("replays to the same verdict, resumes at the next board check and renders a report", async () => {
		const { result, store } = await doctor("boot0-high");
		const replayed = replay(store.history());
		const clock = new VirtualClock();
		const engine = createChecklist({ store: replayed, clock, family: result.chip.family });
		expect(engine.verdict()).toEqual(result.verdict);
		expect(engine.next()?.id).toBe("boot0");
		const md = renderReport({
			state: replayed.getState(),
			steps: engine.steps(),
			verdict: engine.verdict(),
			chip: result.chip.name,
		});
		expect(md).toContain("Cause: **boot0**");
		expect(md).toContain("## Still to check");
	});
});

describe("runDoctor on other simulated families", () => {
	for (const profile of ["f746", "g474", "h743"]) {
		it(`${profile}: healthy passes, write protection and a hardware watchdog are found`, async () => {
			for (const [scenario, step, cause] of [
				["healthy", null, null],
				["wrp", "option-bytes", "write-protection"],
				["iwdg-hw", "boot-watch", "watchdog"],
				["rdp1", "image-fits", "read-protection"],
			] as const) {
				const target = simulatedBoard({ profile, scenario });
				const result = await runDoctorOn(target, { backend: "sim" });
				if (step === null) expect(result.verdict, `${profile} ${scenario}`).toBeNull();
				else expect(result.verdict, `${profile} ${scenario}`).toMatchObject({ step, cause });
				target.close();
			}
		});
	}
});

describe("runDoctor next to the app's own device watcher", () => {
	it("uses the given watcher, so each re-enumeration is counted once", async () => {
		const { watchDevices } = await import("../../source/usb/watch.js");
		const target = simulatedBoard({ scenario: "iwdg-hw" });
		const { store, clock } = target;
		const watch = watchDevices({ usb: target.sim.usb, backend: "sim", store, clock });
		await watch.refresh();
		const result = await runDoctorOn(target, {
			backend: "sim",
			watch,
			bootWatch: { windowMs: 4000 },
		});
		watch.stop();
		expect(result.boot?.outcome).toBe("app-reset-loop");
		// 4 s watch, app up 300 ms after each start, a reset every 1.5 s: three appearances.
		expect(result.boot?.app?.attaches).toBe(3);
		expect(result.verdict).toMatchObject({ step: "boot-watch", cause: "watchdog" });
	});

	it("can stay in DFU: the boot watch is skipped and the verdict covers the other steps", async () => {
		const target = simulatedBoard({ scenario: "healthy" });
		const result = await runDoctorOn(target, { bootWatch: false });
		expect(statusOf(result, "boot-watch")).toBe("skip");
		expect(result.verdict).toBeNull();
		expect(target.board.isPresent()).toBe(true);
	});
});

describe("runDoctor reads both option-byte runs of dual-bank parts", () => {
	for (const [profile, unit] of [
		["f429", 13],
		["g474", 200],
	] as const) {
		it(`${profile}: write protection in bank 2 is found`, async () => {
			const target = simulatedBoard({ profile, scenario: "healthy" });
			const { board } = target;
			board.optionBytes = board.profile.optionBytes.withWriteProtection(
				board.optionBytes,
				unit,
				true,
			);
			const result = await runDoctorOn(target, { bootWatch: false });
			expect(result.optionBytes?.protectedSectors).toEqual([unit]);
			expect(result.verdict).toMatchObject({ step: "option-bytes", cause: "write-protection" });
		});
	}
});
