import { afterEach, describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import { flashImage, openDfu } from "../../source/dfu/index.js";
import { createSimulation, PROFILES, type Simulation } from "../../source/sim/index.js";
import type { ChipProfile } from "../../source/sim/profiles.js";
import { goodImage } from "../../source/sim/scenarios.js";
import { createStore } from "../../source/store/store.js";
import { sim } from "./helpers.js";

/** Each profile once (aliases such as h750 = h743 point at the same object). */
const profiles = [...new Set(Object.values(PROFILES))];

let open: Simulation | undefined;
afterEach(() => {
	open?.close();
	open = undefined;
});

function imageFor(profile: ChipProfile): Uint8Array {
	const flash = profile.flash.sectors.reduce((a, b) => a + b, 0);
	const image = goodImage(profile);
	// Half the flash at most (the F042 has 32 KiB), a whole number of 8-byte units.
	return image.subarray(0, Math.min(image.length, (flash / 2) & ~7));
}

describe("the DfuSe core flashes every profile", () => {
	for (const profile of profiles) {
		it(`${profile.id}: erase, program and verify through the simulated loader`, async () => {
			const clock = new VirtualClock();
			open = createSimulation({ profile, scenario: "blank", clock });
			const [device] = await open.usb.getDevices();
			const store = createStore({ now: () => clock.now() });
			const session = await openDfu(device!, { clock, store, deviceKey: profile.id });
			const data = imageFor(profile);
			const result = await flashImage(session, {
				format: "bin",
				source: "app.bin",
				segments: [{ address: profile.flash.base, data }],
			});
			expect(result.plan?.verify.length).toBeGreaterThan(0);
			expect(open.boards[0]!.readMemory(profile.flash.base, data.length)).toEqual(data);
			// Nothing alarming on the way: an F4's first dfuERROR is cleared without a warning.
			expect(store.getState().log.filter((l) => l.level === "warn" || l.level === "error")).toEqual(
				[],
			);
		});
	}
});

/** Leaves the loader at the flash base and reports what is on the bus 2 s later. */
async function afterLeave(profile: ChipProfile, scenario: string) {
	const s = sim({ profile, scenario });
	open = s.simulation;
	await s.dfu.setAddress(profile.flash.base);
	await s.dfu.leave();
	await s.dfu.getStatus(); // dfuMANIFEST: the loader goes after this answer
	await s.clock.sleep(2000);
	const fn = s.board.board.function;
	return { kind: fn?.kind ?? "nothing", board: s.board, clock: s.clock };
}

describe("every scenario on every profile", () => {
	for (const profile of profiles) {
		it(`${profile.id}: what appears after leave follows the scenario`, async () => {
			expect((await afterLeave(profile, "healthy")).kind).toBe("app");
			expect((await afterLeave(profile, "boot0-high")).kind).toBe("loader");
			for (const scenario of ["wrong-mcu", "link-offset", "no-app-usb"])
				expect((await afterLeave(profile, scenario)).kind, scenario).toBe("nothing");
			// A blank chip has no vector table: the leave resets it and the loader comes back.
			expect((await afterLeave(profile, "blank")).kind).toBe("loader");
		});

		it(`${profile.id}: rdp1 refuses flash reads and erases, wrp keeps sector 1, iwdg-hw resets the app`, async () => {
			const protectedChip = sim({ profile, scenario: "rdp1" });
			open = protectedChip.simulation;
			const read = await protectedChip.dfu.read(profile.flash.base, 64);
			expect(read.status).toBe("stall");
			expect(await protectedChip.dfu.getStatus()).toMatchObject({ status: 0x0b, state: 10 });
			open.close();

			const wrp = sim({ profile, scenario: "wrp" });
			open = wrp.simulation;
			const sector1 = profile.flash.base + profile.flash.sectors[0]!;
			const before = wrp.board.readMemory(sector1, 16);
			await wrp.dfu.erase(sector1);
			expect(wrp.board.readMemory(sector1, 16)).toEqual(before);
			open.close();

			const watchdog = await afterLeave(profile, "iwdg-hw");
			const enumerations = watchdog.board.counters.enumerations;
			await watchdog.clock.sleep(3000);
			expect(watchdog.board.counters.enumerations).toBeGreaterThanOrEqual(enumerations + 2);
		});
	}
});
