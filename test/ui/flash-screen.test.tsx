import { afterEach, describe, expect, test } from "vitest";
import type { DirEntry } from "../../source/ui/path-completion.js";
import { failingEvents, PLAN_FILE, plannedEvent, runEvents } from "./flash-script.js";
import { f405Description, f405Identity, keys, type Mounted, mountApp } from "./harness.js";

let app: Mounted | undefined;
afterEach(() => {
	app?.unmount();
	app = undefined;
});

const tree: Record<string, DirEntry[]> = {
	".": [
		{ name: "build", directory: true },
		{ name: "notes.txt", directory: false },
		{ name: ".bashrc", directory: false },
	],
	"build/": [
		{ name: "blinky.bin", directory: false },
		{ name: "blinky.hex", directory: false },
		{ name: "boot.bin", directory: false },
	],
};

async function flashApp() {
	const mounted = await mountApp({ initialScreen: "flash", listDir: (dir) => tree[dir] ?? [] });
	await mounted.emit(
		{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
		{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
	);
	// The controller answers prepareFlash by planning job j1.
	mounted.intents.planResult = () => {
		mounted.store.append(plannedEvent());
		return { ok: true, job: "j1" };
	};
	return mounted;
}

/** Types a path with Tab completion: "b" Tab → "build/", "bl" Tab → "build/blinky.", "b" → ".bin". */
async function chooseImage(m: Mounted) {
	await m.press(keys.enter);
	await m.type("b");
	await m.press(keys.tab);
	expect(m.frame()).toContain("build/");
	await m.type("bl");
	await m.press(keys.tab);
	expect(m.frame()).toContain("blinky.bin  blinky.hex");
	await m.type("b");
	await m.press(keys.tab, keys.enter);
}

describe("Flash screen", () => {
	test("Tab completes the image path from the directory listing", async () => {
		app = await flashApp();
		await chooseImage(app);
		expect(app.frame()).toMatch(/Image\s+build\/blinky\.bin/);
		// A raw binary gets the device's first flash address as its default.
		expect(app.frame()).toMatch(/Address\s+0x08000000/);
	});

	test("typing a digit into the path does not switch screens", async () => {
		app = await flashApp();
		await app.press(keys.enter);
		await app.type("fw1.bin");
		expect(app.frame()).toContain("[2 Flash]");
		expect(app.frame()).toContain("fw1.bin");
	});

	test("a full flash: plan first, nothing sent before y, then progress to 100% with verify", async () => {
		app = await flashApp();
		await chooseImage(app);
		await app.press("p");
		expect(app.intents.named("prepareFlash")).toEqual([
			[
				"prepareFlash",
				{
					device: "usb-1",
					file: PLAN_FILE,
					address: 0x08000000,
					alt: undefined,
					verify: true,
					leave: false,
				},
			],
		]);
		const plan = app.frame();
		expect(plan).toContain("nothing written yet");
		expect(plan).toMatch(/Target\s+STM32F405\/407 serial 3574364C3034/);
		expect(plan).toMatch(/Write\s+36 KiB at 0x08000000\.\.0x08008FFF/);
		expect(plan).toMatch(/Erase\s+3 sectors \(3x16K = 48 KiB\) from 0x08000000/);
		expect(plan).toMatch(/Then\s+verify by reading back, leave DFU mode/);
		expect(app.intents.named("confirmFlash")).toEqual([]);

		await app.press("y");
		expect(app.intents.named("confirmFlash")).toEqual([["confirmFlash", "j1"]]);

		const events = runEvents();
		const midProgram = events.findIndex(
			(e) => e.type === "flash.progress" && e.phase === "program" && e.done === 18 * 1024,
		);
		await app.emit(...events.slice(0, midProgram + 1));
		const mid = app.frame();
		expect(mid).toMatch(/erase\s+#+\s+100%\s+48 KiB/);
		expect(mid).toMatch(/program\s+#+\.+\s+50%\s+18 KiB of 36 KiB\s+ETA 0:00/);
		expect(mid).toMatch(/verify\s+\.+\s+-\s+waiting/);
		expect(mid).toContain("=--");
		expect(mid).toMatch(/Device\s+dfuDNBUSY, status OK, poll 20 ms/);

		await app.emit(...events.slice(midProgram + 1));
		const done = app.frame();
		expect(done).toMatch(/program\s+#+\s+100%/);
		expect(done).toMatch(/verify\s+#+\s+100%\s+36 KiB/);
		expect(done).toContain("###");
		expect(done).toContain("# verified 3");
		expect(done).toContain("Done: 36 KiB written and verified");

		await app.press(keys.enter);
		expect(app.frame()).toMatch(/Image\s+build\/blinky\.bin/);
	});

	test("a plan that writes option bytes starts only after a typed yes naming what it sets", async () => {
		app = await flashApp();
		const planned = plannedEvent();
		app.intents.planResult = () => {
			if (planned.type === "flash.planned")
				app!.store.append({
					...planned,
					plan: {
						...planned.plan,
						confirmations: [
							{
								id: "option-bytes",
								message:
									"option bytes write at 0x1FFFC000 (RDP byte 0x55 = level 1: read protection)",
							},
						],
					},
				});
			return { ok: true, job: "j1" };
		};
		await chooseImage(app);
		await app.press("p", "y");
		expect(app.intents.named("confirmFlash")).toEqual([]);
		expect(app.frame()).toContain("RDP byte 0x55 = level 1: read protection");
		await app.type("yes");
		await app.press(keys.enter);
		expect(app.intents.named("confirmFlash")).toEqual([["confirmFlash", "j1", ["option-bytes"]]]);
	});

	test("n cancels a planned flash and returns to the form without confirming", async () => {
		app = await flashApp();
		await chooseImage(app);
		await app.press("p", "n");
		expect(app.intents.named("cancelFlash")).toEqual([["cancelFlash", "j1"]]);
		expect(app.intents.named("confirmFlash")).toEqual([]);
		expect(app.frame()).toContain("Plan this flash");
	});

	test("an error shows what happened, where, and the hint", async () => {
		app = await flashApp();
		await chooseImage(app);
		await app.press("p", keys.enter);
		expect(app.intents.named("confirmFlash")).toHaveLength(1);
		await app.emit(...failingEvents());
		const frame = app.frame();
		expect(frame).toContain("Failed during program at 0x08004000");
		expect(frame).toContain("the device reported errWRITE after block 10 at 0x08004800");
		expect(frame).toContain("Try: check that the sector is not write-protected");
		expect(frame).toMatch(/program\s+#*\.+\s+!\s+failed/);
		expect(frame).toContain("=X-");
		expect(frame).toMatch(/Device\s+dfuERROR, status errWRITE/);
	});

	test("inspector errors block the flash until it is planned again with force", async () => {
		app = await flashApp();
		await app.emit({
			type: "inspect.finding",
			source: "inspect",
			subject: PLAN_FILE,
			finding: {
				id: "sp-not-in-ram",
				severity: "error",
				message: "initial SP 0x00000000 is not in RAM",
			},
		});
		let planned = 0;
		app.intents.planResult = () => {
			planned++;
			app!.store.append(plannedEvent(`j${planned}`));
			return { ok: true, job: `j${planned}` };
		};
		await chooseImage(app);
		await app.press("p");
		expect(app.frame()).toContain("error   initial SP 0x00000000 is not in RAM");
		expect(app.frame()).toContain("Blocked:");
		await app.press("y", keys.enter);
		expect(app.intents.named("confirmFlash")).toEqual([]);

		await app.press("F");
		expect(app.intents.named("cancelFlash")).toEqual([["cancelFlash", "j1"]]);
		expect(app.intents.named("prepareFlash").at(-1)?.[1]).toMatchObject({ force: true });
		expect(app.frame()).toContain("Planned with force: errors ignored.");
		await app.press("y");
		expect(app.intents.named("confirmFlash")).toEqual([["confirmFlash", "j2"]]);
	});

	test("a blocked plan at 80x24 shows every word of its errors and why it is blocked", async () => {
		app = await flashApp();
		const file = "/home/student/firmware/betaflight_4.3.0_STM32F405_norevision_release_build.hex";
		const long = (id: string, message: string, severity: "error" | "warning" = "error") => ({
			type: "inspect.finding" as const,
			source: "inspect",
			subject: file,
			finding: { id, severity, message },
		});
		await app.emit(
			long(
				"vector-table.sp-outside-ram",
				"The initial stack pointer 0x1000FFF0 is not in the RAM of the STM32F745/746/756 (ITCM RAM 0x00000000-0x00004000, DTCM 0x20000000-0x20010000, SRAM 0x20010000-0x20050000). The first push at reset will fault: the image was linked for a part with different RAM.",
			),
			long(
				"family.mismatch",
				"Built for STM32F4: it uses RCC at 0x40023800 and GPIOA at 0x40020000; the connected chip is an STM32F745/746/756, whose RCC is at 0x40023800 and has no GPIO block at END-OF-EVIDENCE.",
			),
			long(
				"vector-table.outside-image",
				"90 interrupt/exception vector(s) point outside the image or lack the Thumb bit (first: entry 2 = 0x08038D21). That interrupt would fault when it fires.",
				"warning",
			),
		);
		// A plan as big as a real one: a long path, three ranges, the time estimate.
		const planned = plannedEvent("j1");
		if (planned.type !== "flash.planned") throw new Error("not a plan");
		const plan = {
			...planned.plan,
			file,
			ranges: [
				{ address: 0x08000000, size: 0x2680 },
				{ address: 0x08002800, size: 16 },
				{ address: 0x08008000, size: 0x7ba20 },
			],
			estimateMs: { bytewise: 22_400, word: 10_300 },
		};
		app.intents.planResult = () => {
			app!.store.append({ ...planned, plan });
			return { ok: true, job: "j1" };
		};
		await chooseImage(app);
		await app.press("p");
		const frame = app.frame();
		expect(frame).toContain("END-OF-EVIDENCE");
		expect(frame).toContain("Blocked:");
		expect(frame).toContain("...1 more in the log");
	});

	test("a refused plan shows the controller's reason and hint", async () => {
		app = await flashApp();
		app.intents.planResult = () => ({
			ok: false,
			error: { kind: "input", message: "build/blinky.bin: file not found", hint: "check the path" },
		});
		await chooseImage(app);
		await app.press("p");
		expect(app.frame()).toContain("Could not plan this flash");
		expect(app.frame()).toContain("build/blinky.bin: file not found");
		expect(app.frame()).toContain("Try: check the path");
	});

	test("a bad address is caught before anything is sent", async () => {
		app = await flashApp();
		await chooseImage(app);
		await app.press(keys.down, keys.enter);
		await app.press("\u0015"); // Ctrl+U clears the field
		await app.type("0x8zz");
		await app.press(keys.enter, "p");
		expect(app.frame()).toContain('"0x8zz" is not an address');
		expect(app.intents.named("prepareFlash")).toEqual([]);
	});

	test("mass erase waits for a typed yes; y alone or a wrong word sends nothing", async () => {
		app = await flashApp();
		await app.press("M");
		expect(app.frame()).toContain("Mass erase STM32F405/407 (serial 3574364C3034)?");
		expect(app.frame()).toContain("Type yes and Enter");
		await app.type("y");
		await app.press(keys.enter);
		expect(app.frame()).toContain("Not confirmed");
		await app.press("\u0015");
		await app.type("yep");
		await app.press(keys.enter);
		expect(app.intents.named("massErase")).toEqual([]);
		await app.press("\u0015");
		await app.type("yes");
		await app.press(keys.enter);
		expect(app.intents.named("massErase")).toEqual([["massErase", "usb-1"]]);

		// The controller runs it as a job; the screen follows it to the end.
		await app.emit(
			{
				type: "flash.planned",
				source: "dfu",
				job: "erase-1",
				device: "usb-1",
				plan: {
					operation: "erase",
					alt: 0,
					ranges: [],
					sectors: [],
					totalBytes: 0,
					transferSize: 2048,
					verify: false,
					leave: false,
				},
			},
			{
				type: "flash.phase",
				source: "dfu",
				job: "erase-1",
				phase: "mass-erase",
				status: "started",
				at: 20_000,
			},
		);
		expect(app.frame()).toContain("Mass erase of STM32F405/407");
		await app.emit(
			{
				type: "flash.phase",
				source: "dfu",
				job: "erase-1",
				phase: "mass-erase",
				status: "finished",
				at: 45_000,
			},
			{ type: "flash.finished", source: "dfu", job: "erase-1", ok: true, at: 45_000 },
		);
		expect(app.frame()).toContain("Done: flash erased in 0:25.");
	});

	test("unprotect explains the erase and Esc cancels without sending", async () => {
		app = await flashApp();
		await app.press("U");
		expect(app.frame()).toContain("Remove read protection from STM32F405/407");
		expect(app.frame()).toContain("mass-erases its whole flash");
		await app.type("yes");
		await app.press(keys.escape);
		expect(app.intents.named("unprotect")).toEqual([]);
		expect(app.frame()).toContain("Plan this flash");
	});

	test("a read job with a long id: its title fits 80 columns, names what it reads, no ~", async () => {
		app = await mountApp({ initialScreen: "flash", readOnly: true });
		const job = "0483:df11/3574364C3034#2@1733445412345";
		const planned = plannedEvent(job);
		if (planned.type !== "flash.planned") throw new Error("not a plan");
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
			{
				...planned,
				plan: {
					...planned.plan,
					operation: "upload",
					file: "backups/board-7-before-the-lab.bin",
					ranges: [{ address: 0x08000000, size: 1024 * 1024 }],
					sectors: [],
					totalBytes: 1024 * 1024,
				},
			},
			{ type: "flash.phase", source: "dfu", job, phase: "read", status: "started", total: 1 << 20 },
		);
		const title = app.frame().split("\n")[1]!.trimEnd();
		expect(title).toBe("Reading STM32F405/407 into board-7-before-the-lab.bin");
		expect(title.length).toBeLessThanOrEqual(80);
	});

	test("a read without a file is not read 'into upload'", async () => {
		app = await mountApp({ initialScreen: "flash", readOnly: true });
		const planned = plannedEvent("r1");
		if (planned.type !== "flash.planned") throw new Error("not a plan");
		const { file: _file, ...plan } = planned.plan;
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			{ type: "device.described", source: "usb", key: "usb-1", description: f405Description() },
			{ ...planned, plan: { ...plan, operation: "upload", sectors: [] } },
			{
				type: "flash.phase",
				source: "dfu",
				job: "r1",
				phase: "read",
				status: "started",
				total: 16,
			},
		);
		expect(app.frame().split("\n")[1]!.trimEnd()).toBe("Reading STM32F405/407  (job r1)");
	});

	test("a replay opens on the recorded job and sends nothing", async () => {
		app = await mountApp({ initialScreen: "flash", readOnly: true });
		await app.emit(
			{ type: "device.attached", source: "usb", device: f405Identity("usb-1") },
			plannedEvent(),
			...runEvents(),
		);
		expect(app.frame()).toContain("Done: 36 KiB written and verified");
		await app.press(keys.enter, "y", "M");
		expect(app.intents.calls).toEqual([]);
	});
});

describe("an inspector error too long for one line", () => {
	test("is shown whole, wrapped, so the chip it names is not cut off", async () => {
		const app = await flashApp();
		const message =
			"Built for STM32F1: it uses RCC at 0x40021000 and GPIOC at 0x40011000; the connected chip is an STM32F405/407, whose RCC is at 0x40023800.";
		await app.emit({
			type: "inspect.finding",
			source: "inspect",
			subject: PLAN_FILE,
			finding: { id: "family.mismatch", severity: "error", message },
		});
		app.intents.planResult = () => {
			app.store.append(plannedEvent("j1"));
			return { ok: true, job: "j1" };
		};
		await chooseImage(app);
		await app.press("p");
		const text = app.frame().replace(/\s+/g, " ");
		expect(text).toContain(message);
		app.unmount();
	});
});
