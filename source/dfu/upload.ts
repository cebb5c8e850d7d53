/**
 * Reading memory back (DfuSe: Set Address, ABORT to dfuIDLE, UPLOAD from wBlockNum 2), plain
 * DFU 1.1 download/upload for non-DfuSe devices (wBlockNum 0, 1, 2, …), and DFU_DETACH for a
 * run-time device.
 */
import { hex } from "../errors.js";
import { setAddress } from "./dfuse.js";
import {
	DeviceGoneError,
	DfuStatusError,
	DfuTransferError,
	DfuUnsupportedError,
	type FailureSite,
	RangeRejectedError,
} from "./errors.js";
import { type JobContext, type JobStats, runJob } from "./job.js";
import { contiguousEnd, isReadable } from "./layout.js";
import { FIRST_DATA_BLOCK } from "./plan.js";
import { DfuStallError } from "./requests.js";
import type { DfuSession } from "./session.js";
import { DfuState, DfuStatusCode } from "./status.js";

const MAX_BLOCK_NUM = 0xffff;
/** dfu-util reads this much when the layout does not say where the segment ends. */
const UNKNOWN_SEGMENT_LIMIT = 0x4000;

/** An UPLOAD stalled for a reason the device states (RDP: dfuERROR, errVENDOR) fails with it. */
function explainStall(site: FailureSite, stall: DfuStallError): never {
	const s = stall.deviceStatus;
	if (s && s.status !== 0 && s.status !== DfuStatusCode.errSTALLEDPKT)
		throw new DfuStatusError(site, s);
	throw stall;
}

/**
 * Reads [address, address+length) in wTransferSize blocks, calling `onChunk` per block. One
 * Set Address per run of full blocks; a short tail gets its own pointer (see plan.ts). Returns
 * the number of bytes read (less than `length` if the device ended the upload early).
 */
export async function readRange(
	session: DfuSession,
	address: number,
	length: number,
	onChunk: (address: number, bytes: Uint8Array) => void,
): Promise<number> {
	const t = session.transport;
	const ts = session.transferSize;
	let offset = 0;
	let blockNum = Number.POSITIVE_INFINITY;
	while (offset < length) {
		const want = Math.min(ts, length - offset);
		const at = address + offset;
		if (offset === 0 || want < ts || blockNum > MAX_BLOCK_NUM) {
			// DNLOAD (Set Address) is refused in dfuUPLOAD-IDLE: end the upload first.
			if (offset > 0) await t.abort({ operation: "abort before set address", address: at });
			await setAddress(session, at);
			// Set Address leaves dfuDNLOAD-IDLE; UPLOAD is only accepted from dfuIDLE.
			await t.abort({ operation: "abort before read", address: at });
			blockNum = FIRST_DATA_BLOCK;
		}
		const site = { operation: `read of block ${blockNum}`, address: at, block: blockNum };
		let bytes: Uint8Array;
		try {
			bytes = await t.upload(blockNum, want, site);
		} catch (error) {
			if (error instanceof DfuStallError) return explainStall(site, error);
			throw error;
		}
		onChunk(at, bytes);
		offset += bytes.length;
		blockNum++;
		if (bytes.length < want) break;
	}
	// A finished (or short) upload leaves dfuUPLOAD-IDLE or dfuIDLE; ABORT is right for both.
	await t.abort({ operation: "abort after read" });
	return offset;
}

export interface ReadOptions {
	address: number;
	/** Bytes to read; default: to the end of the contiguous readable memory at `address`. */
	length?: number;
	/** Read even where the layout says the memory is not readable (dfu-util's :force). */
	force?: boolean;
	job?: string;
	/** Output file name, for the plan event. */
	file?: string;
}

/** Reads device memory (DfuSe upload); emits a job with a "read" phase. */
export async function readMemory(session: DfuSession, options: ReadOptions): Promise<Uint8Array> {
	const { address } = options;
	const layout = session.layout;
	let length = options.length;
	if (layout && !options.force && !isReadable(layout, address))
		throw new RangeRejectedError(
			`${hex(address)} is not readable memory of alt ${session.alt.alt} "${layout.name}"`,
			{ address, alt: session.alt.alt },
			"Pick an address inside a readable segment (see the device's memory layout), or add :force.",
		);
	const end = layout && !options.force ? contiguousEnd(layout, address, "readable") : undefined;
	if (length === undefined) length = end !== undefined ? end - address : UNKNOWN_SEGMENT_LIMIT;
	else if (end !== undefined && address + length > end) {
		session.log("info", `limiting upload to the end of the memory segment (${hex(end)})`);
		length = end - address;
	}
	const total = length;
	const out = new Uint8Array(total);
	const { result } = await runJob(
		session,
		{
			operation: "upload",
			alt: session.alt.alt,
			altName: session.alt.name,
			ranges: [{ address, size: total }],
			sectors: [],
			totalBytes: total,
			transferSize: session.transferSize,
			...(options.file ? { file: options.file } : {}),
			verify: false,
			leave: false,
		},
		options.job,
		(ctx) =>
			ctx.phase("read", total, async () => {
				let done = 0;
				const got = await readRange(session, address, total, (at, bytes) => {
					out.set(bytes, at - address);
					done += bytes.length;
					ctx.progress("read", done, total, at);
				});
				if (got < total) session.log("warn", `the device ended the upload after ${got} bytes`);
				return out.subarray(0, got);
			}),
	);
	return result;
}

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
 * Manifestation after the zero-length DNLOAD (DFUSE.md §1f): MANIFEST-SYNC/MANIFEST → keep
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
