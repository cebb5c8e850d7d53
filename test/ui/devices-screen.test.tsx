import { afterEach, describe, expect, test } from "vitest";
import { f405Description, f405Identity, keys, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

const attach = (key: string, extra: Partial<ReturnType<typeof f405Identity>> = {}) =>
	({ type: "device.attached", source: "usb", device: { ...f405Identity(key), ...extra } }) as const;
const describeF405 = (key: string) =>
	({ type: "device.described", source: "usb", key, description: f405Description() }) as const;

describe("Devices screen", () => {
	test("a device appears on hotplug, with chip, loader and memory map, and goes away on unplug", async () => {
		app = await mountApp();
		expect(app.frame()).toContain("No device attached.");

		await app.emit(attach("usb-1"), describeF405("usb-1"));
		const shown = app.frame();
		expect(shown).toContain("1 device");
		expect(shown).toContain("0483:df11 DFU");
		expect(shown).toContain("STM32F405/407 (high)");
		expect(shown).toContain("serial 3574364C3034");
		expect(shown).toContain("bootloader 2.2");
		expect(shown).toContain("Alt 0   Internal Flash");
		expect(shown).toMatch(/5-11\s+0x08020000\s+7 x 128K\s+rew/);
		expect(shown).toContain("target STM32F405/407 3574364C3034");

		await app.emit({ type: "device.detached", source: "usb", key: "usb-1" });
		expect(app.frame()).toContain("No device attached.");
		expect(app.frame()).not.toContain("0483:df11");
		expect(app.frame()).toContain("no target");
	});

	test("the chip line leaves out evidence that would not fit rather than cutting it off with ~", async () => {
		app = await mountApp();
		const description = f405Description();
		const chip = {
			...description.chip!,
			evidence: ['flash layout "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"'],
		};
		await app.emit(attach("usb-1"), {
			type: "device.described",
			source: "usb",
			key: "usb-1",
			description: { ...description, chip },
		});
		const shown = app.frame();
		expect(shown).toMatch(/Chip\s+STM32F405\/407 \(high\)\s+flash 1M/);
		expect(shown.split("\n").filter((line) => line.trimEnd().endsWith("~"))).toEqual([]);
	});

	test("app-mode and run-time devices are listed and explained", async () => {
		app = await mountApp();
		await app.emit(
			attach("usb-2", {
				mode: "app",
				productId: 0x5740,
				product: "Virtual COM Port",
				serial: undefined,
			}),
			attach("usb-3", { mode: "runtime", vendorId: 0x1209, productId: 0x0001, product: "Widget" }),
		);
		expect(app.frame()).toContain("2 devices");
		expect(app.frame()).toMatch(/0483:5740 app\s+"Virtual COM Port"/);
		expect(app.frame()).toMatch(/1209:0001 run-time\s+"Widget"/);
		expect(app.frame()).toContain("Reset into the bootloader to flash.");
	});

	test("up and down send selectDevice; the store's selection moves the pointer", async () => {
		app = await mountApp();
		await app.emit(attach("usb-1"), attach("usb-2", { serial: "SECOND" }));
		expect(app.frame()).toMatch(/> 0483:df11 DFU\s+"STM32 {2}BOOTLOADER"\s+3574364C3034/);

		await app.press(keys.down);
		expect(app.intents.named("selectDevice")).toEqual([["selectDevice", "usb-2"]]);
		expect(app.frame()).toMatch(/> 0483:df11 DFU\s+"STM32 {2}BOOTLOADER"\s+SECOND/);
		expect(app.frame()).toContain("target STM32  BOOTLOADER SECOND");

		await app.press(keys.down); // already last: nothing to send
		await app.press(keys.up);
		expect(app.intents.named("selectDevice").map((c) => c[1])).toEqual(["usb-2", "usb-1"]);
	});

	test("no USB: says why, offers the simulator, and simulated boards plug and unplug", async () => {
		app = await mountApp();
		await app.emit({
			type: "backend.status",
			source: "usb",
			backend: "usb",
			available: false,
			message: "the usb module could not be loaded",
			hint: "install libusb, or use the simulated board",
		});
		expect(app.frame()).toContain("USB is not available: the usb module could not be loaded");
		expect(app.frame()).toContain("install libusb, or use the simulated board");
		expect(app.frame()).toContain("Press s to use the simulated board instead.");
		expect(app.intents.calls).toEqual([]);

		await app.press("s");
		expect(app.intents.named("useSimulator")).toHaveLength(1);
		expect(app.frame()).toContain("No simulated board is plugged in.");
		expect(app.frame()).not.toContain("Press s to use");

		await app.press("p");
		expect(app.intents.named("plugSim")).toEqual([["plugSim", undefined]]);
		expect(app.frame()).toContain("1 device (simulator on)");
		expect(app.frame()).toContain("STM32F405/407");
		expect(app.frame()).toContain("(sim)");

		await app.press("u");
		expect(app.intents.named("unplugSim")).toEqual([["unplugSim", "sim-1"]]);
		expect(app.frame()).toContain("No simulated board is plugged in.");
	});

	test("with several simulator profiles, p asks which one to plug", async () => {
		app = await mountApp({ simProfiles: ["healthy", "rdp1", "wrp-sector0"] });
		await app.emit({ type: "backend.status", source: "sim", backend: "sim", available: true });
		await app.press("p");
		expect(app.frame()).toContain("Plug which simulated board?");
		expect(app.frame()).toContain("1 healthy  2 rdp1  3 wrp-sector0");
		expect(app.intents.named("plugSim")).toEqual([]);
		await app.press("2");
		expect(app.intents.named("plugSim")).toEqual([["plugSim", "rdp1"]]);
		// The digit went to the chooser, not to the screen keys.
		expect(app.frame()).toContain("[1 Devices]");
	});

	test("+ and - in the chooser set how many boards it plugs at once", async () => {
		app = await mountApp({ simProfiles: ["healthy", "rdp1", "wrp-sector0"] });
		await app.emit({ type: "backend.status", source: "sim", backend: "sim", available: true });
		await app.press("p");
		expect(app.frame()).toContain("how many: 1 (+ and - change it)");
		await app.press("-", "+", "+", "+", "-");
		expect(app.frame()).toContain("how many: 3");
		await app.press("2");
		expect(app.intents.named("plugSim")).toEqual([["plugSim", "rdp1", 3]]);
		expect(app.frame()).toContain("3 devices (simulator on)");
		// The next question starts from one board again.
		await app.press("p");
		expect(app.frame()).toContain("how many: 1");
	});

	test("at 80x24 with a USB notice and a board shown, the chooser is on screen; another key closes it", async () => {
		app = await mountApp({ simProfiles: ["f407", "f411", "f429", "f746"] });
		await app.emit(
			{
				type: "backend.status",
				source: "usb",
				backend: "usb",
				available: false,
				message:
					"This machine has no USB subsystem (/sys/bus/usb is missing): no real board can be reached.",
				hint: "The simulated board below works like a real one: flash it, break it, diagnose it.",
			},
			{ type: "backend.status", source: "sim", backend: "sim", available: true },
			{ type: "device.attached", source: "sim", device: f405Identity("sim:1", "sim") },
			{ type: "device.described", source: "sim", key: "sim:1", description: f405Description() },
		);
		await app.press("p");
		expect(app.frame()).toContain("1 f407  2 f411  3 f429  4 f746");
		expect(app.frame().split("\n").length).toBeLessThanOrEqual(24);
		await app.press("x");
		expect(app.frame()).not.toContain("Plug which");
		await app.press("4");
		expect(app.frame()).toContain("[4 Log]");
		expect(app.intents.named("plugSim")).toEqual([]);
	});

	test("a replay (read-only intents) shows devices but offers no actions", async () => {
		app = await mountApp({ readOnly: true });
		await app.emit({
			type: "backend.status",
			source: "usb",
			backend: "usb",
			available: false,
			message: "no libusb",
		});
		expect(app.frame()).toContain("(replay)");
		expect(app.frame()).not.toContain("Press s");
		await app.press("s");
		expect(app.intents.calls).toEqual([]);
	});
});
