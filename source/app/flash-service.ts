/**
 * The one flash path. The assistant's controller and `bringup flash` both come here, so a file is
 * planned, checked and confirmed the same way whichever way it came in:
 *
 *   proposeFlash  plan every target the file writes (one per alt setting), run every check that
 *                 needs no write to the device (DFU suffix, transfer size, flash write unit,
 *                 memory map, the inspector), and list what must be confirmed (mass erase, option
 *                 bytes, OTP), each as data the caller shows its own way (--yes or a prompt, a
 *                 dialog). One `flash.planned` per target is recorded here, and only here.
 *   startFlash    refuses a proposal the inspector blocks (unless forced) or that is not fully
 *                 confirmed, before anything is written; then mass erase if asked, then each target
 *                 in order (option bytes last: writing them resets the chip).
 *
 * Every job a proposal records ends with exactly one `flash.finished`, also when it never starts.
 */

import type { Chip } from "../chips/types.js";
import { flashWriteUnit } from "../chips/write-unit.js";
import type { VoltageRangeCode } from "../dfu/device-feature.js";
import {
	type DfuSession,
	DfuUnsupportedError,
	type FlashOptions,
	type FlashPlan,
	type FlashResult,
	flashImage,
	massErase,
	planTarget,
} from "../dfu/index.js";
import { type AltKind, altKind } from "../dfu/layout.js";
import { PlanError } from "../dfu/plan.js";
import { hasBlockingFindings, inspect, recordInspection } from "../doctor/inspect.js";
import type { Inspection } from "../doctor/inspect-types.js";
import { OPTION_BYTE_AREAS, optionFamily } from "../doctor/option-bytes.js";
import {
	type BringupError,
	errorInfo,
	hex,
	ImageRejectedError,
	NotConfirmedError,
} from "../errors.js";
import { vidPid } from "../format.js";
import type { Image } from "../image/image.js";
import type {
	AltSettingInfo,
	ConfirmationInfo,
	ErrorInfo,
	FlashCheckInfo,
	FlashPlanSummary,
} from "../store/events.js";

export interface FlashSettings {
	/** Where a raw image is written (-s ADDR); the inspector checks the vector table there. */
	address?: number;
	verify: boolean;
	leave: boolean;
	/** Overrides the inspector, the DFU suffix and the memory map (dfu-util's :force). Not a confirmation. */
	force: boolean;
	/** Erase the whole flash first instead of the sectors the image touches. */
	massErase?: boolean;
	/** dfu-util's :will-reset: stop at the last block's dfuDNBUSY (the chip resets by itself). */
	willReset?: boolean;
	/** Read the touched sectors first and leave those already holding the image alone. */
	delta?: boolean;
	/** The board's supply as an AN2606 Device Feature range (given or remembered, never guessed). */
	voltageRange?: VoltageRangeCode;
}

export interface FlashTarget {
	job: string;
	alt: AltSettingInfo;
	kind: AltKind;
	/** The file's segments that go to this alt. */
	image: Image;
	plan: FlashPlan;
	/** What the plan was made with; a delta flash plans again with them after its compare read. */
	options: FlashOptions;
}

export type ConfirmationId = "mass-erase" | "option-bytes" | "otp";

export interface Confirmation extends ConfirmationInfo {
	id: ConfirmationId;
}

export interface FlashProposal {
	device: string;
	image: Image;
	settings: FlashSettings;
	/** In the order they are flashed. Empty for a plain (non-DfuSe) DFU device. */
	targets: FlashTarget[];
	/** The plain-DFU job, which has no memory map to plan against. */
	plainJob?: string;
	inspection?: Inspection;
	checks: FlashCheckInfo[];
	confirmations: Confirmation[];
}

/** The inspector found errors and nothing forced the flash; nothing was written. */
export class PreflightError extends ImageRejectedError {
	override readonly kind = "preflight";
}

export interface ProposeContext {
	chip?: Chip;
	/** Job ids (the controller numbers its own); default: the session's. */
	newJob?: () => string;
	/**
	 * The inspector's verdict on this image for this chip, made and recorded for another board of
	 * the same kind: many boards are judged once, not once each.
	 */
	inspection?: Inspection;
	/** Facts about the board for its plan: its label, the supply it was given, its batch. */
	annotate?: Pick<FlashPlanSummary, "batch" | "board" | "supplyVolts">;
}

