import type { Cause, FamilyGroup, StepDef } from "./checklist-types.js";

/**
 * The engineer's checklist for "it flashed, but after a power cycle the board is dead", in the
 * order an engineer runs it: what the tool can check by itself first, then the board.
 * Sources: docs/dfuse-protocol.md §3 (causes and how each is detected), §1e (F4 option bytes).
 */

export const AUTO_STEP_IDS = ["image-fits", "flash-matches", "option-bytes", "boot-watch"] as const;
export type AutoStepId = (typeof AUTO_STEP_IDS)[number];

const autoAnswers = {
	pass: { status: "pass", meaning: "The tool found nothing wrong here." },
	fail: {
		status: "fail",
		meaning: "The tool found a reason the board cannot run; see the findings.",
	},
	skip: { status: "skip", meaning: "Not checked." },
} as const satisfies StepDef["answers"];

export const AUTO_STEPS: StepDef[] = [
	{
		id: "image-fits",
		title: "The image fits the chip",
		kind: "auto",
		why: "An image for another MCU, linked at another address or with a bad vector table never starts (causes 2, 3, 4, 6).",
		instructions: [
			"The tool inspects the image: family, link address, initial stack pointer, reset vector, size.",
			"Without an image file it inspects what it reads back from the chip's flash.",
		],
		expect: "No blocking findings",
		answers: autoAnswers,
	},
	{
		id: "flash-matches",
		title: "The chip holds what you flashed",
		kind: "auto",
		why: "Write-protected sectors ignore erase without an error, so old code can stay in place (cause 5).",
		instructions: [
			"The tool reads the flash back and compares it with the image, or with the SHA-256 you gave.",
			"Skipped when there is neither an image nor a SHA-256 to compare with.",
		],
		expect: "Every byte equal",
		answers: autoAnswers,
	},
	{
		id: "option-bytes",
		title: "Option bytes allow a boot from flash",
		kind: "auto",
		why: "Read/write protection, a hardware watchdog, brown-out level and boot option bits can each stop a boot (causes 9, 11-14).",
		instructions: [
			"The tool reads the option bytes over DFU and decodes them for the chip's family.",
		],
		expect: "Level 0, no write protection on the image, boot from main flash",
		answers: autoAnswers,
	},
	{
		id: "boot-watch",
		title: "Leave DFU and watch USB",
		kind: "auto",
		why: "What re-enumerates after leaving DFU tells BOOT0/empty flash, a reset loop or an app without USB apart (causes 1, 10, 13, 16, 17).",
		instructions: [
			"The tool leaves DFU (jumps to the application) and watches USB for a few seconds.",
			"Do not unplug the board while it watches.",
		],
		expect: "The application's own USB device appears and stays",
		answers: autoAnswers,
	},
];

/** BOOT0 instructions differ most between families: which pin, which option bits override it. */
const boot0ByFamily: StepDef["byFamily"] = {
	f2f4: {
		instructions: [
			"Measure BOOT0 (pin 60 on LQFP64, 94 on LQFP100) against GND while pressing and releasing reset.",
			"BOOT0 needs a pull-down (10 kOhm) to GND; a floating BOOT0 can read high.",
			"If BOOT0 is high, BOOT1 (PB2) selects: low = system memory (DFU), high = SRAM.",
		],
		expect: "0 V (below 0.3 x VDD, about 1 V at 3.3 V)",
	},
	f7: {
		instructions: [
			"Measure BOOT0 against GND while pressing and releasing reset.",
			"BOOT0 low boots from BOOT_ADD0, high from BOOT_ADD1 (option bytes; the tool decoded them).",
			"BOOT0 needs a pull-down (10 kOhm) to GND.",
		],
		expect: "0 V (below 0.3 x VDD)",
	},
	h7: {
		instructions: [
			"Measure the BOOT pin against GND while pressing and releasing reset.",
			"BOOT low boots from BOOT_ADD0, high from BOOT_ADD1 (option bytes; the tool decoded them).",
		],
		expect: "0 V (below 0.3 x VDD)",
	},
	g0: {
		instructions: [
			"BOOT0 is PA14 (shared with SWCLK). The pin counts only when nBOOT_SEL = 0;",
			"with nBOOT_SEL = 1 the nBOOT0 option bit decides (the tool decoded it).",
			"Measure PA14-BOOT0 at reset with no debugger attached.",
		],
		expect: "0 V at reset, or nBOOT_SEL = 1 with nBOOT0 = 1",
	},
	g4l4wb: {
		instructions: [
			"BOOT0 is PH3-BOOT0 (PB8-BOOT0 on some packages). It counts only when nSWBOOT0 = 1;",
			"with nSWBOOT0 = 0 the nBOOT0 option bit decides (the tool decoded it).",
			"Measure BOOT0 at reset. On a blank chip the empty-flash check starts the loader until a power cycle.",
		],
		expect: "0 V at reset, or nSWBOOT0 = 0 with nBOOT0 = 1",
	},
	other: {
		instructions: [
			"Measure BOOT0 against GND while pressing and releasing reset; it needs a pull-down.",
			"On parts with a BOOT1 pin (PB2) or nBOOT1 bit, it only matters when BOOT0 is high.",
		],
		expect: "0 V (below 0.3 x VDD)",
	},
};

