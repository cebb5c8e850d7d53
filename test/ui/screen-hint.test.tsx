import { render } from "ink-testing-library";
import { describe, expect, test } from "vitest";
import { errorInfo } from "../../source/errors.js";
import { loadImageBytes } from "../../source/image/load.js";
import type { ErrorInfo } from "../../source/store/events.js";
import { ErrorBox } from "../../source/ui/error-box.js";

describe("error hints on the screens", () => {
	test("name the key, not the command-line flag", () => {
		const { lastFrame } = render(
			<ErrorBox
				title="Could not plan this flash"
				width={200}
				error={{
					kind: "preflight",
					message: "not flashing app.bin: the inspector found 1 error",
					hint: "Fix the image (or pick the right chip); --force (or -s ...:force) flashes it anyway.",
				}}
			/>,
		);
		expect(lastFrame()).toContain("F on the plan flashes it anyway");
		expect(lastFrame()).not.toContain("--force");
	});

	test("the unprotect advice points at U on the Flash screen", () => {
		const { lastFrame } = render(
			<ErrorBox
				title="Read protected"
				width={200}
				error={{
					kind: "protected",
					message: "read protection is active",
					hint: "Removing it mass-erases the chip: only if that is what you want, run bringup unprotect --yes (U on the Flash screen; dfu-util: -s :unprotect:force).",
				}}
			/>,
		);
		expect(lastFrame()).toContain("press U on the Flash screen and type yes");
		expect(lastFrame()).not.toMatch(/--yes|:unprotect:force/);
	});

	test("a raw binary without an address points at the Address field", () => {
		let error: ErrorInfo | undefined;
		try {
			loadImageBytes(new Uint8Array(64), "fw.bin");
		} catch (e) {
			error = errorInfo(e);
		}
		expect(error?.hint).toContain("-s 0x08000000");
		const { lastFrame } = render(
			<ErrorBox title="Could not plan this flash" width={200} error={error!} />,
		);
		expect(lastFrame()).toContain("Try: type it in the Address field, e.g. 0x08000000");
		expect(lastFrame()).not.toMatch(/-s |FILE@/);
	});

	test("a verify failure after a write with the supply range points at v on the plan", () => {
		const { lastFrame } = render(
			<ErrorBox
				title="Failed during verify"
				width={300}
				error={{
					kind: "verify",
					message: "verify failed at 0x08004000",
					hint: "The write used the 2.7-3.6V supply range (wider words); if the board's supply is lower or droops, flash again without --voltage (byte-wise, slower), or with its real supply. Otherwise the sector may be write-protected or worn: read the option bytes.",
				}}
			/>,
		);
		expect(lastFrame()).toContain("plan again and press v: none (byte-wise, slower)");
		expect(lastFrame()).not.toContain("--voltage");
	});
});