/** The file's segments per alt setting; segments without one go to the selected alt. */
function segmentsByAlt(session: DfuSession, image: Image): Map<number, Image["segments"]> {
	const byAlt = new Map<number, Image["segments"]>();
	for (const segment of image.segments) {
		const alt = segment.alt ?? session.alt.alt;
		byAlt.set(alt, [...(byAlt.get(alt) ?? []), segment]);
	}
	return byAlt;
}

function altInfo(session: DfuSession, image: Image, alt: number): AltSettingInfo {
	const info = session.info.alts.find((a) => a.alt === alt);
	if (!info)
		throw new PlanError(
			`${image.source} has an element for alt ${alt}, which the device does not have (alts ${session.info.alts.map((a) => a.alt).join(", ")})`,
			{ file: image.source, alt },
			"Check that the file is for this device (bringup list shows its alt settings).",
		);
	return info;
}

/** What an option-byte write sets, in words: the read-protection byte decides how bad it is. */
function optionBytesEffect(chip: Chip | undefined, target: Image): string {
	const family = optionFamily(chip?.family.family);
	const area = family ? OPTION_BYTE_AREAS[family] : undefined;
	// RDP is byte 1 on F2/F4/F7 (USER, RDP) and H7 (OPTSR[15:8]), byte 0 of FLASH_OPTR elsewhere.
	const offset = family === "F2" || family === "F4" || family === "F7" || family === "H7" ? 1 : 0;
	const at = area ? area.address + offset : undefined;
	const segment = target.segments.find(
		(s) => at !== undefined && at >= s.address && at < s.address + s.data.length,
	);
	if (!segment || at === undefined)
		return "it sets read/write protection and boot behaviour, and the chip resets";
	const rdp = segment.data[at - segment.address]!;
	const level =
		rdp === 0xaa
			? "level 0: no protection"
			: rdp === 0xcc
				? "level 2: the chip is locked for good, no debug and no bootloader ever again"
				: "level 1: read protection";
	return `RDP byte ${hex(rdp, 2)} = ${level}`;
}

function bytesOf(image: Image): number {
	return image.segments.reduce((sum, s) => sum + s.data.length, 0);
}

function confirmationFor(target: FlashTarget, chip: Chip | undefined): Confirmation | undefined {
	const at = hex(target.plan.start);
	if (target.kind === "option-bytes")
		return {
			id: "option-bytes",
			message: `option bytes write at ${at} (${optionBytesEffect(chip, target.image)})`,
		};
	if (target.kind === "otp")
		return {
			id: "otp",
			message: `OTP write at ${at} (${bytesOf(target.image)} bytes: one-time-programmable, never erasable again)`,
		};
	return undefined;
}

/** The DFU suffix check as a line (planTarget refuses a mismatch that is not forced). */
function suffixCheck(session: DfuSession, image: Image, force: boolean): FlashCheckInfo {
	const suffix = image.suffix;
	if (!suffix) return { id: "file-target", status: "pass", message: "no DFU suffix to match" };
	const want = vidPid(suffix.vendorId, suffix.productId);
	const have = vidPid(session.device.vendorId, session.device.productId);
	const differs = (w: number, h: number) => w !== 0xffff && w !== h;
	const mismatch =
		differs(suffix.vendorId, session.device.vendorId) ||
		differs(suffix.productId, session.device.productId);
	return mismatch
		? {
				id: "file-target",
				status: force ? "forced" : "blocked",
				message: `DFU suffix names ${want}, the device is ${have}`,
			}
		: { id: "file-target", status: "pass", message: `DFU suffix ${want} matches ${have}` };
}

/**
 * Plans, checks and lists confirmations; writes nothing. A check that fails throws its typed error
 * (exit 2: nothing was written); inspector errors are kept in the proposal for `startFlash`.
 */
