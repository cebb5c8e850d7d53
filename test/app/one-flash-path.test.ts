import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Bus, openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import { VirtualClock } from "../../source/clock.js";
import { writeDfuse } from "../../source/image/dfuse-file.js";
import type { FlashPlanSummary } from "../../source/store/events.js";
import { createStore } from "../../source/store/store.js";
import { runCli } from "../commands/run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-one-path-"));

/** An F407 firmware for alt 0 and the F4 option bytes (RDP 0x55: level 1) for alt 1, in one .dfu. */
function firmwareAndOptionBytes(): { path: string; firmware: Uint8Array } {
	const firmware = new Uint8Array(6 * 1024).fill(0x5a);
	const view = new DataView(firmware.buffer);
	view.setUint32(0, 0x20020000, true);
	view.setUint32(4, 0x08000189, true);
	for (let i = 2; i < 98; i++) view.setUint32(i * 4, 0x080001a1, true);
	const options = Uint8Array.from([
		0xef, 0x55, 0x10, 0xaa, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x00, 0xf0, 0xff, 0xff, 0xff, 0xff,
	]);
	const path = join(dir, "fw-and-ob.dfu");
	writeFileSync(
		path,
		writeDfuse({
			format: "dfuse",
			source: path,
			segments: [
				{ address: 0x08000000, data: firmware, alt: 0, name: "Internal Flash" },
				{ address: 0x1fffc000, data: options, alt: 1, name: "Option Bytes" },
			],
		}),
	);
	return { path, firmware };
}

/** What both ways must agree on: the plan of each job with its checks and confirmations. */
function comparable(plan: FlashPlanSummary) {
	const { group: _group, ...rest } = plan;
	return rest;
}

let bus: Bus | undefined;
afterEach(() => bus?.stop());

async function throughTheAssistant(file: string) {
	const clock = new VirtualClock(1000);
	const store = createStore({ now: () => clock.now() });
	bus = await openBus({ store, clock, sim: "" });
	for (
		let i = 0;
		i < 200 && !Object.values(store.getState().devices).some((d) => d.description);
		i++
	)
		await new Promise((r) => setTimeout(r, 5));
	store.append({
		type: "device.selected",
		source: "ui",
		at: clock.now(),
		key: store.getState().deviceOrder[0]!,
	});
	const intents = createController({ store, clock, bus, onQuit: () => {} });
	const planned = await intents.prepareFlash({ file, verify: true, leave: false });
	if (!planned.ok) throw new Error(planned.error.message);
	const jobs = store.getState().jobs[planned.job]!.plan.group!;
	const plans = jobs.map((j) => store.getState().jobs[j]!.plan);
	return { store, intents, job: planned.job, jobs, plans };
}

async function until(done: () => boolean) {
	for (let i = 0; i < 3000 && !done(); i++) await new Promise((r) => setTimeout(r, 2));
	expect(done()).toBe(true);
}

describe("one flash path for the assistant and bringup flash", () => {
	it("plans, checks and confirms a firmware + option-bytes .dfu the same way", async () => {
		const { path, firmware } = firmwareAndOptionBytes();
		const assistant = await throughTheAssistant(path);
		const board = bus!.simulation!.boards[0]!;

		const cli = await runCli("flash", "--sim", path, "--yes", "--json");
		expect(cli.code).toBe(0);
		const cliPlans = cli
			.json()
			.filter((e) => e.type === "flash.planned")
			.map((e) => e.plan as FlashPlanSummary);

		// One plan per target (alt 0 firmware, then alt 1 option bytes), each recorded once.
		expect(cliPlans.map((p) => p.alt)).toEqual([0, 1]);
		expect(assistant.plans.map(comparable)).toEqual(cliPlans.map(comparable));
		const plan = assistant.plans[0]!;
		expect(plan.checks?.map((c) => `${c.id}:${c.status}`)).toEqual([
			"transfer-size:pass",
			"write-unit:pass",
			"file-target:pass",
			"memory-map:pass",
			"memory-map:pass",
			"inspector:pass",
		]);
		expect(plan.confirmations).toEqual([
			{
				id: "option-bytes",
				message: "option bytes write at 0x1FFFC000 (RDP byte 0x55 = level 1: read protection)",
			},
		]);

		// The assistant's confirm step without the dialog's answer writes nothing.
		assistant.intents.confirmFlash(assistant.job);
		await until(() => assistant.jobs.every((j) => assistant.store.getState().jobs[j]?.result));
		expect(assistant.store.getState().jobs[assistant.job]!.result).toMatchObject({
			ok: false,
			error: { kind: "not-confirmed" },
		});
		expect(board.readMemory(0x08000000, 16)).not.toEqual(firmware.subarray(0, 16));

		// With the answer it flashes both targets, as the command did.
		const again = await assistant.intents.prepareFlash({ file: path, verify: true, leave: false });
		if (!again.ok) throw new Error(again.error.message);
		const jobs = assistant.store.getState().jobs[again.job]!.plan.group!;
		assistant.intents.confirmFlash(again.job, ["option-bytes"]);
		await until(() => jobs.every((j) => assistant.store.getState().jobs[j]?.result));
		expect(jobs.map((j) => assistant.store.getState().jobs[j]!.result?.ok)).toEqual([true, true]);
		expect(board.readMemory(0x08000000, firmware.length)).toEqual(firmware);
		expect(board.readMemory(0x1fffc001, 1)).toEqual(Uint8Array.of(0x55));
	});
});
