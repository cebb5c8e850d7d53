/**
 * The frame every operation runs in: flash.planned first, phases in order, flash.finished exactly
 * once (events.ts documents this order), stats measured on the session's clock, and the device
 * brought back to dfuIDLE after a failure when it is still there.
 */
import { errorInfo } from "../errors.js";
import type { FlashPhase, FlashPlanSummary, SectorState } from "../store/events.js";
import { DeviceGoneError } from "./errors.js";
import type { DfuSession } from "./session.js";

export interface JobStats {
	controlTransfers: number;
	getStatus: number;
	elapsedMs: number;
}

export interface JobContext {
	readonly job: string;
	readonly session: DfuSession;
	/** Runs one phase between flash.phase started and finished/failed. */
	phase<T>(phase: FlashPhase, total: number, body: () => Promise<T>): Promise<T>;
	progress(phase: FlashPhase, done: number, total: number, address?: number): void;
	sector(address: number, size: number, state: Exclude<SectorState, "planned">): void;
}

export async function runJob<T>(
	session: DfuSession,
	summary: FlashPlanSummary,
	job: string | undefined,
	body: (ctx: JobContext) => Promise<T>,
	options: { announced?: boolean } = {},
): Promise<{ job: string; result: T; stats: JobStats }> {
	const id = job ?? session.newJob();
	const source = session.source;
	const t = session.transport;
	const start = {
		transfers: t.controlTransfers,
		status: t.getStatusCount,
		at: session.clock.now(),
	};
	const stats = (): JobStats => ({
		controlTransfers: t.controlTransfers - start.transfers,
		getStatus: t.getStatusCount - start.status,
		elapsedMs: session.clock.now() - start.at,
	});
	// A job planned for a confirmation was recorded then; a job records its plan once.
	if (!options.announced)
		session.emit({
			type: "flash.planned",
			source,
			job: id,
			device: session.deviceKey,
			plan: summary,
		});
	const previousJob = session.job;
	session.attachJob(id);
	const ctx: JobContext = {
		job: id,
		session,
		async phase(phase, total, run) {
			session.emit({ type: "flash.phase", source, job: id, phase, status: "started", total });
			try {
				const result = await run();
				session.emit({ type: "flash.phase", source, job: id, phase, status: "finished" });
				return result;
			} catch (error) {
				session.emit({
					type: "flash.phase",
					source,
					job: id,
					phase,
					status: "failed",
					error: errorInfo(error),
				});
				throw error;
			}
		},
		progress(phase, done, total, address) {
			session.emit({
				type: "flash.progress",
				source,
				job: id,
				phase,
				done,
				total,
				...(address !== undefined ? { address } : {}),
			});
		},
		sector(address, size, state) {
			session.emit({ type: "flash.sector", source, job: id, address, size, state });
		},
	};
	try {
		const result = await body(ctx);
		session.emit({ type: "flash.finished", source, job: id, ok: true, stats: stats() });
		return { job: id, result, stats: stats() };
	} catch (error) {
		if (!(error instanceof DeviceGoneError)) await session.tryRecover();
		session.emit({
			type: "flash.finished",
			source,
			job: id,
			ok: false,
			error: errorInfo(error),
			stats: stats(),
		});
		throw error;
	} finally {
		session.attachJob(previousJob);
	}
}