export function proposeFlash(
	session: DfuSession,
	image: Image,
	settings: FlashSettings,
	context: ProposeContext = {},
): FlashProposal {
	const newJob = context.newJob ?? (() => session.newJob());
	const checks: FlashCheckInfo[] = [];
	if (!session.isDfuse) {
		checks.push(suffixCheck(session, image, settings.force));
		return {
			device: session.deviceKey,
			image,
			settings,
			targets: [],
			plainJob: newJob(),
			checks,
			confirmations: [],
		};
	}
	if (session.isRuntime)
		throw new DfuUnsupportedError(
			"the device is in run-time mode; it has to be detached into DFU mode before flashing",
			{},
			"Detach it first with bringup -e (dfu-util -e), or use BOOT0 + reset, then flash the DFU-mode device.",
		);
	const unit = flashWriteUnit(context.chip);
	const clamped = session.transferSizeClamped;
	checks.push({
		id: "transfer-size",
		status: clamped === undefined ? "pass" : "note",
		message:
			clamped === undefined
				? `${session.transferSize}-byte blocks`
				: `-t ${clamped} is larger than the loader's wTransferSize: using ${session.transferSize}-byte blocks (the loader stalls longer ones)`,
	});
	checks.push({
		id: "write-unit",
		status: "pass",
		message: `flash written in ${unit}-byte units${context.chip ? ` (${context.chip.family.family})` : " (chip unknown)"}`,
	});
	const suffix = suffixCheck(session, image, settings.force);
	checks.push(suffix);

	const byAlt = segmentsByAlt(session, image);
	const alts = [...byAlt.keys()].map((alt) => altInfo(session, image, alt));
	const resets = (a: AltSettingInfo) => altKind(a) === "option-bytes";
	alts.sort((a, b) => Number(resets(a)) - Number(resets(b)) || a.alt - b.alt);
	const lastFlash = [...alts].reverse().find((a) => !resets(a));
	const targets: FlashTarget[] = [];
	for (const alt of alts) {
		const part: Image = { ...image, segments: byAlt.get(alt.alt)! };
		const options: FlashOptions = {
			verify: settings.verify,
			leave: settings.leave && alt === lastFlash && !alts.some(resets),
			force: settings.force,
			erase: !settings.massErase,
			writeAlignment: unit,
			...(settings.delta ? { delta: true } : {}),
			...(settings.voltageRange !== undefined && altKind(alt) === "flash"
				? { voltageRange: settings.voltageRange }
				: {}),
			...(settings.willReset ? { willReset: true } : {}),
		};
		const plan = planTarget(session, part, alt, options);
		targets.push({ job: "", alt, kind: altKind(alt), image: part, plan, options });
		const forced = plan.warnings.filter((w) => w.startsWith("forced:"));
		checks.push({
			id: "memory-map",
			status: forced.length ? "forced" : "pass",
			message: forced.length
				? forced.join("; ")
				: `${plan.totalBytes} bytes at ${hex(plan.start)} fit alt ${alt.alt} "${alt.name.trim()}"`,
		});
	}

	// The inspector judges firmware: OTP, option bytes and feature words hold data, not code.
	const firmware = targets.filter((t) => t.kind === "flash");
	let inspection: Inspection | undefined;
	if (firmware.length > 0 && context.inspection) inspection = context.inspection;
	else if (firmware.length > 0) {
		inspection = inspect(
			{ ...image, segments: firmware.flatMap((t) => t.image.segments) },
			{
				...(context.chip ? { chip: context.chip } : {}),
				...(settings.address !== undefined ? { address: settings.address } : {}),
				...(firmware[0]!.alt.layout ? { layout: firmware[0]!.alt.layout } : {}),
			},
		);
		if (session.store) recordInspection(session.store, inspection);
	}
	if (inspection) {
		const errors = inspection.findings.filter((f) => f.severity === "error");
		checks.push({
			id: "inspector",
			status: errors.length === 0 ? "pass" : settings.force ? "forced" : "blocked",
			message:
				errors.length === 0
					? `no errors for ${inspection.target ?? "this image (chip unknown)"}`
					: `${errors.length} error${errors.length === 1 ? "" : "s"} for ${inspection.target ?? "this chip"} (${errors.map((f) => f.id).join(", ")})`,
		});
	}

	const confirmations: Confirmation[] = [];
	if (settings.massErase)
		confirmations.push({
			id: "mass-erase",
			message: "mass erase (all of the flash, not only the sectors the image uses)",
		});
	for (const target of targets) {
		const confirmation = confirmationFor(target, context.chip);
		if (confirmation && !confirmations.some((c) => c.id === confirmation.id))
			confirmations.push(confirmation);
	}

	for (const target of targets) target.job = newJob();
	const jobs = targets.map((t) => t.job);
	for (const target of targets)
		session.emit({
			type: "flash.planned",
			source: session.source,
			job: target.job,
			device: session.deviceKey,
			plan: { ...target.plan.summary, checks, confirmations, group: jobs, ...context.annotate },
		});
	return {
		device: session.deviceKey,
		image,
		settings,
		targets,
		...(inspection ? { inspection } : {}),
		checks,
		confirmations,
	};
}

