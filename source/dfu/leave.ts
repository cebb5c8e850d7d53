/**
 * Leaving DFU mode: point at the application and send a zero-length DNLOAD; the loader jumps
 * there. It is not manifestation-tolerant, so the device disappearing, or a failing final
 * GETSTATUS, is success (docs/dfuse-protocol.md §1b "Leave").
 */
import { hex } from "../errors.js";
import { setAddress } from "./dfuse.js";
import { DeviceGoneError, DfuStatusError, DfuTransferError } from "./errors.js";
import { type JobStats, runJob } from "./job.js";
import type { DfuSession } from "./session.js";
import { DfuState } from "./status.js";

/**
 * Zero-length DNLOAD after pointing at `address`: the loader jumps there. The device vanishing,
 * or a failing final GETSTATUS, is the expected outcome — not an error.
 */
export async function leaveTo(session: DfuSession, address: number): Promise<"left" | "manifest"> {
	await setAddress(session, address);
	const site = { operation: "leave", address };
	const t = session.transport;
	try {
		await t.dnload(0, new Uint8Array(0), site);
	} catch (error) {
		if (error instanceof DeviceGoneError) return "left";
		throw error;
	}
	let s: Awaited<ReturnType<typeof t.getStatus>>;
	try {
		s = await t.getStatus(site);
	} catch (error) {
		if (error instanceof DeviceGoneError || error instanceof DfuTransferError) {
			session.log("debug", "leave: the device stopped answering after the jump (expected)");
			return "left";
		}
		throw error;
	}
	if (s.state === DfuState.dfuERROR || s.status !== 0) throw new DfuStatusError(site, s);
	if (
		s.state !== DfuState.dfuMANIFEST &&
		s.state !== DfuState.dfuMANIFEST_SYNC &&
		s.state !== DfuState.dfuMANIFEST_WAIT_RESET
	)
		throw new DfuStatusError(site, s, "dfuMANIFEST");
	return "manifest";
}

/** Leave DFU mode: jump to `address` (default: the start of the alt's memory). */
export async function leave(
	session: DfuSession,
	options: { address?: number; job?: string } = {},
): Promise<{ job: string; stats: JobStats }> {
	const address = options.address ?? session.layout?.segments[0]?.start ?? 0x08000000;
	const { job, stats } = await runJob(
		session,
		{
			operation: "leave",
			alt: session.alt.alt,
			altName: session.alt.name,
			ranges: [{ address, size: 0 }],
			sectors: [],
			totalBytes: 0,
			transferSize: session.transferSize,
			verify: false,
			leave: true,
		},
		options.job,
		(ctx) =>
			ctx.phase("leave", 0, async () => {
				await leaveTo(session, address);
				session.log("info", `left DFU mode, jumping to ${hex(address)}`);
			}),
	);
	return { job, stats };
}
