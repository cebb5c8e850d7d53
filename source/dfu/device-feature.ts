/**
 * The F2/F4/F7 ROM loaders program flash byte by byte unless told the supply voltage: a virtual
 * 4-byte word at 0xFFFF0000, exposed as the "@Device Feature" alt setting, selects the range
 * (AN2606 Table 4). Writing 0x03 (2.7-3.6 V) lets the loader program 32 bits at a time. Only the
 * caller knows the board's VDD, so this is never done implicitly.
 */
import { hex } from "../errors.js";
import { setAddress, writeDataBlock } from "./dfuse.js";
import { DfuUnsupportedError } from "./errors.js";
import { altKind } from "./layout.js";
import { FIRST_DATA_BLOCK } from "./plan.js";
import type { DfuSession } from "./session.js";

export const DEVICE_FEATURE_ADDRESS = 0xffff0000;

/** AN2606 Table 4 codes. */
export const VoltageRange = {
	"1.8-2.1V": 0,
	"2.1-2.4V": 1,
	"2.4-2.7V": 2,
	"2.7-3.6V": 3,
	"2.7-3.6V+VPP": 4,
} as const;
export type VoltageRangeCode = (typeof VoltageRange)[keyof typeof VoltageRange];

const LABELS = Object.fromEntries(Object.entries(VoltageRange).map(([k, v]) => [v, k]));

export function voltageRangeLabel(range: VoltageRangeCode): string {
	return LABELS[range] ?? String(range);
}

/** Whether the loader exposes the Device Feature word (F2/F4/F7 ROM loaders). */
export function hasDeviceFeature(session: DfuSession): boolean {
	return session.info.alts.some((a) => altKind(a) === "device-feature");
}

/** Writes the voltage range to the Device Feature word, then returns to the alt that was selected. */
export async function setVoltageRange(session: DfuSession, range: VoltageRangeCode): Promise<void> {
	const feature = session.info.alts.find((a) => altKind(a) === "device-feature");
	if (!feature)
		throw new DfuUnsupportedError(
			"this loader has no Device Feature alt setting (voltage range)",
			{},
			"Only F2/F4/F7 ROM loaders have it; flash without a voltage range.",
		);
	const previous = session.alt.alt;
	await session.selectAlt(feature.alt);
	try {
		await setAddress(session, DEVICE_FEATURE_ADDRESS);
		await writeDataBlock(session, FIRST_DATA_BLOCK, Uint8Array.of(range, 0xff, 0xff, 0xff), {
			operation: "voltage range write",
			address: DEVICE_FEATURE_ADDRESS,
			block: FIRST_DATA_BLOCK,
		});
		await session.ensureIdle();
	} finally {
		await session.selectAlt(previous);
	}
	session.log(
		"info",
		`voltage range ${LABELS[range]} written to ${hex(DEVICE_FEATURE_ADDRESS)}: the loader programs wider words`,
	);
}
