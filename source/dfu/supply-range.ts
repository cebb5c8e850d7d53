/**
 * The board's supply voltage as the F2/F4/F7 ROM loaders want it (AN2606 Table 4, the Device
 * Feature word), and what it changes: the flash's program/erase parallelism (RM0090 §3.5.1
 * Table 8) and so the time a flash takes. Pure: docs/flash-timing.md has the figures and sources.
 */
import { UsageError } from "../errors.js";
import type { VoltageRangeCode } from "./device-feature.js";
import type { FlashPlan } from "./plan.js";

/** AN2606 Table 4 ranges by their lower bound; the top one ends at 3.6 V. */
const RANGES: { from: number; code: VoltageRangeCode; parallelism: 8 | 16 | 32 }[] = [
	{ from: 2.7, code: 3, parallelism: 32 },
	{ from: 2.4, code: 2, parallelism: 16 },
	{ from: 2.1, code: 1, parallelism: 16 },
	{ from: 1.8, code: 0, parallelism: 8 },
];

/** The supplies the ranges cover (AN2606 Table 4). */
export const MIN_VOLTS = 1.8;
export const MAX_VOLTS = 3.6;

/** "3.3", "3.3V", "3.3 v" → 3.3; anything else, or outside 1.8-3.6 V: undefined. */
export function voltsFrom(text: string): number | undefined {
	const match = /^\s*(\d+(?:\.\d+)?)\s*v?\s*$/i.exec(text);
	const volts = match ? Number(match[1]) : Number.NaN;
	return Number.isFinite(volts) && volts >= MIN_VOLTS && volts <= MAX_VOLTS ? volts : undefined;
}

/** --voltage: as voltsFrom, and anything else is a usage error. */
export function parseVolts(text: string): number {
	const volts = voltsFrom(text);
	if (volts === undefined)
		throw new UsageError(
			`--voltage ${text}: give the board's supply in volts, 1.8 to 3.6 (e.g. --voltage 3.3)`,
			{ value: text },
			"It selects the loader's programming width (AN2606 Device Feature); --voltage none forgets a remembered one.",
		);
	return volts;
}

/** The Device Feature code for a supply voltage (AN2606 Table 4). */
export function rangeForVolts(volts: number): VoltageRangeCode {
	return (RANGES.find((r) => volts >= r.from) ?? RANGES.at(-1)!).code;
}

/** Program/erase parallelism in bits the loader uses with that range (RM0090 Table 8). */
export function parallelismFor(range: VoltageRangeCode | undefined): 8 | 16 | 32 {
	return RANGES.find((r) => r.code === range)?.parallelism ?? 8;
}

/**
 * Typical F4 figures (DS8626 "Flash memory programming"): one program operation per parallelism
 * unit takes 16 µs; sector erase by size and parallelism. Used for the F2 and F7 as well, whose
 * tables are close (docs/flash-timing.md); an estimate, not a promise.
 */
const PROGRAM_US = 16;
const ERASE_MS: Record<8 | 16 | 32, Record<number, number>> = {
	8: { 16: 400, 64: 1200, 128: 2000 },
	16: { 16: 300, 64: 700, 128: 1300 },
	32: { 16: 250, 64: 550, 128: 1000 },
};
/** USB full speed: at most 13 64-byte control transactions per 1 ms frame (USB 2.0 §5.5.4). */
const BYTES_PER_MS = 13 * 64;

function eraseMs(sizeBytes: number, parallelism: 8 | 16 | 32): number {
	const table = ERASE_MS[parallelism];
	const kib = sizeBytes / 1024;
	if (table[kib] !== undefined) return table[kib]!;
	// Sizes the table lacks (the F7's 32 and 256 KiB sectors) scale from the 128 KiB figure.
	return (table[128]! * kib) / 128;
}

export interface FlashEstimate {
	/** Byte-wise, as the loader programs until told the supply range. */
	bytewiseMs: number;
	/** With the 2.7-3.6 V range (32-bit words). */
	wordMs: number;
	/** With the range asked for, when one was. */
	rangedMs?: number;
}

/**
 * Expected time of a plan on an F2/F4/F7 loader at both widths: erase, program, and the bus time
 * of writing, comparing and verifying. The compare of a delta flash is counted in full (it reads
 * every touched sector) and its skips are not guessed.
 */
export function estimateFlash(plan: FlashPlan, range?: VoltageRangeCode): FlashEstimate {
	const compared = plan.summary.compare
		? plan.sectors.reduce((sum, s) => sum + (s.erase ? s.size : 0), 0)
		: 0;
	const verified = plan.verify.reduce((sum, r) => sum + r.length, 0);
	const busMs = (plan.totalBytes + compared + verified) / BYTES_PER_MS;
	const at = (p: 8 | 16 | 32) =>
		plan.erase.reduce((sum, s) => sum + eraseMs(s.size, p), 0) +
		(Math.ceil(plan.totalBytes / (p / 8)) * PROGRAM_US) / 1000 +
		busMs;
	return {
		bytewiseMs: at(8),
		wordMs: at(32),
		...(range !== undefined ? { rangedMs: at(parallelismFor(range)) } : {}),
	};
}
