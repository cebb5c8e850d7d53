/**
 * Named board situations: what is in the chip when it is plugged, and what shows up on USB after
 * the loader leaves (jump to the application) or the chip resets. The scenario alone decides;
 * it never looks at the image with an inspector, so the simulator cannot agree with our own
 * diagnosis by construction.
 *
 * Before a scenario is asked, the chip itself decides between jump and reset: a leave whose
 * address pointer holds no plausible vector table resets the chip (AN2662 p.80; board.ts).
 *
 * Common assumptions (documented, not measured):
 * - The board reaches the loader with BOOT0 held high, so a chip reset (option-byte write, Read
 *   Unprotect) brings the loader back ~1 s later (AN2662: "The Host may simply wait for next
 *   enumeration"); the loader needs that long on F4 for its HSE measurement and USB start.
 * - An application with USB enumerates 300 ms after it starts (clock and HAL init, USB attach).
 */
import { type AppDeviceSpec, ST_VIRTUAL_COM_PORT } from "./app-device.js";
import type { Chip } from "./chip.js";
import { buildImage, F1_PERIPHERALS, F1_STACK_TOP, F1_VECTOR_COUNT } from "./images.js";
import type { ChipProfile } from "./profiles.js";

export type BootOutcome =
	/** An application enumerates and stays. */
	| { kind: "app"; device: AppDeviceSpec; enumerateAfterMs: number }
	/** The application enumerates, then a watchdog reset takes it away, again and again. */
	| { kind: "app-reset-loop"; device: AppDeviceSpec; enumerateAfterMs: number; periodMs: number }
	/** Nothing enumerates: the program runs without USB, or is stuck in a fault handler. */
	| { kind: "silent" }
	/** The ROM loader itself comes back (BOOT0 high, or a reset with the boot pin held). */
	| { kind: "loader"; enumerateAfterMs: number };

export interface Scenario {
	name: string;
	description: string;
	/** Puts the board's initial content into the chip (flash image, option bytes). */
	prepare(chip: Chip): void;
	afterLeave(chip: Chip): BootOutcome;
	afterReset(chip: Chip): BootOutcome;
}

export const APP_ENUMERATE_MS = 300;
export const LOADER_REENUMERATE_MS = 1000;
export const WATCHDOG_PERIOD_MS = 1500;

const appStays: BootOutcome = {
	kind: "app",
	device: ST_VIRTUAL_COM_PORT,
	enumerateAfterMs: APP_ENUMERATE_MS,
};
const loaderBack: BootOutcome = { kind: "loader", enumerateAfterMs: LOADER_REENUMERATE_MS };

function ramTop(profile: ChipProfile): number {
	const main = profile.ram.find((r) => r.address >= 0x20000000) ?? profile.ram[0]!;
	return main.address + main.size;
}

/** A plausible application for the board's own family, linked and written at the flash base. */
export function goodImage(profile: ChipProfile, options: { usb?: boolean } = {}): Uint8Array {
	const peripherals = Object.entries(profile.peripherals)
		.filter(([name]) => options.usb !== false || !name.startsWith("USB"))
		.map(([, address]) => address);
	return buildImage({
		linkAddress: profile.flash.base,
		stackTop: ramTop(profile),
		vectorCount: profile.vectorCount,
		peripherals,
		size: 24 * 1024,
		seed: 7,
	});
}

function flashWith(image: Uint8Array) {
	return (chip: Chip) => chip.poke(chip.profile.flash.base, image);
}

const healthy: Scenario = {
	name: "healthy",
	description: "A good application in flash; after leave its USB CDC device appears and stays.",
	prepare: (chip) => flashWith(goodImage(chip.profile))(chip),
	afterLeave: () => appStays,
	afterReset: () => loaderBack,
};

/**
 * A build for another family whose stack still fits the board's RAM, so that the loader jumps
 * to it (a stack outside RAM would make the chip reset instead): an STM32F103 medium-density
 * build (SP 0x20005000), an F103x4 one (6 KiB, SP 0x20001800) on small F0 boards, and an
 * STM32F401xC one (64 KiB, SP 0x20010000, RCC/GPIOA/GPIOD/USART2) on F1 boards.
 */
function foreignImage(profile: ChipProfile) {
	if (profile.family === "F1")
		return {
			stackTop: 0x20010000,
			vectorCount: 101,
			peripherals: [0x40023800, 0x40020000, 0x40020c00, 0x40004400],
		};
	const stackTop = ramTop(profile) < F1_STACK_TOP ? 0x20001800 : F1_STACK_TOP;
	return { stackTop, vectorCount: F1_VECTOR_COUNT, peripherals: Object.values(F1_PERIPHERALS) };
}

