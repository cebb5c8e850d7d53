import { describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

const EXPECTED: Record<string, { step: string; cause: string; message: RegExp } | null> = {
	healthy: null,
	"wrong-mcu": { step: "image-fits", cause: "wrong-family", message: /STM32F1.*STM32F405\/407/ },
	"link-offset": { step: "image-fits", cause: "link-address", message: /0x08008000/ },
	"boot0-high": { step: "boot-watch", cause: "boot0", message: /BOOT0/ },
	rdp1: { step: "image-fits", cause: "read-protection", message: /read protection/i },
	wrp: { step: "option-bytes", cause: "write-protection", message: /[Ww]rite protection/ },
	"iwdg-hw": { step: "boot-watch", cause: "watchdog", message: /watchdog/i },
	"no-app-usb": { step: "boot-watch", cause: "no-usb-in-app", message: /no USB device appeared/ },
};

describe("bringup doctor --sim=SCENARIO --json", () => {
	for (const [scenario, verdict] of Object.entries(EXPECTED)) {
		it(`${scenario}: ${verdict ? `${verdict.step} fails with ${verdict.cause}` : "every automatic step passes"}`, async () => {
			const r = await runCli("doctor", `--sim=${scenario}`, "--json");
			const last = JSON.parse(r.stdout.trim().split("\n").at(-1)!) as {
				steps: { id: string; kind: string; status: string; findings: unknown[] }[];
				verdict: { step: string; cause: string; message: string } | null;
			};
			expect(last.steps.map((s) => s.id)).toEqual(
				expect.arrayContaining(["image-fits", "flash-matches", "option-bytes", "boot-watch"]),
			);
			for (const s of last.steps) expect(["auto", "manual"]).toContain(s.kind);
			if (verdict === null) {
				expect(last.verdict).toBeNull();
				expect(r.code).toBe(0);
			} else {
				expect(last.verdict).toMatchObject({ step: verdict.step, cause: verdict.cause });
				expect(last.verdict!.message).toMatch(verdict.message);
				expect(r.code).toBe(1);
			}
		});
	}
});
