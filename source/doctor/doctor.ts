import { createHash } from "node:crypto";
import { chipForGuess, identify } from "../chips/index.js";
import type { Clock } from "../clock.js";
import {
	type DfuSession,
	DfuStatusCode,
	DfuStatusError,
	isReadable,
	leave,
	openDfu,
	readMemory,
} from "../dfu/index.js";
import { BringupError, DeviceSelectionError, hex } from "../errors.js";
import type { Image } from "../image/image.js";
import type {
	Backend,
	CheckStatus,
	ChipGuess,
	DeviceIdentity,
	Finding,
	MemoryLayout,
} from "../store/events.js";
import type { Store } from "../store/store.js";
import { bcdDevice, identify as identifyUsb } from "../usb/identity.js";
import type { UsbLike } from "../usb/real-backend.js";
import type { DeviceWatch } from "../usb/watch.js";
import { type BootWatchResult, bootWatchResult } from "./boot-watch.js";
import { watchBoot } from "./boot-watch-usb.js";
import { type ChecklistEngine, createChecklist } from "./checklist.js";
import { causedFinding } from "./checklist-findings.js";
import type { Cause, ResolvedStep, StepResult, Verdict } from "./checklist-types.js";
import { hasBlockingFindings, type Inspection, inspect, recordInspection } from "./inspect.js";
import {
	type DecodedOptionBytes,
	decodeOptionBytes,
	optionFamily,
	readProtectionFinding,
} from "./option-bytes.js";

/**
 * `bringup doctor`: runs the automatic checklist steps against a DFU device, headless, then lists
 * the board checks that remain. Every step start, result and finding goes to the store, so the
 * Checklist screen shows the same run and a recording replays it.
 *
 * "What you flashed": with an image, the image; without one, what the chip's flash holds (read
 * back, trailing erased bytes dropped) is inspected, and the compare step needs a SHA-256 or is
 * skipped.
 */

export interface DoctorOptions {
	/** The DFU device, already chosen. */
	device: USBDevice;
	/** For watching re-enumeration after leaving DFU. */
	usb: UsbLike;
	image?: Image;
	/** SHA-256 (hex) of what was flashed, when there is no image file. */
	sha256?: string;
	store: Store;
	clock: Clock;
	backend?: Backend;
	/** A watcher already feeding this store (the app's); otherwise one runs during the watch. */
	watch?: DeviceWatch;
	/** Where a raw image was written (`-s ADDR`). */
	address?: number;
	/** Keep automatic results already in the store (a resumed session) instead of running again. */
	resume?: boolean;
	/** Boot watch window and poll period; `false` skips leaving DFU. */
	bootWatch?: false | { windowMs?: number; pollMs?: number };
}

export interface DoctorStep {
	id: string;
	kind: "auto" | "manual";
	status: CheckStatus;
	findings: Finding[];
}

export interface DoctorResult {
	steps: DoctorStep[];
	verdict: Verdict | null;
	/** The DFU device as it was enumerated when the doctor started. */
	device: DeviceIdentity;
	chip: ChipGuess;
	/** Manual steps still to do, resolved for the chip's family, in the order to do them. */
	remaining: ResolvedStep[];
	optionBytes?: DecodedOptionBytes;
	boot?: BootWatchResult;
	inspection?: Inspection;
}

/** The JSON `bringup doctor --json` prints as its last line. */
export function doctorJson(result: DoctorResult): { steps: DoctorStep[]; verdict: Verdict | null } {
	return { steps: result.steps, verdict: result.verdict };
}

const SOURCE = "doctor";

/**
 * Inspector finding ids → the reason the doctor names. Earlier entries are more specific: a link
 * address mismatch explains a reset vector outside the image, not the other way round.
 */
const INSPECT_CAUSES: [RegExp, Cause][] = [
	[/^family\.(mismatch|part-mismatch|not-stm32)$|^fpu\./, "wrong-family"],
	[/^link-address\./, "link-address"],
	[/^vector-table\.reset-outside-image$/, "link-address"],
	[/^image\.(too-large|outside-flash|not-writable)$/, "image-does-not-fit"],
	[/^image\.dfuse-as-raw$|^vector-table\./, "bad-vector-table"],
];

function withInspectCause(f: Finding): Finding {
	const hit = INSPECT_CAUSES.find(([re]) => re.test(f.id));
	if (!hit || f.severity === "info") return f;
	return { ...f, evidence: { ...f.evidence, cause: hit[1] } };
}

