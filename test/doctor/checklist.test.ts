import { describe, expect, it } from "vitest";
import { VirtualClock } from "../../source/clock.js";
import {
	AUTO_STEP_IDS,
	CHECKLIST,
	createChecklist,
	familyGroup,
	outcomeOf,
	resolveStep,
	verdictOf,
} from "../../source/doctor/checklist.js";
import { createStore, replay } from "../../source/store/store.js";

const setup = (family = "F4") => {
	const clock = new VirtualClock();
	const store = createStore({ now: () => clock.now() });
	return { store, clock, engine: createChecklist({ store, clock, family }) };
};

describe("checklist data", () => {
	it("puts the automatic steps first, in the engineer's order", () => {
		const auto = CHECKLIST.filter((s) => s.kind === "auto").map((s) => s.id);
		expect(auto).toEqual([...AUTO_STEP_IDS]);
		expect(CHECKLIST.slice(0, 4).every((s) => s.kind === "auto")).toBe(true);
	});

	it("has unique ids, instructions and an outcome per answer on every step", () => {
		const ids = CHECKLIST.map((s) => s.id);
		expect(new Set(ids).size).toBe(ids.length);
		for (const step of CHECKLIST) {
			expect(step.instructions.length).toBeGreaterThan(0);
			for (const a of ["pass", "fail", "skip"] as const)
				expect(step.answers[a].meaning.length).toBeGreaterThan(0);
			for (const a of Object.values(step.answers)) if (a.next) expect(ids).toContain(a.next);
		}
	});

	it("maps family names to groups", () => {
		expect(familyGroup("F4")).toBe("f2f4");
		expect(familyGroup("STM32F405/407")).toBe("f2f4");
		expect(familyGroup("F7")).toBe("f7");
		expect(familyGroup("H7")).toBe("h7");
		expect(familyGroup("G0")).toBe("g0");
		expect(familyGroup("L4+")).toBe("g4l4wb");
		expect(familyGroup("WB")).toBe("g4l4wb");
		expect(familyGroup("F1")).toBe("other");
		expect(familyGroup(undefined)).toBe("other");
	});

	it("shows family-specific BOOT0 instructions", () => {
		const boot0 = CHECKLIST.find((s) => s.id === "boot0")!;
		expect(resolveStep(boot0, "g4l4wb").instructions.join(" ")).toContain("nSWBOOT0");
		expect(resolveStep(boot0, "g0").instructions.join(" ")).toContain("nBOOT_SEL");
		expect(resolveStep(boot0, "f2f4").instructions.join(" ")).toContain("BOOT1");
	});

	it("judges measured values against the expected range", () => {
		const vcap = resolveStep(CHECKLIST.find((s) => s.id === "vcap")!, "f2f4");
		expect(outcomeOf(vcap, "value", 1.21).status).toBe("pass");
		const low = outcomeOf(vcap, "value", 0);
		expect(low.status).toBe("fail");
		expect(low.advice).toContain("2.2 uF");
		expect(outcomeOf(vcap, "value", "about one volt").status).toBe("warn");
	});
});

