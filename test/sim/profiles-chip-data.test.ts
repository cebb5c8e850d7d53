import { beforeAll, describe, expect, it } from "vitest";
import { loadChipData, type Stm32Data } from "../../source/chips/stm32-data.js";
import { PROFILES } from "../../source/sim/index.js";

/**
 * The simulator does not import the chip data (it shares nothing with the client), so this test
 * holds each profile's memory facts against the data generated from stm32-data-generated: the
 * vector table length, the flash's sector sizes in order, what an erased byte reads, the write unit where the loader
 * cares (double-word parts), the OTP block and the data EEPROM.
 */
let data: Stm32Data;
beforeAll(async () => {
	data = await loadChipData();
});

const profiles = [...new Set(Object.values(PROFILES))];

describe("profiles against the generated chip data", () => {
	for (const profile of profiles) {
		it(`${profile.id} (${profile.part})`, () => {
			const part = data.part(profile.part);
			expect(part, profile.part).toBeDefined();
			// Some parts list several configurations (G474: single or dual bank); one must match.
			const matching = part!.memories.filter((memory) => {
				const sectors = memory.flash.flatMap((r) => Array(r.size / r.eraseSize).fill(r.eraseSize));
				return JSON.stringify(sectors) === JSON.stringify(profile.flash.sectors);
			});
			expect(matching.length, "a configuration with the profile's sectors").toBeGreaterThan(0);
			const memory = matching[0]!;
			expect(memory.flash[0]!.start).toBe(profile.flash.base);
			expect(profile.vectorCount, "vector table entries").toBe(part!.cores[0]!.vectorCount);
			expect(memory.flash[0]!.erasedValue).toBe(profile.flash.erasedValue ?? 0xff);
			if (profile.flash.programUnitMustBeErased)
				expect(memory.flash[0]!.writeSize).toBe(profile.flash.programUnitMustBeErased);
			const eeprom = profile.alts.find((a) => a.kind === "eeprom");
			expect(memory.eeprom.reduce((n, r) => n + r.size, 0)).toBe(eeprom ? eeprom.runs[0]!.size : 0);
			if (memory.eeprom[0]) expect(memory.eeprom[0].start).toBe(eeprom!.runs[0]!.address);
			const otp = profile.alts.find((a) => a.kind === "otp" && !a.misnamed);
			// The data lists the F2/F4/F72x OTP block; the F746's entry (0x08FFF000) is not the
			// RM0385 §3.5 block at 0x1FF0F000 the profile models, so it is left out here.
			if (otp && memory.otp[0] && profile.id !== "f746")
				expect({ address: memory.otp[0].start, size: memory.otp[0].size }).toEqual(otp.runs[0]);
		});
	}
});
