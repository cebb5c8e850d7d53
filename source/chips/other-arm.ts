import { at, ram } from "./facts-helpers.js";
import type { AddressFact, RamRegion } from "./types.js";

/**
 * Cortex-M parts that are not STM32, described only by the addresses their firmware touches,
 * so that an image built for them is called what it is instead of a wrong STM32 family.
 */
export interface OtherArmFacts {
	name: string;
	vendor: string;
	flashBase: number;
	ram: RamRegion[];
	peripherals: AddressFact[];
	registers: AddressFact[];
	/** Something in the image layout itself (RP2040's 256-byte boot2 before the vectors). */
	note?: string;
}

const NRF = "nRF52832 Product Specification v1.4 §4.2 memory map / §18 GPIO / §20 CLOCK";
const SAMD = "SAM D21 datasheet DS40001882 §10.2 product mapping / §23 PORT / §16 PM / §15 GCLK";
const LPC17 = "UM10360 (LPC176x/5x) §2.3 memory map, §4 clocking (PCONP), §9 GPIO";
const LPC11 = "UM10398 (LPC111x/LPC11Cxx) §2.2 memory map, §3 SYSCON, §12 GPIO";
const RP = "RP2040 datasheet §2.2 address map, §2.3.1 SIO, §2.14 RESETS, §2.15 CLOCKS";

export const OTHER_ARM: readonly OtherArmFacts[] = [
	{
		name: "nRF52",
		vendor: "Nordic",
		flashBase: 0x00000000,
		ram: [ram("RAM", 0x20000000, 256, "sram", NRF)],
		peripherals: [
			at("CLOCK", 0x40000000, NRF),
			at("NVMC", 0x4001e000, NRF),
			at("P0", 0x50000000, NRF),
			at("FICR", 0x10000000, NRF),
			at("UICR", 0x10001000, NRF),
		],
		registers: [
			at("CLOCK_EVENTS_HFCLKSTARTED", 0x40000100, NRF),
			at("P0_OUT", 0x50000504, NRF),
			at("P0_OUTSET", 0x50000508, NRF),
			at("P0_OUTCLR", 0x5000050c, NRF),
			at("P0_DIR", 0x50000514, NRF),
			at("P0_DIRSET", 0x50000518, NRF),
			at("P0_PIN_CNF0", 0x50000700, NRF),
		],
	},
	{
		name: "SAMD21",
		vendor: "Microchip (Atmel)",
		flashBase: 0x00000000,
		ram: [ram("SRAM", 0x20000000, 32, "sram", SAMD)],
		peripherals: [
			at("PM", 0x40000400, SAMD),
			at("SYSCTRL", 0x40000800, SAMD),
			at("GCLK", 0x40000c00, SAMD),
			at("NVMCTRL", 0x41004000, SAMD),
			at("PORT", 0x41004400, SAMD),
		],
		registers: [
			at("PM_APBBMASK", 0x4000041c, SAMD),
			at("PORT_DIRSET", 0x41004408, SAMD),
			at("PORT_OUTSET", 0x41004418, SAMD),
			at("PORT_OUTTGL", 0x4100441c, SAMD),
		],
	},
	{
		name: "LPC17xx",
		vendor: "NXP",
		flashBase: 0x00000000,
		ram: [
			ram("Local SRAM", 0x10000000, 32, "sram", LPC17),
			ram("AHB SRAM", 0x2007c000, 32, "sram", LPC17),
		],
		peripherals: [at("SYSCON", 0x400fc000, LPC17), at("GPIO", 0x2009c000, LPC17)],
		registers: [
			at("PCONP", 0x400fc0c4, LPC17),
			at("SCS", 0x400fc1a0, LPC17),
			at("FIO1DIR", 0x2009c020, LPC17),
			at("FIO1SET", 0x2009c038, LPC17),
			at("FIO1CLR", 0x2009c03c, LPC17),
		],
	},
	{
		name: "LPC11xx",
		vendor: "NXP",
		flashBase: 0x00000000,
		ram: [ram("SRAM", 0x10000000, 8, "sram", LPC11)],
		peripherals: [at("SYSCON", 0x40048000, LPC11), at("GPIO0", 0x50000000, LPC11)],
		registers: [at("SYSAHBCLKCTRL", 0x40048080, LPC11), at("GPIO0DIR", 0x50008000, LPC11)],
	},
	{
		name: "RP2040",
		vendor: "Raspberry Pi",
		flashBase: 0x10000000,
		ram: [ram("SRAM", 0x20000000, 264, "sram", RP)],
		peripherals: [
			at("CLOCKS", 0x40008000, RP),
			at("RESETS", 0x4000c000, RP),
			at("IO_BANK0", 0x40014000, RP),
			at("PADS_BANK0", 0x4001c000, RP),
			at("SIO", 0xd0000000, RP),
			at("XIP_SSI", 0x18000000, RP),
		],
		registers: [
			at("RESETS_RESET (clear alias)", 0x4000f000, RP),
			at("SIO_GPIO_OUT_XOR", 0xd000001c, RP),
			at("SIO_GPIO_OE_SET", 0xd0000024, RP),
			at("SIO_GPIO_OUT_SET", 0xd0000014, RP),
		],
		note: "flash at 0x10000000 starts with a 256-byte second-stage loader (boot2); the vector table follows at 0x10000100",
	},
];

/** Cortex-M system registers (same address on every vendor's part). */
export const ARM_SYSTEM = {
	CPACR: at(
		"SCB_CPACR",
		0xe000ed88,
		"ARMv7-M ARM §B3.2.20 (Coprocessor Access Control: FPU enable)",
	),
	VTOR: at("SCB_VTOR", 0xe000ed08, "ARMv7-M ARM §B3.2.5"),
	ICIALLU: at(
		"ICIALLU",
		0xe000ef50,
		"ARMv7-M ARM §B3.2.2 cache maintenance; present on Cortex-M7 (F7/H7)",
	),
	CCSIDR: at("SCB_CCSIDR", 0xe000ed80, "Cortex-M7 TRM §4.1 (cache size ID, M7 only)"),
	SAU_CTRL: at(
		"SAU_CTRL",
		0xe000edd0,
		"ARMv8-M ARM (Security Attribution Unit, Cortex-M33 with TrustZone)",
	),
} as const;