describe("checklist engine", () => {
	it("offers VCAP on F4 but not on G4", () => {
		expect(
			setup("F4")
				.engine.steps()
				.map((s) => s.id),
		).toContain("vcap");
		expect(
			setup("G4")
				.engine.steps()
				.map((s) => s.id),
		).not.toContain("vcap");
	});

	it("runs automatic steps in order and records start and result events", async () => {
		const { store, engine } = setup();
		const ran: string[] = [];
		await engine.runAuto({
			"image-fits": async () => {
				ran.push("image-fits");
				return { status: "pass", summary: "fits", findings: [] };
			},
			"option-bytes": async () => {
				ran.push("option-bytes");
				return { status: "pass", summary: "ok", findings: [] };
			},
		});
		expect(ran).toEqual(["image-fits", "option-bytes"]);
		const types = store.history().map((e) => `${e.type}:${"step" in e ? e.step : ""}`);
		expect(types.slice(0, 4)).toEqual([
			"check.started:image-fits",
			"check.result:image-fits",
			"check.started:flash-matches",
			"check.result:flash-matches",
		]);
		expect(engine.status("flash-matches")).toBe("skip");
		expect(engine.verdict()).toBeNull();
		expect(engine.next()?.id).toBe("power-cycle");
	});

	it("names the first failing automatic step and its cause", async () => {
		const { store, engine } = setup();
		await engine.runAuto({
			"image-fits": async () => ({ status: "pass", summary: "", findings: [] }),
			"option-bytes": async () => ({
				status: "fail",
				summary: "protected",
				findings: [
					{ id: "a", severity: "warning", message: "BOR", evidence: { cause: "brown-out" } },
					{ id: "b", severity: "error", message: "RDP 1", evidence: { cause: "read-protection" } },
				],
			}),
			"boot-watch": async () => ({
				status: "fail",
				summary: "",
				findings: [{ id: "c", severity: "error", message: "x", evidence: { cause: "boot0" } }],
			}),
		});
		expect(engine.verdict()).toEqual({
			step: "option-bytes",
			cause: "read-protection",
			message: "RDP 1",
		});
		expect(verdictOf(replay(store.history()).getState())).toEqual(engine.verdict());
	});

	it("goes first to the manual step the verdict points at", async () => {
		const { engine } = setup();
		await engine.runAuto({
			"boot-watch": async () => ({
				status: "fail",
				summary: "",
				findings: [
					{ id: "x", severity: "error", message: "no USB", evidence: { cause: "no-usb-in-app" } },
				],
			}),
		});
		expect(engine.next()?.id).toBe("led");
	});

	it("follows the answer given last, even when answers share a timestamp", async () => {
		const { engine } = setup();
		await engine.runAuto({});
		engine.answer("vdd", "pass");
		engine.answer("hse", "fail");
		expect(engine.next()?.id).toBe("hsi-build");
		// Answering an earlier step again: its outcome (no next) now decides, not the HSE answer.
		engine.answer("vdd", "value", 3.3);
		expect(engine.next()?.id).toBe("power-cycle");
	});

	it("a failed power cycle leads to BOOT0", async () => {
		const { engine } = setup();
		await engine.runAuto({});
		expect(engine.answer("power-cycle", "fail").next).toBe("boot0");
		expect(engine.next()?.id).toBe("boot0");
	});

	it("records answers, follows an answer's next step and unlocks dependent steps", async () => {
		const { store, engine } = setup();
		await engine.runAuto({});
		expect(engine.steps().map((s) => s.id)).not.toContain("hsi-build");
		const outcome = engine.answer("hse", "fail");
		expect(outcome.next).toBe("hsi-build");
		expect(engine.status("hse")).toBe("fail");
		expect(store.getState().checks.hse?.answers).toEqual([{ answer: "fail", at: 0 }]);
		expect(engine.next()?.id).toBe("hsi-build");
		engine.answer("boot0", "value", 3.3);
		expect(engine.status("boot0")).toBe("fail");
		expect(store.getState().checks.boot0?.answers[0]?.value).toBe(3.3);
	});

	it("resumes from a replayed recording where the session stopped", async () => {
		const first = setup();
		await first.engine.runAuto({});
		first.engine.answer("power-cycle", "skip");
		first.engine.answer("boot0", "pass");
		first.engine.answer("nrst", "value", 3.2);
		const resumedStore = replay(first.store.history());
		const clock = new VirtualClock();
		const resumed = createChecklist({ store: resumedStore, clock, family: "F4" });
		expect(resumed.status("nrst")).toBe("pass");
		expect(resumed.next()?.id).toBe("vdd");
	});

	it("keeps earlier automatic results on resume, runs them again when asked", async () => {
		const { engine } = setup();
		let runs = 0;
		const runners = {
			"image-fits": async () => {
				runs++;
				return { status: "pass" as const, summary: "", findings: [] };
			},
		};
		await engine.runAuto(runners);
		await engine.runAuto(runners);
		expect(runs).toBe(1);
		await engine.runAuto(runners, { again: true });
		expect(runs).toBe(2);
	});

	it("refuses unknown steps", () => {
		expect(() => setup().engine.answer("nope", "pass")).toThrow(/no checklist step/);
	});
});
