import { vidPid } from "../format.js";
import type { BringupEvent, DeviceIdentity, Finding } from "../store/events.js";
import { causedFinding } from "./checklist-findings.js";
import type { StepResult } from "./checklist-types.js";

/**
 * What happened on USB after leaving DFU, classified as in docs/dfuse-protocol.md §3 ("re-enumeration
 * watcher"): the loader comes back (BOOT0, empty-flash flag, jump to no code), nothing comes back
 * (an app without USB, or a dead chip), an app device appears and stays (good), or appears and
 * disappears again (watchdog or brown-out reset loop). Pure: a timeline of device.attached /
 * device.detached events in, a classification out. The I/O that produces the timeline is in
 * boot-watch-usb.ts.
 */

export type BootOutcome =
	| "app-stable"
	| "app-reset-loop"
	| "loader-returned"
	| "nothing"
	| "loader-stayed";

/** The DFU device that was told to leave. */
export interface BootWatchSubject {
	key: string;
	vendorId: number;
	productId: number;
	serial?: string;
}

export interface AppActivity {
	device: DeviceIdentity;
	attaches: number;
	detaches: number;
	/** Mean time between two attaches, when it attached more than once. */
	periodMs?: number;
	/** Still attached at the end of the watch. */
	present: boolean;
}

export interface BootWatchResult {
	outcome: BootOutcome;
	/** How long the watch lasted, from the leave request. */
	windowMs: number;
	/** When the loader disappeared, relative to the leave request. */
	loaderGoneAfterMs?: number;
	/** When the loader came back, relative to the leave request. */
	loaderBackAfterMs?: number;
	/** The device that came up instead of the loader, when one did. */
	app?: AppActivity;
}

const identityKey = (d: DeviceIdentity) =>
	`${d.vendorId}:${d.productId}:${d.serial ?? ""}:${d.product ?? ""}`;

function isLoader(device: DeviceIdentity, subject: BootWatchSubject): boolean {
	if (device.vendorId !== subject.vendorId || device.productId !== subject.productId) return false;
	// Another board's loader has another serial (ST derives it from the chip's unique ID).
	return (
		subject.serial === undefined || device.serial === undefined || device.serial === subject.serial
	);
}

/**
 * Classifies the events seen from the leave request on (`timeline`, in the order they happened)
 * for the loader `subject`. Only what follows the subject's own detach counts as coming back.
 */
export function classifyBoot(
	timeline: readonly BringupEvent[],
	subject: BootWatchSubject,
	window: { leaveAt: number; windowMs: number },
): BootWatchResult {
	const gone = timeline.findIndex((e) => e.type === "device.detached" && e.key === subject.key);
	const base = { windowMs: window.windowMs };
	if (gone < 0) return { ...base, outcome: "loader-stayed" };
	const loaderGoneAfterMs = timeline[gone]!.at - window.leaveAt;

	let loaderBackAfterMs: number | undefined;
	const apps = new Map<
		string,
		{ device: DeviceIdentity; attachedAt: number[]; detaches: number }
	>();
	const keys = new Map<string, string>();
	for (const e of timeline.slice(gone + 1)) {
		if (e.type === "device.attached") {
			if (isLoader(e.device, subject)) {
				loaderBackAfterMs ??= e.at - window.leaveAt;
				continue;
			}
			const id = identityKey(e.device);
			keys.set(e.device.key, id);
			const app = apps.get(id) ?? { device: e.device, attachedAt: [], detaches: 0 };
			app.attachedAt.push(e.at);
			apps.set(id, app);
		} else if (e.type === "device.detached") {
			const id = keys.get(e.key);
			const app = id ? apps.get(id) : undefined;
			if (app) app.detaches++;
		}
	}

	// The app device that was busiest is the one that tells what the chip did.
	const busiest = [...apps.values()].sort((a, b) => b.attachedAt.length - a.attachedAt.length)[0];
	const app: AppActivity | undefined = busiest && {
		device: busiest.device,
		attaches: busiest.attachedAt.length,
		detaches: busiest.detaches,
		present: busiest.attachedAt.length > busiest.detaches,
		...(busiest.attachedAt.length > 1
			? {
					periodMs:
						(busiest.attachedAt.at(-1)! - busiest.attachedAt[0]!) / (busiest.attachedAt.length - 1),
				}
			: {}),
	};
	const common = { ...base, loaderGoneAfterMs, ...(app ? { app } : {}) };
	if (loaderBackAfterMs !== undefined)
		return { ...common, outcome: "loader-returned", loaderBackAfterMs };
	if (!app) return { ...common, outcome: "nothing" };
	if (app.detaches > 0) return { ...common, outcome: "app-reset-loop" };
	return { ...common, outcome: "app-stable" };
}

