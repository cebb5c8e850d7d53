import { defineConfig } from "vitest/config";

export default defineConfig({
	test: {
		include: ["test/**/*.fuzz.test.ts"],
		testTimeout: 600_000,
	},
});
