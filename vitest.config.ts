import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.test.{ts,tsx}"],
		exclude: ["test/**/*.fuzz.test.ts", "test/usb-rig/**", "node_modules/**"],
		testTimeout: 20_000,
	},
});
