import { afterEach, describe, expect, test } from "vitest";
import type { ChecklistStep } from "../../source/ui/checklist-steps.js";
import { plannedEvent, runEvents } from "./flash-script.js";
import { f405Description, f405Identity, keys, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

const steps: ChecklistStep[] = [
	{ id: "enumerates", title: "Board enumerates in DFU mode", kind: "auto" },
	{
		id: "boot0",
		title: "BOOT0 level at reset",
		kind: "manual",
		instructions: ["Put the meter between BOOT0 and GND, then press reset."],
		expect: "below 0.3 V to run from flash",
		measure: { what: "BOOT0 voltage", unit: "V" },
		answers: {
			pass: { meaning: "BOOT0 is low: the chip boots from flash." },
			fail: {
				meaning: "BOOT0 is high at reset.",
				advice: "Check the BOOT0 pull-down and any jumper.",
			},
		},
	},
	{
		id: "led",
		title: "Status LED blinks after leave",
		kind: "manual",
		instructions: ["Watch LED1 for 5 s."],
	},
];

describe("Checklist screen", () => {
	test("Enter starts the checklist; steps show their state from the store", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		expect(app.frame()).toContain("Press Enter to start.");
		await app.press("p");
		expect(app.intents.named("answerCheck")).toEqual([]);
		await app.press(keys.enter);
		expect(app.intents.named("startChecklist")).toHaveLength(1);

		await app.emit(
			{ type: "check.started", source: "checklist", step: "enumerates" },
			{
				type: "check.result",
				source: "checklist",
				step: "enumerates",
				status: "pass",
				summary: "0483:df11 found",
				findings: [],
			},
			{ type: "check.started", source: "checklist", step: "boot0" },
		);
		const frame = app.frame();
		expect(frame).toContain("Boot checklist: 1 of 3 done (1 pass)");
		expect(frame).toMatch(/pass\s+Board enumerates in DFU mode/);
		expect(frame).toMatch(/> now\s+BOOT0 level at reset/);
		expect(frame).toMatch(/\.\.\.\.\s+Status LED blinks after leave/);
		expect(frame).toContain("Put the meter between BOOT0 and GND, then press reset.");
		expect(frame).toContain("Expected: below 0.3 V to run from flash");
		expect(frame).toContain("Measure: BOOT0 voltage (V), then press v");
	});

	test("p, f, s answer the current step; v sends a measured value", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		await app.emit({ type: "check.started", source: "checklist", step: "boot0" });

		await app.press("v");
		expect(app.frame()).toContain("Measured value (V):");
		await app.type("2.9");
		// Digits typed into the value did not switch screens.
		expect(app.frame()).toContain("[3 Checklist]");
		await app.press(keys.enter);
		expect(app.intents.named("answerCheck")).toEqual([["answerCheck", "boot0", "value", 2.9]]);
		expect(app.frame()).toContain("Answered: value 2.9");

		await app.press("f");
		expect(app.intents.named("answerCheck").at(-1)).toEqual([
			"answerCheck",
			"boot0",
			"fail",
			undefined,
		]);

		// The engine moves on: the next step becomes current and takes the answers.
		await app.emit(
			{
				type: "check.result",
				source: "checklist",
				step: "boot0",
				status: "fail",
				summary: "BOOT0 is high",
				findings: [],
			},
			{ type: "check.started", source: "checklist", step: "led" },
		);
		await app.press("p");
		expect(app.intents.named("answerCheck").at(-1)).toEqual([
			"answerCheck",
			"led",
			"pass",
			undefined,
		]);
		await app.press("s");
		expect(app.intents.named("answerCheck").at(-1)).toEqual([
			"answerCheck",
			"led",
			"skip",
			undefined,
		]);
	});

	test("up moves the answers to an earlier step for review", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		await app.emit(
			{
				type: "check.result",
				source: "checklist",
				step: "boot0",
				status: "fail",
				summary: "BOOT0 is high",
				findings: [],
			},
			{ type: "check.started", source: "checklist", step: "led" },
		);
		await app.press(keys.up);
		expect(app.frame()).toMatch(/> FAIL\s+BOOT0 level at reset/);
		expect(app.frame()).toContain("Result: BOOT0 is high");
		await app.press("p");
		expect(app.intents.named("answerCheck")).toEqual([["answerCheck", "boot0", "pass", undefined]]);
	});

	test("a measured range stands in for the expected text", async () => {
		app = await mountApp({
			initialScreen: "checklist",
			checklistSteps: [
				{
					id: "vdd",
					title: "VDD at the MCU",
					kind: "manual",
					measure: { what: "VDD", unit: "V", min: 3.0, max: 3.6 },
				},
			],
		});
		await app.emit({ type: "check.started", source: "checklist", step: "vdd" });
		expect(app.frame()).toContain("Expected: 3 to 3.6 V");
	});

	test("by default the doctor's checklist is shown, resolved for the selected chip's family", async () => {
		app = await mountApp({ initialScreen: "checklist" });
		expect(app.frame()).toContain("The image fits the chip");
		// VCAP only applies to F2/F4/F7/H7: it appears once an F405 is the target.
		expect(app.frame()).not.toContain("VCAP1/VCAP2 capacitors");
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
		);
		await app.press(keys.down, keys.down, keys.down, keys.down, keys.down, keys.down, keys.down);
		expect(app.frame()).toContain("VCAP1/VCAP2 capacitors");
	});

	test("steps without definitions still render from the store", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: [] });
		await app.emit({
			type: "check.result",
			source: "checklist",
			step: "vector-table",
			status: "warn",
			summary: "reset vector outside image",
			findings: [
				{
					id: "reset",
					severity: "warning",
					message: "reset handler 0x08010001 is outside the image",
				},
			],
		});
		expect(app.frame()).toMatch(/> warn\s+vector-table/);
		expect(app.frame()).toContain("warning: reset handler 0x08010001 is outside the image");
	});

	test("w writes a report to the path typed", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		await app.press("w");
		expect(app.frame()).toContain("Write report to: bringup-report.md");
		await app.press("\u0015");
		await app.type("out/board-7.md");
		await app.press(keys.enter);
		expect(app.intents.named("writeReport")).toEqual([["writeReport", "out/board-7.md"]]);
		expect(app.frame()).toContain("Report written to out/board-7.md");
	});

	test("Enter does not start the checklist while a flash runs on the selected device", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			plannedEvent(),
			...runEvents().slice(0, 5),
		);
		await app.press(keys.enter);
		expect(app.intents.named("startChecklist")).toEqual([]);
		expect(app.frame()).toMatch(/waits for the flash/);
		expect(app.frame()).toMatch(/j1 is running on this device/);
	});

	test("at 80x24 the highlighted step's diagnosis is on screen", async () => {
		app = await mountApp({ initialScreen: "checklist" });
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
			{ type: "check.started", source: "ui", step: "image-fits" },
			{
				type: "check.result",
				source: "ui",
				step: "image-fits",
				status: "fail",
				summary: "the image ends past the end of flash",
				findings: [
					{ id: "past-end", severity: "error", message: "DIAGNOSIS: 12 KiB lie beyond 0x08100000" },
				],
			},
		);
		await app.press(keys.up, keys.up, keys.up, keys.up, keys.up, keys.up);
		const frame = app.frame();
		expect(frame).toContain("DIAGNOSIS: 12 KiB lie beyond 0x08100000");
		expect(frame.split("\n").length).toBeLessThanOrEqual(24);
	});

	test("a measured value must be a number: abc is refused, 3,3 is read as 3.3", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		await app.emit({ type: "check.started", source: "checklist", step: "boot0" });
		await app.press("v");
		await app.type("abc");
		await app.press(keys.enter);
		expect(app.intents.named("answerCheck")).toEqual([]);
		expect(app.frame()).toContain('"abc" is not a measured value');
		await app.press("v");
		await app.type("3,3 V");
		await app.press(keys.enter);
		expect(app.intents.named("answerCheck")).toEqual([["answerCheck", "boot0", "value", 3.3]]);
	});

	test("p, f and s do not replace an automatic step's result", async () => {
		app = await mountApp({ initialScreen: "checklist", checklistSteps: steps });
		await app.emit(
			{ type: "check.started", source: "checklist", step: "enumerates" },
			{
				type: "check.result",
				source: "checklist",
				step: "enumerates",
				status: "fail",
				summary: "no DFU device answered",
				findings: [],
			},
			{ type: "check.started", source: "checklist", step: "boot0" },
		);
		await app.press(keys.up);
		await app.press("f");
		expect(app.intents.named("answerCheck")).toEqual([]);
		expect(app.frame()).toContain("Result: no DFU device answered");
		expect(app.frame()).toContain("checked automatically");
	});
});