/** Errors before warnings before info; among them, the most specific reason first. */
function rankOf(f: Finding): number {
	const severity = f.severity === "error" ? 0 : f.severity === "warning" ? 1 : 2;
	const specific = INSPECT_CAUSES.findIndex(([re]) => re.test(f.id));
	return severity * 10 + (specific < 0 ? 9 : specific);
}

function statusOf(findings: Finding[]): CheckStatus {
	if (findings.some((f) => f.severity === "error")) return "fail";
	if (findings.some((f) => f.severity === "warning")) return "warn";
	return "pass";
}

const isReadProtected = (e: unknown) =>
	e instanceof DfuStatusError && e.status === DfuStatusCode.errVENDOR;

type ReadResult = { bytes: Uint8Array } | { protectedBy: DfuStatusError };

async function readOrProtected(
	session: DfuSession,
	address: number,
	length?: number,
): Promise<ReadResult> {
	try {
		return { bytes: await readMemory(session, { address, ...(length ? { length } : {}) }) };
	} catch (error) {
		if (isReadProtected(error)) return { protectedBy: error as DfuStatusError };
		throw error;
	}
}

/** Drops trailing erased bytes, keeping whole words. */
function trimErased(bytes: Uint8Array): Uint8Array {
	let end = bytes.length;
	while (end > 0 && bytes[end - 1] === 0xff) end--;
	return bytes.subarray(0, Math.min(bytes.length, Math.ceil(end / 4) * 4));
}

function sectorsOf(layout: MemoryLayout | undefined): { address: number; size: number }[] {
	const out: { address: number; size: number }[] = [];
	for (const s of layout?.segments ?? [])
		for (let i = 0; i < s.count; i++)
			out.push({ address: s.start + i * s.pageSize, size: s.pageSize });
	return out;
}

