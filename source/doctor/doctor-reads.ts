import { createHash } from "node:crypto";
import { type DfuSession, DfuStatusCode, DfuStatusError, readMemory } from "../dfu/index.js";
import { altKind } from "../dfu/layout.js";
import type { MemoryLayout } from "../store/events.js";
import type { DoctorContext, ReadResult } from "./doctor-context.js";
import { type DecodedOptionBytes, decodeOptionBytes, optionFamily } from "./option-bytes.js";

/** Reads of the chip the doctor's steps share: each happens once per run. */

const isReadProtected = (e: unknown): e is DfuStatusError =>
	e instanceof DfuStatusError && e.status === DfuStatusCode.errVENDOR;

export async function readOrProtected(
	session: DfuSession,
	address: number,
	length?: number,
): Promise<ReadResult> {
	try {
		return { bytes: await readMemory(session, { address, ...(length ? { length } : {}) }) };
	} catch (error) {
		if (isReadProtected(error)) return { protectedBy: error };
		throw error;
	}
}

/** Drops trailing erased bytes, keeping whole words. */
function trimErased(bytes: Uint8Array): Uint8Array {
	let end = bytes.length;
	while (end > 0 && bytes[end - 1] === 0xff) end--;
	return bytes.subarray(0, Math.min(bytes.length, Math.ceil(end / 4) * 4));
}

export function sectorsOf(layout: MemoryLayout | undefined): { address: number; size: number }[] {
	const out: { address: number; size: number }[] = [];
	for (const s of layout?.segments ?? [])
		for (let i = 0; i < s.count; i++)
			out.push({ address: s.start + i * s.pageSize, size: s.pageSize });
	return out;
}

/** A SHA-256 of the read-back content, allowing for erased (0xFF) bytes the file ends with. */
export function matchesSha256(
	content: Uint8Array,
	sha256: string,
	maxPadding = 4096,
): number | undefined {
	const want = sha256.trim().toLowerCase();
	const hash = createHash("sha256").update(content);
	if (hash.copy().digest("hex") === want) return content.length;
	const ff = Uint8Array.of(0xff);
	for (let pad = 1; pad <= maxPadding; pad++) {
		hash.update(ff);
		if (hash.copy().digest("hex") === want) return content.length + pad;
	}
	return undefined;
}

/** What the flash holds from its base, erased tail dropped. */
export async function readOnChip(ctx: DoctorContext): Promise<ReadResult> {
	if (!ctx.found.onChip) {
		await ctx.session.selectAlt(ctx.flashAlt.alt);
		const r = await readOrProtected(ctx.session, ctx.flashBase);
		ctx.found.onChip = "bytes" in r ? { bytes: trimErased(r.bytes) } : r;
	}
	return ctx.found.onChip;
}

/** Option bytes decoded for the family; used by the compare and watch steps too. */
export function readOptionBytes(
	ctx: DoctorContext,
): Promise<DecodedOptionBytes | "protected" | undefined> {
	ctx.found.optionBytesRead ??= decodeFromDevice(ctx);
	return ctx.found.optionBytesRead;
}

async function decodeFromDevice(
	ctx: DoctorContext,
): Promise<DecodedOptionBytes | "protected" | undefined> {
	const { session, chip } = ctx;
	const alt = session.info.alts.find((a) => altKind(a) === "option-bytes");
	const [run, second] = alt?.layout?.segments ?? [];
	if (!alt || !run || !optionFamily(chip.family)) return undefined;
	await session.selectAlt(alt.alt);
	try {
		const r = await readOrProtected(session, run.start, run.count * run.pageSize);
		if (!("bytes" in r)) return "protected";
		const r2 = second
			? await readOrProtected(session, second.start, second.count * second.pageSize)
			: undefined;
		const inspection = ctx.found.inspection;
		ctx.found.optionBytes = decodeOptionBytes(r.bytes, chip.family, {
			part: chip.name,
			sectors: sectorsOf(ctx.flashLayout),
			...(r2 && "bytes" in r2 ? { secondRun: r2.bytes } : {}),
			// Only a given image says where the download went; code read back from the chip
			// does not tell what a bigger download may have silently missed.
			...(ctx.image && inspection ? { imageRanges: inspection.segments } : {}),
		});
		return ctx.found.optionBytes;
	} finally {
		await session.selectAlt(ctx.flashAlt.alt);
	}
}
