/**
 * DFU_DETACH for a device in run-time mode: it re-enumerates in DFU mode.
 */
import { DeviceGoneError, DfuTransferError } from "./errors.js";
import { runJob } from "./job.js";
import { DfuStallError } from "./requests.js";
import type { DfuSession } from "./session.js";

/**
 * DFU_DETACH for a run-time device: it re-enumerates in DFU mode. Without bitWillDetach the host
 * must reset the bus itself. A device that vanishes meanwhile did what was asked.
 */
export async function detach(
	session: DfuSession,
	options: { timeoutMs?: number; job?: string } = {},
): Promise<void> {
	const functional = session.functional;
	const timeout = options.timeoutMs ?? Math.min(functional?.detachTimeout ?? 1000, 1000);
	await runJob(
		session,
		{
			operation: "detach",
			alt: session.alt.alt,
			altName: session.alt.name,
			ranges: [],
			sectors: [],
			totalBytes: 0,
			transferSize: session.transferSize,
			verify: false,
			leave: false,
		},
		options.job,
		(ctx) =>
			ctx.phase("detach", 0, async () => {
				try {
					await session.transport.detach(timeout);
					if (!functional?.willDetach) await session.device.reset();
				} catch (error) {
					if (error instanceof DeviceGoneError) return;
					if (error instanceof DfuTransferError && !(error instanceof DfuStallError)) {
						session.log("info", `detach: ${error.message} (the device is re-enumerating)`);
						return;
					}
					throw error;
				}
			}),
	);
}