/** Inspector errors that stop this proposal (none when forced). */
export function blockingFindings(proposal: FlashProposal) {
	if (proposal.settings.force || !proposal.inspection) return [];
	return hasBlockingFindings(proposal.inspection)
		? proposal.inspection.findings.filter((f) => f.severity === "error")
		: [];
}

/** Why the proposal cannot start as it stands, or undefined when it can. */
export function refusal(
	proposal: FlashProposal,
	confirmed: readonly string[],
): BringupError | undefined {
	const errors = blockingFindings(proposal);
	if (errors.length > 0)
		return new PreflightError(
			`not flashing ${proposal.image.source}: the inspector found ${errors.length} error${errors.length === 1 ? "" : "s"} for this ${proposal.inspection?.target ?? "chip"} (${errors.map((f) => f.id).join(", ")}). Nothing was written.`,
			{ file: proposal.image.source },
			"Fix the image (or pick the right chip); --force (or -s ...:force) flashes it anyway.",
		);
	const missing = proposal.confirmations.filter((c) => !confirmed.includes(c.id));
	if (missing.length > 0)
		return new NotConfirmedError(
			`${missing.map((c) => c.message).join("; ")} needs confirmation; nothing was written`,
			{ operation: missing.map((c) => c.id).join(",") },
			"Confirm with --yes (or by typing yes when asked); --force overrides the inspector, it does not confirm.",
		);
	return undefined;
}

/** Ends the jobs of targets that will not run, so every planned job finishes exactly once. */
export function finishUnstarted(
	session: DfuSession,
	targets: readonly FlashTarget[],
	error: ErrorInfo,
): void {
	for (const target of targets)
		session.emit({
			type: "flash.finished",
			source: session.source,
			job: target.job,
			ok: false,
			error,
		});
}

export interface StartOptions {
	/** The confirmations the user gave (ids from `proposal.confirmations`). */
	confirmed: readonly string[];
	signal?: AbortSignal;
}

/** Runs a proposal: refuses before any write if it is blocked or not confirmed. */
export async function startFlash(
	session: DfuSession,
	proposal: FlashProposal,
	options: StartOptions,
): Promise<FlashResult[]> {
	const refused = refusal(proposal, options.confirmed);
	if (refused) {
		finishUnstarted(session, proposal.targets, refused.toInfo());
		throw refused;
	}
	const { settings } = proposal;
	if (proposal.plainJob !== undefined)
		return [
			await flashImage(session, proposal.image, {
				job: proposal.plainJob,
				force: settings.force,
			}),
		];
	const results: FlashResult[] = [];
	let next = 0;
	try {
		if (settings.massErase) {
			const flash = proposal.targets.find((t) => t.kind === "flash")?.alt.alt ?? 0;
			if (session.alt.alt !== flash) await session.selectAlt(flash);
			await massErase(session, { confirmed: true });
		}
		for (const target of proposal.targets) {
			next++;
			if (session.alt.alt !== target.alt.alt) await session.selectAlt(target.alt.alt);
			results.push(
				await flashImage(session, target.image, {
					...target.options,
					job: target.job,
					plan: target.plan,
					announced: true,
					...(options.signal ? { signal: options.signal } : {}),
				}),
			);
		}
	} catch (error) {
		const info = errorInfo(error);
		const started = proposal.targets[next - 1];
		// A target whose job never began (the alt could not be selected) has no flash.finished yet.
		const pending = proposal.targets.slice(next);
		if (
			started &&
			!results.some((r) => r.job === started.job) &&
			!session.store?.getState().jobs[started.job]?.result
		)
			pending.unshift(started);
		finishUnstarted(session, pending, {
			kind: "not-started",
			message: `not started: ${info.message}`,
		});
		throw error;
	}
	return results;
}
