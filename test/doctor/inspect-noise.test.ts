import { beforeAll, describe, expect, it } from "vitest";
import { chipByName } from "../../source/chips/index.js";
import { loadChipData } from "../../source/chips/stm32-data.js";
import { inspect } from "../../source/doctor/inspect.js";

// The inspector and the chip accessors read the generated chip data.
beforeAll(async () => {
	await loadChipData();
});

/** xorshift32: the same "random" images on every run, so a failure names a reproducible seed. */
function bytes(seed: number, length: number): Uint8Array {
	const out = new Uint8Array(length);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < length; i += 4) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		out[i] = x & 0xff;
		out[i + 1] = (x >>> 8) & 0xff;
		out[i + 2] = (x >>> 16) & 0xff;
		out[i + 3] = (x >>> 24) & 0xff;
	}
	return out;
}

describe("inspector against data that merely looks like addresses", () => {
	it("never blocks an image whose vector table and stack fit the chip", () => {
		const chip = chipByName("STM32F407")!;
		for (let seed = 1; seed <= 60; seed++) {
			const data = bytes(seed, 300 * 1024);
			const view = new DataView(data.buffer);
			view.setUint32(0, 0x20020000, true);
			view.setUint32(4, 0x08000189, true);
			for (let k = 2; k < 98; k++) view.setUint32(k * 4, 0x080001a1, true);
			const r = inspect(
				{ format: "bin", source: `seed-${seed}.bin`, segments: [{ address: 0x08000000, data }] },
				{ chip },
			);
			const errors = r.findings.filter((f) => f.severity === "error");
			expect(errors, `seed ${seed}`).toEqual([]);
		}
	});

	it("does not block random data behind a bare SP/reset pair either", () => {
		const chip = chipByName("STM32F407")!;
		for (let seed = 101; seed <= 160; seed++) {
			const data = bytes(seed, 24 * 1024 + (seed % 5) * 40960);
			const view = new DataView(data.buffer);
			view.setUint32(0, 0x20020000, true);
			view.setUint32(4, 0x08000189, true);
			const r = inspect(
				{ format: "bin", source: `seed-${seed}.bin`, segments: [{ address: 0x08000000, data }] },
				{ chip },
			);
			expect(
				r.findings.filter((f) => f.severity === "error"),
				`seed ${seed}`,
			).toEqual([]);
		}
	});
});