const wrongMcu: Scenario = {
	name: "wrong-mcu",
	description:
		"Flash holds an image built for an STM32F1 (SP 0x20005000, RCC 0x40021000, GPIOC 0x40011000; on an F1 board an STM32F401 build); after leave nothing appears.",
	prepare: (chip) =>
		flashWith(
			buildImage({
				linkAddress: 0x08000000,
				...foreignImage(chip.profile),
				size: 20 * 1024,
				seed: 11,
			}),
		)(chip),
	afterLeave: () => ({ kind: "silent" }),
	afterReset: () => loaderBack,
};

const linkOffset: Scenario = {
	name: "link-offset",
	description:
		"An image linked for 0x08008000 (behind a custom bootloader) written at 0x08000000; after leave nothing appears.",
	prepare: (chip) => {
		const profile = chip.profile;
		const image = buildImage({
			linkAddress: profile.flash.base + 0x8000,
			stackTop: ramTop(profile),
			vectorCount: profile.vectorCount,
			peripherals: Object.values(profile.peripherals),
			size: 24 * 1024,
			seed: 13,
		});
		chip.poke(profile.flash.base, image);
	},
	afterLeave: () => ({ kind: "silent" }),
	afterReset: () => loaderBack,
};

const boot0High: Scenario = {
	name: "boot0-high",
	description:
		"BOOT0 stuck high: after leave or reset the loader itself enumerates again ~1 s later, same serial.",
	prepare: (chip) => flashWith(goodImage(chip.profile))(chip),
	afterLeave: () => loaderBack,
	afterReset: () => loaderBack,
};

const rdp1: Scenario = {
	name: "rdp1",
	description:
		"Read protection level 1: flash read, erase and program fail with errVENDOR; option bytes stay readable. The application still runs after leave.",
	prepare: (chip) => {
		flashWith(goodImage(chip.profile))(chip);
		chip.optionBytes = chip.profile.optionBytes.withRdpByte(chip.optionBytes, 0xbb);
	},
	afterLeave: () => appStays,
	afterReset: () => loaderBack,
};

const wrp: Scenario = {
	name: "wrp",
	description:
		"Sector 1 write-protected (its nWRP bit cleared): erasing or programming it silently does nothing.",
	prepare: (chip) => {
		flashWith(goodImage(chip.profile))(chip);
		chip.optionBytes = chip.profile.optionBytes.withWriteProtection(chip.optionBytes, 1, true);
	},
	afterLeave: () => appStays,
	afterReset: () => loaderBack,
};

const iwdgHw: Scenario = {
	name: "iwdg-hw",
	description:
		"Hardware watchdog (WDG_SW = 0) and an application that never refreshes it: after leave the application's USB device appears and disappears every ~1.5 s.",
	prepare: (chip) => {
		flashWith(goodImage(chip.profile))(chip);
		chip.optionBytes = chip.profile.optionBytes.withHardwareWatchdog(chip.optionBytes, true);
	},
	afterLeave: () => ({
		kind: "app-reset-loop",
		device: ST_VIRTUAL_COM_PORT,
		enumerateAfterMs: APP_ENUMERATE_MS,
		periodMs: WATCHDOG_PERIOD_MS,
	}),
	afterReset: () => loaderBack,
};

const noAppUsb: Scenario = {
	name: "no-app-usb",
	description:
		"The application runs but never starts USB (no pull-up, no 48 MHz clock): after leave nothing enumerates.",
	prepare: (chip) => flashWith(goodImage(chip.profile, { usb: false }))(chip),
	afterLeave: () => ({ kind: "silent" }),
	afterReset: () => loaderBack,
};

/** A factory-fresh chip: erased flash, default option bytes. */
const blank: Scenario = {
	name: "blank",
	description:
		"Erased flash and default option bytes; a leave finds no vector table, the chip resets and the loader comes back.",
	prepare: () => {},
	afterLeave: () => ({ kind: "silent" }),
	afterReset: () => loaderBack,
};

export const SCENARIOS: Record<string, Scenario> = {
	healthy,
	"wrong-mcu": wrongMcu,
	"link-offset": linkOffset,
	"boot0-high": boot0High,
	rdp1,
	wrp,
	"iwdg-hw": iwdgHw,
	"no-app-usb": noAppUsb,
	blank,
};

export const DEFAULT_SCENARIO = "healthy";

export function scenarioByName(name: string): Scenario | undefined {
	return SCENARIOS[name.toLowerCase()];
}
