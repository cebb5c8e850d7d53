/**
 * Plain DFU 1.1 (devices without ST's DfuSe extensions): download in blocks numbered 0, 1, 2, …,
 * a zero-length DNLOAD, then manifestation (docs/dfuse-protocol.md §1f); upload from block 0 until a short one.
 */
import {
	DeviceGoneError,
	DfuStatusError,
	DfuTransferError,
	DfuUnsupportedError,
	type FailureSite,
} from "./errors.js";
import { type JobContext, type JobStats, runJob } from "./job.js";
import { DfuStallError } from "./requests.js";
import type { DfuSession } from "./session.js";
import { DfuState } from "./status.js";
import { explainStall } from "./upload.js";

/** Polls after a plain DFU block until dfuDNLOAD-IDLE; errors name the block. */
async function plainBlock(
	session: DfuSession,
	blockNum: number,
	data: Uint8Array,
	site: FailureSite,
) {
	const t = session.transport;
	await t.dnload(blockNum, data, site);
	const first = await t.getStatus(site);
	const final = await session.pollWhileBusy(first, site, session.busyLimits.erase);
	if (final.state === DfuState.dfuERROR || final.status !== 0)
		throw new DfuStatusError(site, final);
	if (final.state !== DfuState.dfuDNLOAD_IDLE)
		throw new DfuStatusError(site, final, "dfuDNLOAD-IDLE");
}

/**
 * Manifestation after the zero-length DNLOAD (docs/dfuse-protocol.md §1f): MANIFEST-SYNC/MANIFEST → keep
 * polling; dfuIDLE (manifestation-tolerant) or MANIFEST-WAIT-RESET → done, the latter with a USB
 * reset; a device that disappears has manifested and reset itself.
 */
async function manifest(session: DfuSession, blockNum: number): Promise<void> {
	const t = session.transport;
	const site = { operation: "manifest" };
	try {
		await t.dnload(blockNum, new Uint8Array(0), site);
		for (let step = 0; step < 64; step++) {
			const s = await t.getStatus(site);
			if (s.state === DfuState.dfuIDLE && s.status === 0) return;
			if (s.state === DfuState.dfuMANIFEST_WAIT_RESET) {
				await session.device.reset().catch(() => {});
				return;
			}
			if (s.state === DfuState.dfuERROR || s.status !== 0) throw new DfuStatusError(site, s);
			if (s.state !== DfuState.dfuMANIFEST && s.state !== DfuState.dfuMANIFEST_SYNC)
				throw new DfuStatusError(site, s, "dfuMANIFEST");
		}
		throw new DfuTransferError(site, "device never finished manifestation");
	} catch (error) {
		if (error instanceof DeviceGoneError) return;
		if (error instanceof DfuTransferError && !session.functional?.manifestationTolerant) return;
		throw error;
	}
}

export interface PlainDownloadOptions {
	job?: string;
	file?: string;
}

/** Plain DFU 1.1 download (non-DfuSe devices): blocks 0, 1, 2, …, then manifestation. */
export async function downloadPlain(
	session: DfuSession,
	data: Uint8Array,
	options: PlainDownloadOptions = {},
): Promise<{ job: string; stats: JobStats }> {
	if (session.functional && !session.functional.canDownload)
		throw new DfuUnsupportedError("the device does not support download (bitCanDnload is 0)");
	const ts = session.transferSize;
	const { job, stats } = await runJob(
		session,
		{
			operation: "download",
			alt: session.alt.alt,
			altName: session.alt.name,
			ranges: [{ address: 0, size: data.length }],
			sectors: [],
			totalBytes: data.length,
			transferSize: ts,
			...(options.file ? { file: options.file } : {}),
			verify: false,
			leave: true,
		},
		options.job,
		async (ctx) => {
			await ctx.phase("erase", 0, async () => {});
			let blockNum = 0;
			await ctx.phase("program", data.length, async () => {
				for (let offset = 0; offset < data.length; offset += ts) {
					const chunk = data.subarray(offset, Math.min(data.length, offset + ts));
					await plainBlock(session, blockNum, chunk, {
						operation: `write of block ${blockNum}`,
						block: blockNum,
					});
					blockNum = (blockNum + 1) & 0xffff;
					ctx.progress("program", offset + chunk.length, data.length);
				}
			});
			await ctx.phase("leave", 0, () => manifest(session, blockNum));
		},
	);
	return { job, stats };
}

/** Plain DFU 1.1 upload: blocks 0, 1, 2, … until a short block (or `maxLength`). */
export async function uploadPlain(
	session: DfuSession,
	options: { maxLength?: number; job?: string; file?: string } = {},
): Promise<Uint8Array> {
	if (session.functional && !session.functional.canUpload)
		throw new DfuUnsupportedError("the device does not support upload (bitCanUpload is 0)");
	const ts = session.transferSize;
	const limit = options.maxLength ?? Number.POSITIVE_INFINITY;
	const { result } = await runJob(
		session,
		{
			operation: "upload",
			alt: session.alt.alt,
			altName: session.alt.name,
			ranges: [],
			sectors: [],
			totalBytes: Number.isFinite(limit) ? limit : 0,
			transferSize: ts,
			...(options.file ? { file: options.file } : {}),
			verify: false,
			leave: false,
		},
		options.job,
		(ctx: JobContext) =>
			ctx.phase("read", Number.isFinite(limit) ? limit : 0, async () => {
				const chunks: Uint8Array[] = [];
				let total = 0;
				for (let blockNum = 0; total < limit; blockNum = (blockNum + 1) & 0xffff) {
					const want = Math.min(ts, limit - total);
					const site = { operation: `read of block ${blockNum}`, block: blockNum };
					let bytes: Uint8Array;
					try {
						bytes = await session.transport.upload(blockNum, want, site);
					} catch (error) {
						if (error instanceof DfuStallError) return explainStall(site, error);
						throw error;
					}
					chunks.push(bytes.slice());
					total += bytes.length;
					ctx.progress("read", total, Number.isFinite(limit) ? limit : total);
					if (bytes.length < want) break;
				}
				if (total >= limit) await session.transport.abort();
				const out = new Uint8Array(total);
				let at = 0;
				for (const c of chunks) {
					out.set(c, at);
					at += c.length;
				}
				return out;
			}),
	);
	return result;
}
