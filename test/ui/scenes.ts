import type { ChecklistStep } from "../../source/ui/checklist-steps.js";
import type { ScreenId } from "../../source/ui/screens.js";
import { failingEvents, PLAN_FILE, plannedEvent, runEvents } from "./flash-script.js";
import { f405Description, f405Identity, keys, type Mounted } from "./harness.js";

export const checklistSteps: ChecklistStep[] = [
	{ id: "enumerates", title: "Board enumerates in DFU mode", kind: "auto" },
	{ id: "image", title: "Image fits this chip (vector table, size)", kind: "auto" },
	{ id: "option-bytes", title: "Option bytes: RDP, WRP, watchdog", kind: "auto" },
	{
		id: "boot0",
		title: "BOOT0 level at reset",
		kind: "manual",
		instructions: [
			"Put the meter between BOOT0 and GND, then press and release reset.",
			"BOOT0 high at reset starts the ROM bootloader instead of your code.",
		],
		expect: "below 0.3 V to run from flash",
		measure: { what: "BOOT0 voltage", unit: "V" },
	},
	{ id: "reenumerate", title: "After leave: what enumerates", kind: "auto" },
	{ id: "led", title: "Status LED blinks after reset", kind: "manual" },
];

/** A screen in a state worth showing: how to get there from a fresh App. */
export interface Scene {
	name: string;
	screen: ScreenId;
	setup(app: Mounted): Promise<void>;
}

const attachF405 = async (app: Mounted) =>
	app.emit(
		{ type: "backend.status", source: "usb", backend: "usb", available: true },
		{ type: "device.attached", source: "usb", device: f405Identity("usb-1-3") },
		{ type: "device.described", source: "usb", key: "usb-1-3", description: f405Description() },
	);

async function planned(app: Mounted) {
	await attachF405(app);
	await app.emit(
		{
			type: "inspect.finding",
			source: "inspect",
			subject: PLAN_FILE,
			finding: {
				id: "raw-address",
				severity: "warning",
				message: "raw binary: the load address 0x08000000 is assumed",
			},
		},
		{
			type: "inspect.finding",
			source: "inspect",
			subject: PLAN_FILE,
			finding: {
				id: "vectors",
				severity: "info",
				message: "vector table at 0x08000000: SP 0x20020000, reset 0x080001C1",
			},
		},
		plannedEvent("j1", "usb-1-3"),
	);
}

export const scenes: Scene[] = [
	{ name: "devices-empty", screen: "devices", setup: async () => {} },
	{
		name: "devices-no-usb",
		screen: "devices",
		setup: async (app) =>
			app.emit({
				type: "backend.status",
				source: "usb",
				backend: "usb",
				available: false,
				message: "cannot open /dev/bus/usb: permission denied",
				hint: "add a udev rule for 0483:df11 (see the README), or run bringup list --sim",
			}),
	},
	{
		name: "devices-f405",
		screen: "devices",
		setup: async (app) => {
			await attachF405(app);
			await app.emit({
				type: "device.attached",
				source: "usb",
				device: {
					...f405Identity("usb-1-4"),
					productId: 0x5740,
					product: "Widget CDC",
					serial: "W-0042",
					mode: "app",
				},
			});
		},
	},
	{
		name: "flash-form",
		screen: "flash",
		setup: async (app) => {
			await attachF405(app);
			await app.press(keys.enter);
			await app.type(PLAN_FILE);
			await app.press(keys.enter);
		},
	},
	{ name: "flash-plan", screen: "flash", setup: planned },
	{
		name: "flash-running",
		screen: "flash",
		setup: async (app) => {
			await planned(app);
			const events = runEvents("j1", "usb-1-3");
			const cut = events.findIndex(
				(e) => e.type === "flash.progress" && e.phase === "program" && e.done === 22 * 1024,
			);
			await app.emit(...events.slice(0, cut + 1));
		},
	},
	{
		name: "flash-done",
		screen: "flash",
		setup: async (app) => {
			await planned(app);
			await app.emit(...runEvents("j1", "usb-1-3"));
		},
	},
	{
		name: "flash-failed",
		screen: "flash",
		setup: async (app) => {
			await planned(app);
			await app.emit(...failingEvents("j1", "usb-1-3"));
		},
	},
	{
		name: "flash-unprotect-confirm",
		screen: "flash",
		setup: async (app) => {
			await attachF405(app);
			await app.press("U");
			await app.type("ye");
		},
	},
	{
		name: "checklist",
		screen: "checklist",
		setup: async (app) => {
			await attachF405(app);
			await app.emit(
				{
					type: "check.result",
					source: "checklist",
					step: "enumerates",
					status: "pass",
					summary: "0483:df11 STM32F405/407, bootloader 2.2",
					findings: [],
				},
				{
					type: "check.result",
					source: "checklist",
					step: "image",
					status: "pass",
					summary: "SP and reset vector inside this chip",
					findings: [],
				},
				{
					type: "check.result",
					source: "checklist",
					step: "option-bytes",
					status: "warn",
					summary: "WDG_SW=0: hardware watchdog on",
					findings: [],
				},
				{ type: "check.started", source: "checklist", step: "boot0" },
			);
		},
	},
	{
		name: "log",
		screen: "log",
		setup: async (app) => {
			await app.emit(
				{
					type: "log.message",
					source: "cli",
					level: "info",
					text: "bringup 0.1.0, usb backend",
					at: 1000,
				},
				{ type: "device.attached", source: "usb", device: f405Identity("usb-1-3"), at: 1180 },
				{
					type: "device.described",
					source: "usb",
					key: "usb-1-3",
					description: f405Description(),
					at: 1230,
				},
				{ ...plannedEvent("j1", "usb-1-3"), at: 5000 },
				...runEvents("j1", "usb-1-3", 6000),
			);
		},
	},
];
