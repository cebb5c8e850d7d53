import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { chipByName } from "../../source/chips/catalog.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { inspect } from "../../source/doctor/inspect.js";
import { PROFILES, type Simulation } from "../../source/sim/index.js";
import { goodImage } from "../../source/sim/scenarios.js";
import { sim } from "./helpers.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

let open: Simulation | undefined;
afterEach(() => open?.close());

/** Leaves the loader through WebUSB and records what the fake USB reports for 5.9 s afterwards. */
async function afterLeave(scenario: string) {
	const s = sim({ scenario });
	open = s.simulation;
	const events: { type: string; at: number; id: string; serial: string | null }[] = [];
	const record = (type: string) => (event: USBConnectionEvent) =>
		events.push({
			type,
			at: Math.round(s.clock.now() - start),
			id: `${event.device.vendorId.toString(16)}:${event.device.productId.toString(16)}`,
			serial: event.device.serialNumber,
		});
	s.simulation.usb.addEventListener("connect", record("connect"));
	s.simulation.usb.addEventListener("disconnect", record("disconnect"));
	const [device] = await s.simulation.usb.getDevices();
	await device!.open();
	await device!.claimInterface(0);
	const out = (request: number, data?: Uint8Array) =>
		device!.controlTransferOut(
			{ requestType: "class", recipient: "interface", request, value: 0, index: 0 },
			data,
		);
	const getStatus = () =>
		device!.controlTransferIn(
			{ requestType: "class", recipient: "interface", request: 3, value: 0, index: 0 },
			6,
		);
	// As dfu-util opens: the F407 loader's first answer is dfuERROR, which CLRSTATUS clears.
	const first = await getStatus();
	if (first.data?.getUint8(4) === 10) await out(4);
	await out(1, Uint8Array.of(0x21, 0, 0, 0, 8));
	await getStatus();
	await getStatus();
	await out(1);
	const start = s.clock.now();
	await getStatus(); // dfuMANIFEST: the loader leaves after this answer
	const final = getStatus().then(
		() => "answered",
		(error: DOMException) => error.name,
	);
	await s.clock.sleep(5900);
	return { events, final: await final, serial: device!.serialNumber, simulation: s.simulation };
}

describe("what appears on USB after leave, per scenario", () => {
	it("healthy: the loader leaves and the app's CDC device 0483:5740 appears and stays", async () => {
		const { events, final } = await afterLeave("healthy");
		expect(final).toBe("NotFoundError");
		expect(events).toEqual([
			{ type: "disconnect", at: 0, id: "483:df11", serial: "315A28A0B956" },
			{ type: "connect", at: 300, id: "483:5740", serial: "315A28A0B956" },
		]);
	});

	it("healthy: the app device reads as STM32 Virtual ComPort", async () => {
		const { simulation } = await afterLeave("healthy");
		const [app] = await simulation.usb.getDevices();
		expect(app!.productName).toBe("STM32 Virtual ComPort");
		expect(app!.configuration!.interfaces.map((i) => i.alternates[0]!.interfaceClass)).toEqual([
			0x02, 0x0a,
		]);
	});

	for (const scenario of ["wrong-mcu", "link-offset", "no-app-usb"]) {
		it(`${scenario}: the loader leaves and nothing enumerates`, async () => {
			const { events } = await afterLeave(scenario);
			expect(events).toEqual([
				{ type: "disconnect", at: 0, id: "483:df11", serial: "315A28A0B956" },
			]);
		});
	}

	it("boot0-high: the loader itself comes back ~1 s later with the same serial", async () => {
		const { events } = await afterLeave("boot0-high");
		expect(events).toEqual([
			{ type: "disconnect", at: 0, id: "483:df11", serial: "315A28A0B956" },
			{ type: "connect", at: 1000, id: "483:df11", serial: "315A28A0B956" },
		]);
	});

	it("iwdg-hw: the app device appears and disappears every 1.5 s", async () => {
		const { events } = await afterLeave("iwdg-hw");
		expect(events.map((e) => `${e.type}@${e.at}`)).toEqual([
			"disconnect@0",
			"connect@300",
			"disconnect@1500",
			"connect@1800",
			"disconnect@3000",
			"connect@3300",
			"disconnect@4500",
			"connect@4800",
		]);
		expect(events.slice(1).every((e) => e.id === "483:5740")).toBe(true);
	});

	it("rdp1 and wrp: the application still boots and enumerates", async () => {
		for (const scenario of ["rdp1", "wrp"]) {
			const { events } = await afterLeave(scenario);
			expect(events.map((e) => `${e.type} ${e.id}`)).toEqual([
				"disconnect 483:df11",
				"connect 483:5740",
			]);
			open?.close();
		}
	});

	it("scenario images: the wrong-MCU image carries F1 facts, link-offset points at 0x08008000", () => {
		const wrong = sim({ scenario: "wrong-mcu" });
		const view = new DataView(wrong.board.readMemory(0x08000000, 20 * 1024).buffer);
		expect(view.getUint32(0, true)).toBe(0x20005000);
		const words = Array.from({ length: 5 * 1024 }, (_, i) => view.getUint32(i * 4, true));
		expect(words).toContain(0x40021000);
		expect(words).toContain(0x40011000);
		wrong.simulation.close();
		const offset = sim({ scenario: "link-offset" });
		const reset = new DataView(offset.board.readMemory(0x08000000, 8).buffer).getUint32(4, true);
		expect(reset & 1).toBe(1);
		expect(reset & ~0xfff).toBe(0x08008000);
		offset.simulation.close();
	});

	it("leave with nothing executable at the address pointer resets the chip: the loader comes back", async () => {
		const { events } = await afterLeave("blank");
		expect(events.map((e) => `${e.type}@${e.at} ${e.id}`)).toEqual([
			"disconnect@0 483:df11",
			"connect@1000 483:df11",
		]);
	});
});

describe("the healthy image of every profile", () => {
	// The inspector is the judge here: the simulated board's own application must read as one
	// built for that chip (vector table length, stack top, peripherals), with nothing to warn about.
	for (const profile of Object.values(PROFILES)) {
		it(`${profile.id}: reads as built for the ${profile.part}`, () => {
			const chip = chipByName(profile.part)!;
			expect(chip, profile.part).toBeDefined();
			const data = goodImage(profile);
			const result = inspect(
				{ format: "bin", source: "app.bin", segments: [{ address: profile.flash.base, data }] },
				{ chip },
			);
			const noisy = result.findings.filter(
				(f) => f.severity !== "info" || f.id.startsWith("vector"),
			);
			expect(noisy.map((f) => f.message)).toEqual([]);
			expect(result.guess?.family).toBe(chip.family.family);
		});
	}
});