const vdd = { unit: "V", min: 3.0, max: 3.6 };

export const MANUAL_STEPS: StepDef[] = [
	{
		id: "power-cycle",
		title: "Power cycle: does it boot on its own?",
		kind: "manual",
		why: "Leaving DFU jumps straight to the code and bypasses the boot pins; only a reset shows what the chip boots by itself (causes 1, 10, 15).",
		instructions: [
			"Unplug USB and every other supply, wait 2 seconds, plug in again. Do not touch BOOT or reset.",
			"Answer pass if the application runs (LED, its USB device, UART output).",
			"Answer fail if the DFU loader (0483:df11) shows up again, or nothing happens.",
		],
		expect: "The application starts by itself",
		answers: {
			pass: {
				status: "pass",
				meaning: "The board boots your code from reset: the boot path is fine.",
				advice:
					"If it failed before, the empty-flash flag or state left by the loader's jump was the cause.",
			},
			fail: {
				status: "fail",
				meaning:
					"The chip does not start your code from reset. If the DFU loader came back, BOOT0 (or an option bit) selects system memory.",
				advice: "Measure BOOT0 at reset next.",
				next: "boot0",
			},
			skip: { status: "skip", meaning: "Not power-cycled." },
		},
	},
	{
		id: "boot0",
		title: "BOOT0 (and BOOT1) low at reset",
		kind: "manual",
		why: "BOOT0 high, floating or shorted makes every reset start the ROM bootloader (cause 1).",
		instructions: ["Measure BOOT0 against GND while pressing and releasing reset."],
		expect: "0 V (below 0.3 x VDD)",
		measure: { what: "BOOT0 voltage at reset", range: { unit: "V", max: 0.9 } },
		answers: {
			pass: { status: "pass", meaning: "BOOT0 is low at reset: the chip boots from main flash." },
			fail: {
				status: "fail",
				meaning:
					"BOOT0 is high or floating: every reset starts the bootloader instead of your code.",
				advice:
					"Fit or fix the BOOT0 pull-down (10 kOhm to GND), check for a solder bridge to VDD, release any BOOT button.",
			},
			skip: { status: "skip", meaning: "BOOT0 not measured." },
		},
		byFamily: boot0ByFamily,
	},
	{
		id: "nrst",
		title: "NRST is not held low",
		kind: "manual",
		why: "A reset line held low (wrong pull-down, big capacitor, a probe) keeps the chip in reset.",
		instructions: [
			"Measure NRST against GND with the board powered and idle.",
			"NRST is open drain with an internal pull-up: only a 100 nF capacitor to GND belongs there, no pull-down.",
			"Disconnect debuggers and other boards that may drive NRST.",
		],
		expect: "About VDD (3.3 V); a short dip only when reset is pressed",
		measure: { what: "NRST voltage", range: { unit: "V", min: 2.3 } },
		answers: {
			pass: { status: "pass", meaning: "NRST is released: the chip is not held in reset." },
			fail: {
				status: "fail",
				meaning: "NRST is low: the chip is held in reset.",
				advice:
					"Remove any pull-down or large capacitor on NRST (100 nF only); check the reset button and any connected probe.",
			},
			skip: { status: "skip", meaning: "NRST not measured." },
		},
	},
	{
		id: "vdd",
		title: "VDD and VDDA rails",
		kind: "manual",
		why: "A missing VDDA or a low VDD keeps the chip in reset or makes it brown out.",
		instructions: [
			"Measure every VDD pin and VDDA against GND (VSSA must be connected to GND too).",
			"Enter the lowest reading.",
		],
		expect: "3.0 V to 3.6 V on every VDD and on VDDA",
		measure: { what: "lowest VDD/VDDA", range: vdd },
		answers: {
			pass: { status: "pass", meaning: "Supplies are in range." },
			fail: {
				status: "fail",
				meaning: "A supply rail is missing or out of range.",
				advice:
					"Check the regulator, every VDD/VSS pair and VDDA/VSSA (VDDA must be powered even without the ADC).",
			},
			skip: { status: "skip", meaning: "Supplies not measured." },
		},
	},
	{
		id: "vcap",
		title: "VCAP1/VCAP2 capacitors",
		kind: "manual",
		why: "Missing or wrong VCAP capacitors leave the core regulator unstable: the ROM loader may run while the app at full speed crashes (cause 8).",
		preconditions: { families: ["f2f4", "f7", "h7"] },
		instructions: [
			"Each VCAP pin needs 2.2 uF low-ESR ceramic to GND (one 4.7 uF when the package has one VCAP).",
			"Measure VCAP1 and VCAP2 against GND while the board runs.",
			"If the package has BYPASS_REG, it must be tied low.",
		],
		expect: "About 1.2 V on each VCAP pin",
		measure: { what: "VCAP voltage", range: { unit: "V", min: 1.08, max: 1.4 } },
		answers: {
			pass: { status: "pass", meaning: "The core regulator output is present." },
			fail: {
				status: "fail",
				meaning: "The core regulator output is missing or wrong.",
				advice:
					"Fit 2.2 uF low-ESR ceramic on each VCAP pin (check the value: 2.2 uF, not 2.2 nF), tie BYPASS_REG low.",
			},
			skip: { status: "skip", meaning: "VCAP not measured." },
		},
		byFamily: {
			h7: {
				instructions: [
					"Each VCAP pin needs its capacitor to GND (see the datasheet's power supply scheme; LDO or SMPS).",
					"Measure VCAP against GND while the board runs.",
				],
				expect: "About 1.2 V (VOS scale dependent) on VCAP",
			},
		},
	},
	{
		id: "hse",
		title: "HSE crystal and load capacitors",
		kind: "manual",
		why: "An HSE that does not start makes a HAL SystemClock_Config loop forever (cause 7).",
		instructions: [
			"Check the crystal frequency printed on the part against HSE_VALUE in the firmware.",
			"Check both load capacitors (typically 10-22 pF) and the crystal's ground.",
			"With a scope (10x probe) on OSC_OUT, look for a clean sine at the crystal frequency.",
		],
		expect: "The crystal matches HSE_VALUE and oscillates",
		answers: {
			pass: {
				status: "pass",
				meaning: "The HSE oscillates at the frequency the firmware expects.",
			},
			fail: {
				status: "fail",
				meaning: "The HSE does not start, or runs at another frequency than the firmware expects.",
				advice:
					"Fix the crystal/load capacitors or HSE_VALUE, then try a build that runs on HSI only.",
				next: "hsi-build",
			},
			skip: {
				status: "skip",
				meaning: "HSE not checked.",
				advice: "A quick test without a scope: flash a build that uses only HSI.",
				next: "hsi-build",
			},
		},
		byFamily: {
			f2f4: {
				expect:
					"The crystal matches HSE_VALUE (the F2/F4 ROM DFU needs an HSE that is a multiple of 1 MHz, so if DFU works the HSE starts)",
			},
			f7: {
				expect:
					"The crystal matches HSE_VALUE (the F7 ROM DFU needs an HSE that is a multiple of 1 MHz, so if DFU works the HSE starts)",
			},
		},
	},
	{
		id: "hsi-build",
		title: "Try a build that runs on HSI only",
		kind: "manual",
		why: "If an HSI-only build runs, the clock setup (HSE, PLL, flash wait states) is the problem.",
		preconditions: { after: { step: "hse", status: ["fail", "skip"] } },
		instructions: [
			"Build a blinky that keeps the reset clock (HSI, no PLL) and flash it.",
			"Answer pass if it runs.",
		],
		expect: "The HSI-only build runs",
		answers: {
			pass: {
				status: "pass",
				meaning: "The chip runs on HSI: the clock configuration of your firmware is at fault.",
				advice: "Check HSE_VALUE, PLL settings, flash wait states and the HSE startup timeout.",
			},
			fail: {
				status: "fail",
				meaning: "Even an HSI-only build does not run: the clock is not the problem.",
			},
			skip: { status: "skip", meaning: "Not tried." },
		},
	},
	{
		id: "brown-out",
		title: "No brown-out on USB power",
		kind: "manual",
		why: "A weak 5 V to 3.3 V path, inrush from a radio or motor, or a high BOR level resets the chip (cause 14).",
		instructions: [
			"Power the board from a bench supply (3.3 V on VDD, or 5 V on the regulator input) instead of USB.",
			"If you have a scope, trigger on VDD falling below 3.0 V at power-up and when the app starts.",
			"Enter the lowest VDD you see while the app starts, or answer pass if it runs on the bench supply.",
		],
		expect: "VDD stays above the BOR threshold (2.7 V at BOR level 3)",
		measure: { what: "lowest VDD while starting", range: { unit: "V", min: 2.9 } },
		answers: {
			pass: { status: "pass", meaning: "The supply holds while the application starts." },
			fail: {
				status: "fail",
				meaning: "VDD dips: the chip resets by brown-out.",
				advice:
					"Use a stronger regulator or more bulk capacitance, start loads later, or lower BOR_LEV in the option bytes.",
			},
			skip: { status: "skip", meaning: "Not tried." },
		},
	},
	{
		id: "led",
		title: "LED orientation (is the app running?)",
		kind: "manual",
		why: "A board that looks dead may run fine with its LED reversed or on another pin (cause 16).",
		instructions: [
			"Check the LED's polarity (cathode mark) and series resistor against the schematic.",
			"Check the pin and active level the firmware drives; a UART print or a scope on the pin also tells.",
		],
		expect: "The LED or another sign of life shows the app runs",
		answers: {
			pass: {
				status: "pass",
				meaning: "The app runs: the problem is in its outputs (USB, LED), not the boot.",
			},
			fail: {
				status: "fail",
				meaning: "No sign of life from the app.",
				advice: "Continue with the package marking and errata checks.",
			},
			skip: { status: "skip", meaning: "Not checked." },
		},
	},
	{
		id: "marking",
		title: "Package marking matches the part",
		kind: "manual",
		why: "A different or counterfeit part than the firmware was built for does not run it (cause 4).",
		instructions: [
			"Read the marking on the chip (part number, revision letter, date code) with a magnifier.",
			"Compare it with the part the firmware and linker script target.",
		],
		expect: "The part number the firmware was built for",
		answers: {
			pass: { status: "pass", meaning: "The part matches." },
			fail: {
				status: "fail",
				meaning: "The part on the board is not the one the firmware targets.",
				advice: "Rebuild for the fitted part (linker script, startup file, defines).",
			},
			skip: { status: "skip", meaning: "Not checked." },
		},
	},
	{
		id: "errata",
		title: "Errata for this revision",
		kind: "manual",
		why: "Silicon revisions have known limitations (flash, USB, bootloader) that can stop a boot.",
		instructions: [
			"Find the revision letter in the marking and open the part's errata sheet (ES) on st.com.",
			"Look for limitations in boot, flash, reset, PLL and USB.",
		],
		expect: "No erratum that matches the symptom",
		byFamily: {
			f2f4: {
				instructions: [
					"Find the revision letter in the marking (e.g. A, Z, Y, 1, 3 on F40x) and open the part's errata sheet (ES0182 for STM32F405/407/415/417).",
					"Look for limitations in boot, flash, reset, PLL and USB OTG.",
				],
			},
		},
		answers: {
			pass: { status: "pass", meaning: "No matching erratum." },
			fail: {
				status: "fail",
				meaning: "An erratum matches the symptom.",
				advice: "Apply the workaround from the errata sheet.",
			},
			skip: { status: "skip", meaning: "Not checked." },
		},
	},
];

export const CHECKLIST: StepDef[] = [...AUTO_STEPS, ...MANUAL_STEPS];

/** After an automatic verdict, the manual step that confirms or fixes it comes first. */
export const CAUSE_FOCUS: Partial<Record<Cause, string>> = {
	boot0: "boot0",
	"empty-flash": "boot0",
	"boot-option": "boot0",
	"reset-loop": "brown-out",
	"brown-out": "brown-out",
	"no-usb-in-app": "led",
	"wrong-family": "marking",
};

/** Family name as the chips module spells it ("F4", "STM32F405/407", "L4+") → its group. */
export function familyGroup(family: string | undefined): FamilyGroup {
	const f = (family ?? "").toUpperCase().replace(/^STM32/, "");
	if (/^F[24]/.test(f)) return "f2f4";
	if (f.startsWith("F7")) return "f7";
	if (f.startsWith("H7")) return "h7";
	if (/^(G0|C0)/.test(f)) return "g0";
	if (/^(G4|L4|WB)/.test(f)) return "g4l4wb";
	return "other";
}
