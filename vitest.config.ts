import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.{ts,tsx}"],
		exclude: ["test/**/*.fuzz.test.ts", "test/usb-rig/**", "node_modules/**"],
		testTimeout: 20_000,
		// The screen tests drive Ink as a terminal does; under CI=true Ink holds every frame back
		// until exit, so the suite runs as on a developer's terminal wherever it runs.
		env: {
			CI: "false",
			CONTINUOUS_INTEGRATION: "false",
			// What the tests remember per board (supply voltages) goes to a directory of this run,
			// never the user's settings.
			XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), "bringup-test-config-")),
		},
	},
});
