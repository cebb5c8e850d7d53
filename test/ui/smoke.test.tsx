import { afterEach, expect, test } from "vitest";
import { f405Description, f405Identity, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => app?.unmount());

test("smoke", async () => {
	app = await mountApp();
	console.log(app.frame());
	await app.emit(
		{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
		{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
	);
	console.log(app.frame());
	await app.press("2");
	console.log(app.frame());
	expect(1).toBe(1);
});
