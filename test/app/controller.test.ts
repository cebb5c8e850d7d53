import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Bus, openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import type { Intents } from "../../source/app/intents.js";
import { VirtualClock } from "../../source/clock.js";
import { createStore, type Store } from "../../source/store/store.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-controller-"));
const image = join(dir, "app.bin");
{
	const data = Buffer.alloc(20 * 1024, 0x5a);
	data.writeUInt32LE(0x20020000, 0);
	data.writeUInt32LE(0x08000189, 4);
	for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
	writeFileSync(image, data);
}

let bus: Bus | undefined;
afterEach(() => bus?.stop());

async function setup(sim = ""): Promise<{ store: Store; intents: Intents; clock: VirtualClock }> {
	const clock = new VirtualClock(1000);
	const store = createStore({ now: () => clock.now() });
	bus = await openBus({ store, clock, sim });
	// Wait until the simulated loader is described (its descriptors are read asynchronously).
	for (
		let i = 0;
		i < 200 && !Object.values(store.getState().devices).some((d) => d.description);
		i++
	)
		await new Promise((r) => setTimeout(r, 5));
	return { store, intents: createController({ store, clock, bus, onQuit: () => {} }), clock };
}

async function until(done: () => boolean) {
	for (let i = 0; i < 2000 && !done(); i++) await new Promise((r) => setTimeout(r, 2));
	expect(done()).toBe(true);
}

/** The flash request the screens send for this test's image at the start of flash. */
function planImage(intents: Intents, options: { verify: boolean; leave: boolean }) {
	return intents.prepareFlash({ file: image, address: 0x08000000, ...options });
}

describe("controller", () => {
	it("plans without writing, then flashes and verifies on confirm", async () => {
		const { store, intents } = await setup();
		const r = await planImage(intents, { verify: true, leave: false });
		expect(r.ok).toBe(true);
		const job = (r as { job: string }).job;
		const planned = store.getState().jobs[job]!;
		expect(planned.plan.sectors.filter((s) => s.erase)).toHaveLength(2);
		expect(planned.phases.every((p) => p.status === "pending")).toBe(true);
		expect(store.getState().inspections[image]).toBeDefined();
		intents.confirmFlash(job);
		await until(() => store.getState().jobs[job]?.result !== undefined);
		const done = store.getState().jobs[job]!;
		expect(done.result).toEqual({ ok: true, error: undefined });
		// The assistant flashes by delta: the touched sectors are read back first.
		expect(done.phases.map((p) => `${p.phase}:${p.status}`)).toEqual([
			"compare:done",
			"erase:done",
			"program:done",
			"verify:done",
		]);
	});

	it("cancels a planned flash: nothing is written and the job says why", async () => {
		const { store, intents } = await setup();
		const r = await planImage(intents, { verify: true, leave: false });
		const job = (r as { job: string }).job;
		intents.cancelFlash(job);
		expect(store.getState().jobs[job]!.result).toMatchObject({
			ok: false,
			error: { kind: "cancelled" },
		});
		expect(store.getState().jobs[job]!.phases.every((p) => p.status === "pending")).toBe(true);
	});

	it("cancels a running flash between blocks: the job fails as cancelled and says what the chip holds", async () => {
		const { store, intents } = await setup();
		const r = await planImage(intents, { verify: true, leave: false });
		const job = (r as { job: string }).job;
		const stop = store.subscribe(() => {
			const last = store.history().at(-1);
			if (last?.type === "flash.progress" && last.phase === "program") intents.cancelFlash(job);
		});
		intents.confirmFlash(job);
		await until(() => store.getState().jobs[job]?.result !== undefined);
		stop();
		const result = store.getState().jobs[job]!.result;
		expect(result).toMatchObject({ ok: false, error: { kind: "cancelled" } });
		expect(result?.error?.message).toMatch(/^program cancelled at 0x080\w+; on the chip now: /);
	});

	it("says no device is selected as its own kind of error, before loading anything", async () => {
		const { store, intents, clock } = await setup();
		store.append({ type: "device.selected", source: "ui", at: clock.now(), key: null });
		const r = await planImage(intents, { verify: true, leave: false });
		expect(r).toMatchObject({
			ok: false,
			error: { kind: "no-device-selected", message: "no device is selected" },
		});
	});

	it("reports a missing file as a typed error without planning", async () => {
		const { store, intents } = await setup();
		const r = await intents.prepareFlash({
			file: join(dir, "missing.bin"),
			verify: true,
			leave: false,
		});
		expect(r).toMatchObject({
			ok: false,
			error: { message: expect.stringMatching(/missing\.bin/) },
		});
		expect(store.getState().jobOrder).toEqual([]);
	});

	it("skips the automatic checks, saying why, when the board runs its application", async () => {
		const { store, intents } = await setup();
		const r = await planImage(intents, { verify: false, leave: true });
		intents.confirmFlash((r as { job: string }).job);
		await until(() =>
			Object.values(store.getState().devices).some((d) => d.identity.mode === "app"),
		);
		const app = Object.values(store.getState().devices).find((d) => d.identity.mode === "app")!;
		intents.selectDevice(app.identity.key);
		intents.startChecklist();
		await until(() => store.getState().checks["boot-watch"] !== undefined);
		const checks = store.getState().checks;
		for (const step of ["image-fits", "flash-matches", "option-bytes", "boot-watch"]) {
			expect(checks[step]!.status).toBe("skip");
			expect(checks[step]!.summary).toMatch(/DFU mode.*0483:5740/);
		}
	});

	it("records a bench answer and writes the report with it", async () => {
		const { store, intents } = await setup();
		intents.answerCheck("nrst", "pass");
		expect(store.getState().checks.nrst!.answers.map((a) => a.answer)).toEqual(["pass"]);
		const path = join(dir, "report.md");
		expect(await intents.writeReport(path)).toEqual({ ok: true, path });
		expect(readFileSync(path, "utf8")).toMatch(/NRST/);
	});

	it("plugs and unplugs simulated boards", async () => {
		const { store, intents } = await setup();
		intents.plugSim("f411");
		await until(() => store.getState().deviceOrder.length === 2);
		const second = store.getState().deviceOrder[1]!;
		intents.unplugSim(second);
		await until(() => store.getState().deviceOrder.length === 1);
		// The unplugged board is gone, not kept unplugged: a day of p and u holds no old chips.
		expect(bus!.simulation!.boards).toHaveLength(1);
	});
});