const usbId = (d: DeviceIdentity) => `${vidPid(d)}${d.product ? ` "${d.product}"` : ""}`;
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/** What the device's option bytes said, to name the reason for a reset loop. */
export interface BootWatchHints {
	hardwareWatchdog?: boolean;
	/** Brown-out threshold in volts, when BOR is on. */
	borVolts?: number;
}

/** The boot-watch step's result: status, a summary and findings naming the cause. */
export function bootWatchResult(result: BootWatchResult, hints: BootWatchHints = {}): StepResult {
	const findings: Finding[] = [];
	const w = seconds(result.windowMs);
	switch (result.outcome) {
		case "app-stable": {
			const app = result.app!;
			return {
				status: "pass",
				summary: `The application enumerated as ${usbId(app.device)} and stayed for the rest of the ${w} watch. The jump bypasses the boot pins: a power cycle shows whether it also boots by itself.`,
				findings,
			};
		}
		case "loader-stayed":
			findings.push(
				causedFinding(
					"boot.loader-stayed",
					"error",
					"leave-failed",
					`The DFU device did not go away within ${w} of the leave request: the loader did not jump.`,
					"Retry leaving DFU, or press reset with BOOT0 low.",
				),
			);
			return { status: "fail", summary: "The bootloader did not leave.", findings };
		case "loader-returned": {
			const back = result.loaderBackAfterMs ?? 0;
			const ranFirst = result.app
				? ` The application (${usbId(result.app.device)}) showed up first, then the chip reset into the loader.`
				: "";
			findings.push(
				causedFinding(
					"boot.loader-returned",
					"error",
					"boot0",
					`The ROM bootloader came back with the same serial ${seconds(back)} after leaving: the chip starts system memory at reset. BOOT0 is high or floating, the option bytes force it, the empty-flash flag is latched (G0/G4/L4), or there is no code at the jump address.${ranFirst}`,
					"Measure BOOT0 at reset (it needs a pull-down to GND); power-cycle once to clear an empty-flash flag.",
					{ backAfterMs: Math.round(back) },
				),
			);
			return { status: "fail", summary: "The bootloader came back after leaving.", findings };
		}
		case "app-reset-loop": {
			const app = result.app!;
			const period = app.periodMs ? `, about every ${seconds(app.periodMs)}` : "";
			const cause = hints.hardwareWatchdog ? "watchdog" : "reset-loop";
			const why = hints.hardwareWatchdog
				? "The option bytes start the watchdog in hardware (WDG_SW/IWDG_SW = 0) and the application does not refresh it in time."
				: `A watchdog the application does not refresh, or a brown-out${
						hints.borVolts ? ` below ${hints.borVolts} V` : ""
					}, resets the chip.`;
			findings.push(
				causedFinding(
					"boot.reset-loop",
					"error",
					cause,
					`The application's USB device ${usbId(app.device)} appeared ${app.attaches} times and disappeared ${app.detaches} times in ${w}${period}: the chip resets in a loop. ${why}`,
					hints.hardwareWatchdog
						? "Refresh the IWDG early in main, or set WDG_SW = 1 in the option bytes."
						: "Refresh the watchdog early; try a bench supply to rule out a brown-out.",
					{
						attaches: app.attaches,
						detaches: app.detaches,
						...(app.periodMs ? { periodMs: Math.round(app.periodMs) } : {}),
					},
				),
			);
			return { status: "fail", summary: "The application resets in a loop.", findings };
		}
		case "nothing":
			findings.push(
				causedFinding(
					"boot.no-usb",
					"error",
					"no-usb-in-app",
					`The bootloader left and no USB device appeared in ${w}: the application runs without USB (or its USB does not start: D+ pull-up, 48 MHz clock), or it is stuck. Some applications only start cleanly from a reset, not from the loader's jump.`,
					"Look for other signs of life: the LED, a UART, a scope on a pin the app drives.",
				),
			);
			return { status: "fail", summary: "Nothing came back on USB.", findings };
	}
}
