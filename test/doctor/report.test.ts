import { describe, expect, it } from "vitest";
import { createChecklist } from "../../source/doctor/checklist.js";
import { renderReport } from "../../source/doctor/report.js";
import { replay } from "../../source/store/store.js";
import { runDoctorOn, simulatedBoard, virtualStore } from "./doctor-harness.js";

async function session() {
	const { clock, store } = virtualStore();
	const engine = createChecklist({ store, clock, family: "F4" });
	await engine.runAuto({
		"image-fits": async () => ({ status: "pass", summary: "F4 image at 0x08000000", findings: [] }),
		"option-bytes": async () => ({
			status: "fail",
			summary: "RDP level 1 | protected",
			findings: [
				{
					id: "ob.rdp-level1",
					severity: "error",
					message: "Read protection level 1. Fix: unprotect.",
					evidence: { cause: "read-protection" },
				},
			],
		}),
	});
	engine.answer("boot0", "value", 0.02);
	engine.answer("vcap", "value", 0);
	return { store, engine };
}

describe("renderReport", () => {
	it("lists the board, verdict, tool checks, findings, answers and what is left", async () => {
		const { store, engine } = await session();
		const md = renderReport({
			state: store.getState(),
			steps: engine.steps(),
			verdict: engine.verdict(),
			chip: "STM32F405/407",
			device: {
				key: "k",
				backend: "sim",
				vendorId: 0x0483,
				productId: 0xdf11,
				bcdDevice: 0x2200,
				serial: "ABC",
				mode: "dfu",
			},
			optionBytes: { family: "F4", fields: [{ name: "RDP", value: 0x55, meaning: "level 1" }] },
			date: "2026-11-24",
		});
		expect(md).toMatch(/^# Boot checklist report\n/);
		expect(md).toContain("- Device: 0483:df11, serial ABC");
		expect(md).toContain("- Image: none given");
		expect(md).toContain("Cause: **read-protection**");
		expect(md).toContain("| The image fits the chip | pass | F4 image at 0x08000000 |");
		expect(md).toContain("RDP level 1 \\| protected");
		expect(md).toContain("- **error**: Read protection level 1. Fix: unprotect.");
		expect(md).toContain("| RDP | 0x55 | level 1 |");
		expect(md).toContain("### BOOT0 (and BOOT1) low at reset: pass");
		expect(md).toContain("- Measured: 0.02 V");
		expect(md).toContain("### VCAP1/VCAP2 capacitors: FAIL");
		expect(md).toContain("2.2 uF low-ESR");
		const left = md.slice(md.indexOf("## Still to check"));
		expect(left).toContain("NRST is not held low");
		expect(left).not.toContain("BOOT0");
	});

	it("says when nothing has run yet", () => {
		const { clock, store } = virtualStore();
		const engine = createChecklist({ store, clock });
		const md = renderReport({ state: store.getState(), steps: engine.steps(), verdict: null });
		expect(md).toContain("The automatic checks have not run.");
		expect(md).toContain("No board checks answered yet.");
	});
});

describe("doctorReport", () => {
	it("reports a doctor run on a simulated board with its option bytes and verdict", async () => {
		const { doctorReport } = await import("../../source/doctor/report-doctor.js");
		const target = simulatedBoard({ scenario: "iwdg-hw" });
		try {
			const result = await runDoctorOn(target, { backend: "sim" });
			const md = doctorReport(result, target.store.getState(), { date: "2026-11-24" });
			expect(md).toMatch(/- Device: 0483:df11 .*, serial [0-9A-F]{12}/);
			expect(md).toContain("- Chip: STM32F405/407");
			expect(md).toContain("Cause: **watchdog**");
			expect(md).toContain("| WDG_SW | 0x0 | hardware watchdog (runs from reset) |");
			expect(md).toContain("| Leave DFU and watch USB | FAIL |");
			expect(md).toContain("VCAP1/VCAP2 capacitors");
		} finally {
			target.close();
		}
	});
});

describe("checklistReport", () => {
	it("renders from a store alone, with the verdict the recorded results give", async () => {
		const { checklistReport } = await import("../../source/doctor/report-doctor.js");
		const { store } = await session();
		const md = checklistReport(replay(store.history()).getState(), {
			family: "F4",
			chip: "STM32F4",
		});
		expect(md).toContain("Cause: **read-protection**");
		expect(md).toContain("VCAP1/VCAP2 capacitors: FAIL");
	});
});
