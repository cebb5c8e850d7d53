import {
	type ChipIndex,
	chipForGuess,
	identify,
	loadChipData,
	loadChipIndex,
} from "../chips/index.js";
import { type DfuSession, openDfu } from "../dfu/index.js";
import { BringupError, DeviceSelectionError } from "../errors.js";
import { bcdDevice, identify as identifyUsb } from "../usb/identity.js";
import { type ChecklistEngine, createChecklist } from "./checklist.js";
import { causedFinding } from "./checklist-findings.js";
import type { ResolvedStep, StepResult, Verdict } from "./checklist-types.js";
import type { DoctorContext } from "./doctor-context.js";
import { bootWatchStep, optionBytesStep } from "./doctor-device-steps.js";
import { flashMatchesStep, imageFitsStep } from "./doctor-image-steps.js";
import type { DoctorOptions, DoctorResult, DoctorStep } from "./doctor-types.js";

export type { DoctorOptions, DoctorResult, DoctorStep } from "./doctor-types.js";

/**
 * `bringup doctor`: runs the automatic checklist steps against a DFU device, headless, then lists
 * the board checks that remain. Every step start, result and finding goes to the store, so the
 * Checklist screen shows the same run and a recording replays it.
 *
 * "What you flashed": with an image, the image; without one, what the chip's flash holds (read
 * back, trailing erased bytes dropped) is inspected, and the compare step needs a SHA-256 or is
 * skipped.
 */

/** The JSON `bringup doctor --json` prints as its last line. */
export function doctorJson(result: DoctorResult): { steps: DoctorStep[]; verdict: Verdict | null } {
	return { steps: result.steps, verdict: result.verdict };
}

const SOURCE = "doctor";

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
	const { device, store, clock } = options;
	const session = await openDfu(device, { clock, store, source: SOURCE });
	if (session.isRuntime) throw new NotDfuDeviceError();
	// Every STM32 the data knows can be named and judged, not only the hand-written families.
	const [index] = await Promise.all([loadChipIndex(), loadChipData()]);
	const ctx = doctorContext(options, session, index);
	const engine: ChecklistEngine = createChecklist({
		store,
		clock,
		family: ctx.chip.family,
		source: SOURCE,
	});
	store.append({
		type: "log.message",
		source: SOURCE,
		at: clock.now(),
		level: "info",
		text: `doctor: ${ctx.chip.name} (${ctx.chip.confidence} confidence)`,
	});
	const step = (run: (ctx: DoctorContext) => Promise<StepResult>) => guarded(() => run(ctx));
	await engine.runAuto(
		{
			"image-fits": step(imageFitsStep),
			"flash-matches": step(flashMatchesStep),
			"option-bytes": step(optionBytesStep),
			"boot-watch": step(bootWatchStep),
		},
		{ again: !options.resume },
	);
	// Hands the interface back; after a leave the device is gone and this does nothing.
	await session.close();
	return doctorResult(ctx, engine);
}

/** The chip as the loader's descriptors name it, and the flash alt the steps work on. */
function doctorContext(
	options: DoctorOptions,
	session: DfuSession,
	index: ChipIndex,
): DoctorContext {
	const { device } = options;
	const flashAlt = session.alt;
	const chip = identify(
		{
			vendorId: device.vendorId,
			productId: device.productId,
			bcdDevice: bcdDevice(device),
			...(device.productName ? { product: device.productName } : {}),
			alts: session.info.alts.map((a) => ({ alt: a.alt, name: a.name })),
		},
		index,
	);
	return {
		options,
		session,
		store: options.store,
		clock: options.clock,
		image: options.image,
		chip,
		target: chipForGuess(chip),
		flashAlt,
		flashLayout: flashAlt.layout,
		flashBase: flashAlt.layout?.segments[0]?.start ?? 0x08000000,
		found: {},
	};
}

/** A bug is not a finding about the board: only the tool's own typed failures are. */
function guarded(run: () => Promise<StepResult>) {
	return async (): Promise<StepResult> => {
		try {
			return await run();
		} catch (error) {
			if (error instanceof BringupError) return deviceErrorResult(error);
			throw error;
		}
	};
}

function doctorResult(ctx: DoctorContext, engine: ChecklistEngine): DoctorResult {
	const { options, store, session, found } = ctx;
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
		device: identifyUsb(
			options.device,
			options.watch?.keyOf(options.device) ?? session.deviceKey,
			options.backend ?? "usb",
		),
		chip: ctx.chip,
		remaining: remainingSteps(engine),
		...(found.optionBytes ? { optionBytes: found.optionBytes } : {}),
		...(found.boot ? { boot: found.boot } : {}),
		...(found.inspection ? { inspection: found.inspection } : {}),
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