/** A SHA-256 of the read-back content, allowing for erased (0xFF) bytes the file ends with. */
function matchesSha256(content: Uint8Array, sha256: string, maxPadding = 4096): number | undefined {
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

/** A device or transfer failure inside a step: the step fails, the next steps still run. */
function deviceErrorResult(error: BringupError): StepResult {
	return {
		status: "fail",
		summary: "The device failed during this check.",
		findings: [
			causedFinding(
				"doctor.device-error",
				"error",
				"device-error",
				`The check could not finish: ${error.message}`,
				error.hint,
				{ kind: error.kind },
			),
		],
	};
}

/** The chosen device runs an application (run-time DFU), not the ROM loader. */
export class NotDfuDeviceError extends DeviceSelectionError {
	override readonly kind = "doctor-not-dfu";
	constructor() {
		super(
			"the doctor needs the device in DFU mode (the ROM bootloader)",
			{},
			"Detach it into DFU mode first, or hold BOOT0 high and press reset.",
		);
	}
}

/** Runs the automatic steps, then returns the verdict and the board checks left to do. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorResult> {
	const { device, store, clock, image } = options;
	const session = await openDfu(device, { clock, store, source: SOURCE });
	if (session.isRuntime) throw new NotDfuDeviceError();
	const identity = identifyUsb(
		device,
		options.watch?.keyOf(device) ?? session.deviceKey,
		options.backend ?? "usb",
	);
	const flashAlt = session.alt;
	const flashLayout = flashAlt.layout;
	const flashBase = flashLayout?.segments[0]?.start ?? 0x08000000;
	const chip = identify({
		vendorId: device.vendorId,
		productId: device.productId,
		bcdDevice: bcdDevice(device),
		...(device.productName ? { product: device.productName } : {}),
		alts: session.info.alts.map((a) => ({ alt: a.alt, name: a.name })),
	});
	const target = chipForGuess(chip);
	const engine: ChecklistEngine = createChecklist({
		store,
		clock,
		family: chip.family,
		source: SOURCE,
	});
	store.append({
		type: "log.message",
		source: SOURCE,
		at: clock.now(),
		level: "info",
		text: `doctor: ${chip.name} (${chip.confidence} confidence)`,
	});

	let inspection: Inspection | undefined;
	let onChip: ReadResult | undefined;
	let optionBytes: DecodedOptionBytes | undefined;
	let optionBytesRead: Promise<DecodedOptionBytes | "protected" | undefined> | undefined;
	let boot: BootWatchResult | undefined;

	/** What the flash holds from its base, erased tail dropped; read once. */
	const readOnChip = async (): Promise<ReadResult> => {
		if (!onChip) {
			await session.selectAlt(flashAlt.alt);
			const r = await readOrProtected(session, flashBase);
			onChip = "bytes" in r ? { bytes: trimErased(r.bytes) } : r;
		}
		return onChip;
	};

	/** Option bytes decoded for the family; read once, used by the compare and watch steps too. */
	const readOptionBytes = () => {
		optionBytesRead ??= (async () => {
			const alt = session.info.alts.find((a) => /option/i.test(a.name));
			const [run, second] = alt?.layout?.segments ?? [];
			if (!alt || !run || !optionFamily(chip.family)) return undefined;
			await session.selectAlt(alt.alt);
			try {
				const r = await readOrProtected(session, run.start, run.count * run.pageSize);
				if (!("bytes" in r)) return "protected" as const;
				const r2 = second
					? await readOrProtected(session, second.start, second.count * second.pageSize)
					: undefined;
				optionBytes = decodeOptionBytes(r.bytes, chip.family, {
					part: chip.name,
					sectors: sectorsOf(flashLayout),
					...(r2 && "bytes" in r2 ? { secondRun: r2.bytes } : {}),
					// Only a given image says where the download went; code read back from the chip
					// does not tell what a bigger download may have silently missed.
					...(image && inspection ? { imageRanges: inspection.segments } : {}),
				});
				return optionBytes;
			} finally {
				await session.selectAlt(flashAlt.alt);
			}
		})();
		return optionBytesRead;
	};

	const imageFits = async (): Promise<StepResult> => {
		let subject = image;
		if (!subject) {
			const r = await readOnChip();
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
							`The flash from ${hex(flashBase)} reads as erased: nothing was written there (or it was erased since, e.g. by read-unprotect).`,
							"Flash the image again and check that the download reports no error.",
						),
					],
				};
			subject = {
				format: "bin",
				source: `flash read back (${r.bytes.length} bytes at ${hex(flashBase)})`,
				segments: [{ address: flashBase, data: r.bytes }],
			};
		}
		inspection = inspect(subject, {
			...(target ? { chip: target } : {}),
			...(flashLayout ? { layout: flashLayout } : {}),
			...(options.address !== undefined ? { address: options.address } : {}),
		});
		recordInspection(store, inspection, SOURCE);
		const findings = inspection.findings
			.map(withInspectCause)
			.sort((a, b) => rankOf(a) - rankOf(b));
		const status = hasBlockingFindings(inspection) ? "fail" : statusOf(findings);
		const what = image ? "The image" : "The code on the chip";
		const where = `${hex(inspection.writeAddress)}${inspection.guess ? `, built for ${inspection.guess.family}` : ""}`;
		return {
			status,
			summary:
				status === "fail"
					? `${what} cannot run on the ${target?.name ?? chip.name} (${where}).`
					: `${what} fits the ${target?.name ?? chip.name} (${where}).`,
			findings,
		};
	};

	const flashMatches = async (): Promise<StepResult> => {
		if (image && inspection) return compareWithImage(inspection);
		if (options.sha256) return compareWithSha(options.sha256);
		return {
			status: "skip",
			summary: "Nothing to compare with: give the image file (--image) or its SHA-256 (--sha256).",
			findings: [],
		};
	};

	const compareWithImage = async (placed: Inspection): Promise<StepResult> => {
		await session.selectAlt(flashAlt.alt);
		const data = image!.segments;
		let compared = 0;
		for (let i = 0; i < data.length; i++) {
			const want = data[i]!.data;
			const address = placed.segments[i]?.address ?? data[i]!.address;
			// DfuSe files may carry elements for other alt settings (option bytes): not flash.
			if ((data[i]!.alt ?? 0) !== flashAlt.alt) continue;
			if (flashLayout && !isReadable(flashLayout, address)) continue;
			compared += want.length;
			const r = await readOrProtected(session, address, want.length);
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
			const ob = await readOptionBytes();
			const unit = /^(G0|G4|L4|WB)$/.test(optionFamily(chip.family) ?? "") ? "page" : "sector";
			const wrp =
				ob && ob !== "protected"
					? sectorsOf(flashLayout).findIndex(
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
		if (options.sha256) {
			const all = createHash("sha256");
			for (const s of data) all.update(s.data);
			if (all.digest("hex") !== options.sha256.trim().toLowerCase())
				findings.push(
					causedFinding(
						"doctor.image-sha256",
						"warning",
						undefined,
						`The image's content does not have the SHA-256 you gave: ${image!.source} may not be the file you flashed.`,
						"Check that the file and the SHA-256 belong together.",
					),
				);
		}
		return {
			status: findings.length ? "warn" : "pass",
			summary: `The flash holds the image (${compared} bytes compared).`,
			findings,
		};
	};

	const compareWithSha = async (sha256: string): Promise<StepResult> => {
		const r = await readOnChip();
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
					`No prefix of the flash from ${hex(flashBase)} (${r.bytes.length} bytes used, plus erased padding) has the SHA-256 ${sha256.trim().toLowerCase()}: the chip does not hold that file.`,
					"Check the SHA-256 is of the .bin written at the flash base, then flash again with verify on.",
				),
			],
		};
	};

	const optionBytesStep = async (): Promise<StepResult> => {
		const ob = await readOptionBytes();
		if (ob === "protected")
			return {
				status: "fail",
				summary: "The option bytes cannot be read.",
				findings: [readProtectionFinding("option bytes")],
			};
		if (!ob)
			return {
				status: "skip",
				summary: optionFamily(chip.family)
					? "The device shows no option-byte alt setting."
					: `Option bytes are not decoded for ${chip.name}.`,
				findings: [],
			};
		const named = (n: string) => ob.fields.find((f) => f.name === n);
		const brief = ob.fields
			.filter((f) =>
				/^(RDP|WDG_SW|IWDG_SW|IWDG1_SW|BOR_LEV|nSWBOOT0|nBOOT_SEL|nBOOT0|BOOT_ADD0)$/.test(f.name),
			)
			.map((f) => `${f.name} ${f.meaning}`)
			.join(", ");
		const findings = [...ob.findings].sort((a, b) => rankOf(a) - rankOf(b));
		return {
			status: statusOf(findings),
			summary: `${ob.family} option bytes: ${brief || named("RDP")?.meaning || "decoded"}.`,
			findings,
		};
	};

	const bootWatchStep = async (): Promise<StepResult> => {
		if (options.bootWatch === false)
			return { status: "skip", summary: "Not run: the device stays in DFU.", findings: [] };
		const ob = await readOptionBytes().catch(() => undefined);
		const decoded = ob && ob !== "protected" ? ob : undefined;
		await session.selectAlt(flashAlt.alt);
		const address = inspection?.writeAddress ?? flashBase;
		boot = await watchBoot({
			usb: options.usb,
			store,
			clock,
			device,
			backend: options.backend ?? "usb",
			...(options.watch ? { watch: options.watch } : {}),
			leave: () => leave(session, { address }),
			...(options.bootWatch?.windowMs ? { windowMs: options.bootWatch.windowMs } : {}),
			...(options.bootWatch?.pollMs ? { pollMs: options.bootWatch.pollMs } : {}),
		});
		const hardwareWatchdog = decoded?.findings.some((f) => f.id === "ob.iwdg-hardware");
		const bor = decoded?.findings
			.find((f) => f.id === "ob.bor-level")
			?.message.match(/\(([\d.]+) V\)/);
		return bootWatchResult(boot, {
			...(hardwareWatchdog !== undefined ? { hardwareWatchdog } : {}),
			...(bor ? { borVolts: Number(bor[1]) } : {}),
		});
	};

	const guarded = (run: () => Promise<StepResult>) => async (): Promise<StepResult> => {
		try {
			return await run();
		} catch (error) {
			// A bug is not a finding about the board: only the tool's own typed failures are.
			if (error instanceof BringupError) return deviceErrorResult(error);
			throw error;
		}
	};

	await engine.runAuto(
		{
			"image-fits": guarded(imageFits),
			"flash-matches": guarded(flashMatches),
			"option-bytes": guarded(optionBytesStep),
			"boot-watch": guarded(bootWatchStep),
		},
		{ again: !options.resume },
	);
	// Hands the interface back; after a leave the device is gone and this does nothing.
	await session.close();

	const state = store.getState();
	const steps: DoctorStep[] = engine.steps().map((s) => ({
		id: s.id,
		kind: s.kind,
		status: state.checks[s.id]?.status ?? "pending",
		findings: state.checks[s.id]?.findings ?? [],
	}));
	return {
		steps,
		verdict: engine.verdict(),
		device: identity,
		chip,
		remaining: remainingSteps(engine),
		...(optionBytes ? { optionBytes } : {}),
		...(boot ? { boot } : {}),
		...(inspection ? { inspection } : {}),
	};
}

/** Manual steps left, the one the verdict points at first. */
function remainingSteps(engine: ChecklistEngine): ResolvedStep[] {
	const open = engine
		.steps()
		.filter((s) => s.kind === "manual" && engine.status(s.id) === "pending");
	const first = engine.next();
	return first ? [first, ...open.filter((s) => s.id !== first.id)] : open;
}
