import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Bus, openBus } from "../../source/app/bus.js";
import { createController } from "../../source/app/controller.js";
import type { Intents } from "../../source/app/intents.js";
import { VirtualClock } from "../../source/clock.js";
import { invariantViolations, runningJobsOn } from "../../source/store/invariants.js";
import { createStore, type Store } from "../../source/store/store.js";

const dir = mkdtempSync(join(tmpdir(), "bringup-busy-"));
const image = join(dir, "big.bin");
{
	const data = Buffer.alloc(512 * 1024);
	for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
	data.writeUInt32LE(0x20020000, 0);
	data.writeUInt32LE(0x08000189, 4);
	for (let i = 2; i < 98; i++) data.writeUInt32LE(0x080001a1, i * 4);
	writeFileSync(image, data);
}

let bus: Bus | undefined;
afterEach(() => bus?.stop());

async function setup(): Promise<{ store: Store; intents: Intents }> {
	const clock = new VirtualClock(1000);
	const store = createStore({ now: () => clock.now() });
	bus = await openBus({ store, clock, sim: "" });
	for (
		let i = 0;
		i < 200 && !Object.values(store.getState().devices).some((d) => d.description);
		i++
	)
		await new Promise((r) => setTimeout(r, 5));
	return { store, intents: createController({ store, clock, bus, onQuit: () => {} }) };
}

async function until(done: () => boolean) {
	for (let i = 0; i < 5000 && !done(); i++) await new Promise((r) => setTimeout(r, 1));
	expect(done()).toBe(true);
}

/** Starts a 512 KiB flash and waits until it is writing. */
async function flashing(store: Store, intents: Intents): Promise<string> {
	const r = await intents.prepareFlash({
		file: image,
		address: 0x08000000,
		verify: true,
		leave: false,
	});
	if (!r.ok) throw new Error(r.error.message);
	intents.confirmFlash(r.job);
	await until(() => {
		const p = store.getState().jobs[r.job]?.phases.find((x) => x.phase === "program");
		return p !== undefined && p.status === "running" && p.done > 0;
	});
	return r.job;
}

describe("one piece of work per device", () => {
	it("the checklist does not start while a flash runs on the device, and the flash completes", async () => {
		const { store, intents } = await setup();
		const job = await flashing(store, intents);
		intents.startChecklist();
		await until(() => store.getState().log.some((l) => /checklist was not started/.test(l.text)));
		await until(() => store.getState().jobs[job]?.result !== undefined);
		expect(store.getState().jobs[job]!.result!.ok).toBe(true);
		expect(store.getState().checkOrder).toEqual([]);
		expect(store.getState().jobOrder).toEqual([job]);
		expect(invariantViolations(store.getState())).toEqual([]);
	});

	it("a second flash, a mass erase or a plan on the busy device is refused with nothing sent", async () => {
		const { store, intents } = await setup();
		const key = store.getState().selected!;
		const job = await flashing(store, intents);
		const plan = await intents.prepareFlash({
			file: image,
			address: 0x08000000,
			verify: false,
			leave: false,
		});
		expect(plan).toMatchObject({ ok: false, error: { kind: "device-busy" } });
		const erase = await intents.massErase(key);
		expect(erase).toMatchObject({ ok: false, error: { kind: "device-busy" } });
		expect(runningJobsOn(store.getState(), key)).toEqual([job]);
		await until(() => store.getState().jobs[job]?.result !== undefined);
		expect(store.getState().jobs[job]!.result!.ok).toBe(true);
		// Free again once it has finished.
		const again = await intents.prepareFlash({
			file: image,
			address: 0x08000000,
			verify: false,
			leave: false,
		});
		expect(again.ok).toBe(true);
	});
});

describe("quitting during a flash", () => {
	it("stops the flash between two blocks, says what the chip holds, then ends the session", async () => {
		const clock = new VirtualClock(1000);
		const store = createStore({ now: () => clock.now() });
		bus = await openBus({ store, clock, sim: "" });
		for (
			let i = 0;
			i < 200 && !Object.values(store.getState().devices).some((d) => d.description);
			i++
		)
			await new Promise((r) => setTimeout(r, 5));
		let quits = 0;
		const intents = createController({ store, clock, bus, onQuit: () => quits++ });
		const job = await flashing(store, intents);
		intents.quit();
		expect(quits).toBe(0);
		await until(() => quits === 1);
		const result = store.getState().jobs[job]!.result!;
		expect(result.ok).toBe(false);
		expect(result.error?.kind).toBe("cancelled");
		expect(invariantViolations(store.getState())).toEqual([]);
	});
});
