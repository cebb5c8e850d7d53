/**
 * Reading memory back from a DfuSe device: Set Address, ABORT to dfuIDLE, then UPLOAD blocks
 * from wBlockNum 2 (address = (wBlockNum − 2) × wTransferSize + pointer).
 */
import { hex } from "../errors.js";
import { setAddress } from "./dfuse.js";
import { DfuStatusError, type FailureSite, RangeRejectedError } from "./errors.js";
import { runJob } from "./job.js";
import { contiguousEnd, isReadable } from "./layout.js";
import { FIRST_DATA_BLOCK } from "./plan.js";
import { DfuStallError } from "./requests.js";
import type { DfuSession } from "./session.js";
import { DfuStatusCode } from "./status.js";

const MAX_BLOCK_NUM = 0xffff;
/** dfu-util reads this much when the layout does not say where the segment ends. */
const UNKNOWN_SEGMENT_LIMIT = 0x4000;

/** An UPLOAD stalled for a reason the device states (RDP: dfuERROR, errVENDOR) fails with it. */
export function explainStall(site: FailureSite, stall: DfuStallError): never {
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
		const consecutive = session.blocksFollowPointer;
		if (offset === 0 || !consecutive || want < ts || blockNum > MAX_BLOCK_NUM) {
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
