import { createHash } from "node:crypto";
import { isReadable } from "../dfu/index.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import type { Finding } from "../store/events.js";
import { causedFinding } from "./checklist-findings.js";
import type { StepResult } from "./checklist-types.js";
import type { DoctorContext } from "./doctor-context.js";
import { rankOf, statusOf, withInspectCause } from "./doctor-ranking.js";
import {
	matchesSha256,
	readOnChip,
	readOptionBytes,
	readOrProtected,
	sectorsOf,
} from "./doctor-reads.js";
import { hasBlockingFindings, type Inspection, inspect, recordInspection } from "./inspect.js";
import { optionFamily, readProtectionFinding } from "./option-bytes.js";

/** The doctor's image steps: does the image (or what the chip holds) fit, and does the chip hold it. */

const SOURCE = "doctor";

export async function imageFitsStep(ctx: DoctorContext): Promise<StepResult> {
	let subject: Image | undefined = ctx.image;
	if (!subject) {
		const r = await readOnChip(ctx);
		if (!("bytes" in r))
			return {
				status: "fail",
				summary: "The flash cannot be read back to inspect it.",
				findings: [readProtectionFinding("flash")],
			};
		if (r.bytes.length === 0)
			return {
				status: "fail",
				summary: "The flash is empty.",
				findings: [
					causedFinding(
						"doctor.flash-empty",
						"error",
						"not-written",
						`The flash from ${hex(ctx.flashBase)} reads as erased: nothing was written there (or it was erased since, e.g. by read-unprotect).`,
						"Flash the image again and check that the download reports no error.",
					),
				],
			};
		subject = {
			format: "bin",
			source: `flash read back (${r.bytes.length} bytes at ${hex(ctx.flashBase)})`,
			segments: [{ address: ctx.flashBase, data: r.bytes }],
		};
	}
	const inspection = inspect(subject, {
		...(ctx.target ? { chip: ctx.target } : {}),
		...(ctx.flashLayout ? { layout: ctx.flashLayout } : {}),
		...(ctx.options.address !== undefined ? { address: ctx.options.address } : {}),
	});
	ctx.found.inspection = inspection;
	recordInspection(ctx.store, inspection, SOURCE);
	const findings = inspection.findings.map(withInspectCause).sort((a, b) => rankOf(a) - rankOf(b));
	const status = hasBlockingFindings(inspection) ? "fail" : statusOf(findings);
	const what = ctx.image ? "The image" : "The code on the chip";
	const where = `${hex(inspection.writeAddress)}${inspection.guess ? `, built for ${inspection.guess.family}` : ""}`;
	return {
		status,
		summary:
			status === "fail"
				? `${what} cannot run on the ${ctx.target?.name ?? ctx.chip.name} (${where}).`
				: `${what} fits the ${ctx.target?.name ?? ctx.chip.name} (${where}).`,
		findings,
	};
}

export async function flashMatchesStep(ctx: DoctorContext): Promise<StepResult> {
	const inspection = ctx.found.inspection;
	if (ctx.image && inspection) return compareWithImage(ctx, inspection);
	if (ctx.options.sha256) return compareWithSha(ctx, ctx.options.sha256);
	return {
		status: "skip",
		summary: "Nothing to compare with: give the image file (--image) or its SHA-256 (--sha256).",
		findings: [],
	};
}

async function compareWithImage(ctx: DoctorContext, placed: Inspection): Promise<StepResult> {
	await ctx.session.selectAlt(ctx.flashAlt.alt);
	const data = ctx.image!.segments;
	let compared = 0;
	for (let i = 0; i < data.length; i++) {
		const want = data[i]!.data;
		const address = placed.segments[i]?.address ?? data[i]!.address;
		// DfuSe files may carry elements for other alt settings (option bytes): not flash.
		if ((data[i]!.alt ?? 0) !== ctx.flashAlt.alt) continue;
		if (ctx.flashLayout && !isReadable(ctx.flashLayout, address)) continue;
		compared += want.length;
		const r = await readOrProtected(ctx.session, address, want.length);
		if (!("bytes" in r))
			return {
				status: "fail",
				summary: "The flash cannot be read back.",
				findings: [readProtectionFinding("flash")],
			};
		const at = r.bytes.findIndex((b, k) => b !== want[k]);
		const short = r.bytes.length < want.length;
		if (at < 0 && !short) continue;
		const offset = at < 0 ? r.bytes.length : at;
		const bad = address + offset;
		const ob = await readOptionBytes(ctx);
		const unit = /^(G0|G4|L4|WB)$/.test(optionFamily(ctx.chip.family) ?? "") ? "page" : "sector";
		const wrp =
			ob && ob !== "protected"
				? sectorsOf(ctx.flashLayout).findIndex(
						(s, n) =>
							bad >= s.address && bad < s.address + s.size && ob.protectedSectors.includes(n),
					)
				: -1;
		const differing = r.bytes.reduce((sum, b, k) => sum + (b !== want[k] ? 1 : 0), 0);
		const finding =
			wrp >= 0
				? causedFinding(
						"doctor.flash-differs",
						"error",
						"write-protection",
						`The flash differs from the image at ${hex(bad)} (${differing} bytes differ): ${unit} ${wrp} is write-protected, so the loader's erase and write there did nothing and the old content stayed.`,
						`Clear the write protection for that ${unit} in the option bytes, then flash again.`,
						{ address: hex(bad), [unit]: wrp, differing },
					)
				: causedFinding(
						"doctor.flash-differs",
						"error",
						"not-written",
						`The flash differs from the image at ${hex(bad)} (${differing} bytes differ): the download did not land as written.`,
						"Flash again with verify on and look at the first error it reports.",
						{ address: hex(bad), differing },
					);
		return {
			status: "fail",
			summary: `The chip does not hold the image (first difference at ${hex(bad)}).`,
			findings: [finding],
		};
	}
	const findings: Finding[] = [];
	if (ctx.options.sha256) {
		const all = createHash("sha256");
		for (const s of data) all.update(s.data);
		if (all.digest("hex") !== ctx.options.sha256.trim().toLowerCase())
			findings.push(
				causedFinding(
					"doctor.image-sha256",
					"warning",
					undefined,
					`The image's content does not have the SHA-256 you gave: ${ctx.image!.source} may not be the file you flashed.`,
					"Check that the file and the SHA-256 belong together.",
				),
			);
	}
	return {
		status: findings.length ? "warn" : "pass",
		summary: `The flash holds the image (${compared} bytes compared).`,
		findings,
	};
}

async function compareWithSha(ctx: DoctorContext, sha256: string): Promise<StepResult> {
	const r = await readOnChip(ctx);
	if (!("bytes" in r))
		return {
			status: "fail",
			summary: "The flash cannot be read back.",
			findings: [readProtectionFinding("flash")],
		};
	const length = matchesSha256(r.bytes, sha256);
	if (length !== undefined)
		return {
			status: "pass",
			summary: `The first ${length} bytes of flash have the SHA-256 you gave.`,
			findings: [],
		};
	return {
		status: "fail",
		summary: "The flash content does not have the SHA-256 you gave.",
		findings: [
			causedFinding(
				"doctor.sha256-differs",
				"error",
				"not-written",
				`No prefix of the flash from ${hex(ctx.flashBase)} (${r.bytes.length} bytes used, plus erased padding) has the SHA-256 ${sha256.trim().toLowerCase()}: the chip does not hold that file.`,
				"Check the SHA-256 is of the .bin written at the flash base, then flash again with verify on.",
			),
		],
	};
}
