/**
 * Time the chip itself needs, from the profile's datasheet figures, and the USB time of a
 * control transfer. The figures and their sources: docs/flash-timing.md.
 */
import type { ChipProfile, FlashTimingRow, Parallelism } from "./profiles.js";

/**
 * One full-speed control-transfer transaction (setup, each 64-byte data packet, status) costs
 * 1/13 ms: USB 2.0 §5.5.4 allows at most 13 control transactions with 64-byte payloads per 1 ms
 * frame at full speed, which is also the best any host controller can schedule. The model counts
 * setup + ceil(len/64) data packets (at least one, a zero-length one for an empty IN) + status.
 * Host-side latency (frame alignment, OS) is the tool's time, not the chip's, so it is left out.
 */
export const FULL_SPEED_TRANSACTION_MS = 1 / 13;

export function controlTransferMs(dataLength: number, hasDataStage: boolean): number {
	const dataPackets = hasDataStage ? Math.max(1, Math.ceil(dataLength / 64)) : 0;
	return (2 + dataPackets) * FULL_SPEED_TRANSACTION_MS;
}

function row(profile: ChipProfile, parallelism: Parallelism): FlashTimingRow {
	const found =
		profile.timing.rows[parallelism] ?? profile.timing.rows[profile.timing.defaultParallelism];
	if (!found) throw new Error(`${profile.id}: no timing row for x${parallelism}`);
	return found;
}

export function sectorEraseMs(profile: ChipProfile, sectorSize: number, p: Parallelism): number {
	const r = row(profile, p);
	const kib = sectorSize / 1024;
	const exact = r.eraseMsBySectorKiB[kib];
	if (exact !== undefined) return exact;
	// Sizes the table lacks scale linearly from the nearest listed size.
	const [size, ms] = Object.entries(r.eraseMsBySectorKiB)
		.map(([k, v]) => [Number(k), v] as const)
		.sort((a, b) => Math.abs(a[0] - kib) - Math.abs(b[0] - kib))[0]!;
	return (ms * kib) / size;
}

export function massEraseMs(profile: ChipProfile, p: Parallelism): number {
	return row(profile, p).massEraseMs;
}

/** Programming `bytes` bytes: one program operation per parallelism unit. */
export function programMs(profile: ChipProfile, bytes: number, p: Parallelism): number {
	const r = row(profile, p);
	return (Math.ceil(bytes / r.programUnitBytes) * r.programUs) / 1000;
}
