/**
 * Per STM32 die (family and DBGMCU device ID), where its main flash starts and the flash sizes
 * its parts have: what naming a DFU device from its ROM loader asks of the generated chip data
 * (docs/chip-data.md). A few KB, so `list` reads it without loading the full data.
 */
import { STM32_DIES } from "./generated/stm32-dies.js";
import { shortFamily } from "./stm32-part.js";

export interface DieFacts {
	/** Start of the main flash. */
	flash: number;
	/** Main flash sizes of the die's parts, in KB, ascending. */
	flashKb: readonly number[];
}

let byKey: Map<string, DieFacts> | undefined;

/** The die `deviceId` of the short family ("F4") in the data, or undefined. */
export function dieFacts(family: string, deviceId: number): DieFacts | undefined {
	byKey ??= new Map(STM32_DIES.map((d) => [`${shortFamily(d.family)}|${d.deviceId}`, d]));
	return byKey.get(`${family}|${deviceId}`);
}
