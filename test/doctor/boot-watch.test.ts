import { describe, expect, it } from "vitest";
import { bootWatchResult, classifyBoot } from "../../source/doctor/boot-watch.js";
import type { BringupEvent, DeviceIdentity } from "../../source/store/events.js";

const loader = (key: string, serial = "3276377E3036"): DeviceIdentity => ({
	key,
	backend: "sim",
	vendorId: 0x0483,
	productId: 0xdf11,
	bcdDevice: 0x2200,
	serial,
	mode: "dfu",
});
const app = (key: string): DeviceIdentity => ({
	key,
	backend: "sim",
	vendorId: 0x0483,
	productId: 0x5740,
	bcdDevice: 0x0200,
	product: "Blinky CDC",
	serial: "APP1",
	mode: "app",
});
const on = (at: number, device: DeviceIdentity): BringupEvent => ({
	type: "device.attached",
	source: "sim",
	at,
	device,
});
const off = (at: number, key: string): BringupEvent => ({
	type: "device.detached",
	source: "sim",
	at,
	key,
});

const subject = { key: "sim:1", vendorId: 0x0483, productId: 0xdf11, serial: "3276377E3036" };
const win = { leaveAt: 1000, windowMs: 5000 };

describe("classifyBoot", () => {
	it("app appears and stays: good", () => {
		const r = classifyBoot([off(1010, "sim:1"), on(1400, app("sim:2"))], subject, win);
		expect(r.outcome).toBe("app-stable");
		expect(r.loaderGoneAfterMs).toBe(10);
		expect(r.app?.present).toBe(true);
		expect(bootWatchResult(r).status).toBe("pass");
	});

	it("the same loader comes back: BOOT0 or empty flash", () => {
		const r = classifyBoot([off(1010, "sim:1"), on(1800, loader("sim:2"))], subject, win);
		expect(r.outcome).toBe("loader-returned");
		expect(r.loaderBackAfterMs).toBe(800);
		const step = bootWatchResult(r);
		expect(step.status).toBe("fail");
		expect(step.findings[0]?.evidence?.cause).toBe("boot0");
		expect(step.findings[0]?.message).toContain("BOOT0");
	});

	it("another board's loader is not this one coming back", () => {
		const r = classifyBoot(
			[off(1010, "sim:1"), on(1800, loader("sim:2", "OTHERBOARD"))],
			subject,
			win,
		);
		expect(r.outcome).not.toBe("loader-returned");
	});

	it("the app runs after the jump, then a reset lands in the loader", () => {
		const r = classifyBoot(
			[off(1010, "sim:1"), on(1300, app("sim:2")), off(1800, "sim:2"), on(2500, loader("sim:3"))],
			subject,
			win,
		);
		expect(r.outcome).toBe("loader-returned");
		expect(bootWatchResult(r).findings[0]?.message).toContain("showed up first");
	});

	it("nothing comes back: an app without USB, or dead", () => {
		const r = classifyBoot([off(1010, "sim:1")], subject, win);
		expect(r.outcome).toBe("nothing");
		const step = bootWatchResult(r);
		expect(step.findings[0]?.evidence?.cause).toBe("no-usb-in-app");
	});

	it("the loader never leaves", () => {
		const r = classifyBoot([], subject, win);
		expect(r.outcome).toBe("loader-stayed");
		expect(bootWatchResult(r).findings[0]?.evidence?.cause).toBe("leave-failed");
	});

	it("the app comes and goes periodically: a reset loop, named watchdog when the OB say so", () => {
		const timeline = [off(1010, "sim:1")];
		for (let i = 0; i < 4; i++) {
			timeline.push(on(1300 + i * 1000, app(`sim:${i + 2}`)));
			timeline.push(off(1800 + i * 1000, `sim:${i + 2}`));
		}
		const r = classifyBoot(timeline, subject, win);
		expect(r.outcome).toBe("app-reset-loop");
		expect(r.app).toMatchObject({ attaches: 4, detaches: 4, periodMs: 1000, present: false });
		expect(bootWatchResult(r, { hardwareWatchdog: true }).findings[0]?.evidence?.cause).toBe(
			"watchdog",
		);
		const unknown = bootWatchResult(r, {});
		expect(unknown.findings[0]?.evidence?.cause).toBe("reset-loop");
		expect(unknown.findings[0]?.message).toContain("about every 1.0 s");
	});

	it("ignores what happened before the loader's own detach", () => {
		const r = classifyBoot(
			[on(1000, loader("sim:1")), on(1000, app("sim:9")), off(1010, "sim:1")],
			subject,
			win,
		);
		expect(r.outcome).toBe("nothing");
	});
});
