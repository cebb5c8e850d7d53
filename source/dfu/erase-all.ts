/**
 * The whole-chip operations: DfuSe mass erase and Read Unprotect. Both destroy the flash, so both
 * refuse to run without the caller's explicit `confirmed: true`.
 */
import type { FlashPlanSummary } from "../store/events.js";
import { massEraseCommand, readUnprotectCommand } from "./dfuse.js";
import { ConfirmationRequiredError, DeviceGoneError } from "./errors.js";
import { type JobStats, runJob } from "./job.js";
import { pagesTouching } from "./layout.js";
import type { DfuSession } from "./session.js";

function wholeChipSummary(session: DfuSession, operation: "erase" | "unprotect"): FlashPlanSummary {
	const layout = session.layout;
	const sectors = layout
		? layout.segments.flatMap((s) =>
				s.erasable
					? pagesTouching(layout, s.start, s.count * s.pageSize).map((p) => ({
							address: p.address,
							size: p.size,
							erase: true,
						}))
					: [],
			)
		: [];
	return {
		operation,
		alt: session.alt.alt,
		altName: session.alt.name,
		ranges: [],
		sectors,
		totalBytes: sectors.reduce((sum, s) => sum + s.size, 0),
		transferSize: session.transferSize,
		verify: false,
		leave: false,
	};
}

export interface ConfirmedOptions {
	/** Destructive: the caller has asked the user and got a yes. */
	confirmed: boolean;
	job?: string;
}

/** DfuSe mass erase (0x41 alone): every erasable sector of the chip. */
export async function massErase(
	session: DfuSession,
	options: ConfirmedOptions,
): Promise<{ job: string; stats: JobStats }> {
	if (options.confirmed !== true)
		throw new ConfirmationRequiredError("mass erase", "it erases the whole flash");
	const summary = wholeChipSummary(session, "erase");
	const { job, stats } = await runJob(session, summary, options.job, (ctx) =>
		ctx.phase("mass-erase", summary.totalBytes, async () => {
			await massEraseCommand(session);
			for (const s of summary.sectors) ctx.sector(s.address, s.size, "erased");
			ctx.progress("mass-erase", summary.totalBytes, summary.totalBytes);
		}),
	);
	return { job, stats };
}

/**
 * Read Unprotect (0x92): removes read protection, which mass-erases the flash; the chip then
 * resets by itself and re-enumerates (keep BOOT0 high to get the loader back).
 */
export async function readUnprotect(
	session: DfuSession,
	options: ConfirmedOptions,
): Promise<{ job: string; stats: JobStats }> {
	if (options.confirmed !== true)
		throw new ConfirmationRequiredError(
			"read unprotect",
			"removing read protection mass-erases the whole flash",
		);
	const summary = wholeChipSummary(session, "unprotect");
	const { job, stats } = await runJob(session, summary, options.job, (ctx) =>
		ctx.phase("unprotect", 0, async () => {
			try {
				await readUnprotectCommand(session);
			} catch (error) {
				if (!(error instanceof DeviceGoneError)) throw error;
			}
			session.log("info", "device disconnects, erases flash and resets now");
		}),
	);
	return { job, stats };
}
