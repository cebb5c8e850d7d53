import { loadChipData, resolveChip, resolveGuess } from "../chips/index.js";
import type { Chip } from "../chips/types.js";
import { altKind } from "../dfu/layout.js";
import {
	hasBlockingFindings,
	inspect,
	inspectionToJson,
	recordInspection,
} from "../doctor/inspect.js";
import { type LinkAddress, rawImageAddress } from "../doctor/link-address.js";
import { hex, UsageError } from "../errors.js";
import { LoadAddressRequiredError } from "../image/errors.js";
import type { Image } from "../image/image.js";
import { loadImage } from "../image/load.js";
import type { MemoryLayout } from "../store/events.js";
import { createStore } from "../store/store.js";
import { isFiltered, selectOne } from "../usb/select.js";
import type { Args } from "./args.js";
import { openContext } from "./context.js";
import { createOutput } from "./output.js";

function wantsDevice(args: Args): boolean {
	return args.sim !== undefined || isFiltered(args.select);
}

/** The chip to judge against: --chip, or the connected device when selection flags say so. */
async function resolveTarget(
	args: Args,
): Promise<{ chip?: Chip; layout?: MemoryLayout; label: string }> {
	if (args.chip) {
		return { chip: await resolveChip(args.chip), label: args.chip };
	}
	if (!wantsDevice(args)) return { label: "no chip (give --chip NAME or a device)" };
	const ctx = await openContext({ ...args, json: false, record: undefined });
	try {
		await ctx.scan();
		const key = selectOne(ctx.store.getState(), args.select);
		const description = ctx.store.getState().devices[key]?.description;
		const chip = await resolveGuess(description?.chip);
		const flash =
			description?.alts.find((a) => a.layout && altKind(a) === "flash") ?? description?.alts[0];
		return {
			...(chip ? { chip } : {}),
			...(flash?.layout ? { layout: flash.layout } : {}),
			label: description?.chip?.name ?? key,
		};
	} finally {
		await ctx.close();
	}
}

/**
 * The image to inspect. A raw binary without -s is placed where its own vector table says it
 * was linked, or at 0 when it has none (so that an ESP32 or RISC-V image can still be named).
 */
async function loadInspected(
	file: string,
	address: number | undefined,
): Promise<{ image: Image; inferred?: LinkAddress }> {
	try {
		return { image: await loadImage(file, address === undefined ? {} : { address }) };
	} catch (error) {
		if (!(error instanceof LoadAddressRequiredError)) throw error;
		const probe = await loadImage(file, { address: 0 });
		const inferred = rawImageAddress(probe.segments[0]!.data);
		return { image: await loadImage(file, { address: inferred.address }), inferred };
	}
}

/** `bringup inspect FILE [--chip NAME | device flags | --sim] [--address ADDR] [--json]` */
export async function runInspect(args: Args): Promise<number> {
	const file = args.inputs[0];
	if (!file) throw new UsageError("inspect needs a file: bringup inspect FILE [--chip NAME]");
	const out = createOutput(args.json);
	const address = args.address ?? args.dfuse.address;
	const { image, inferred } = await loadInspected(file, address);
	const target = await resolveTarget(args);
	// Every STM32 part's vector count and peripheral map sharpen the verdict, chip or not.
	await loadChipData();
	const writeAddress = address ?? inferred?.address;
	const inspection = inspect(image, {
		...(target.chip ? { chip: target.chip } : {}),
		...(target.layout ? { layout: target.layout } : {}),
		...(writeAddress !== undefined ? { address: writeAddress } : {}),
		...(inferred ? { inferred } : {}),
	});
	if (args.record) recordInspection(createStore(), inspection);
	const json = inspectionToJson(inspection);
	if (inferred)
		out.line(
			inferred.noTable
				? "address: none given and no Cortex-M vector table to read one from; inspected at 0x00000000"
				: `address: ${hex(inferred.address)}, inferred from the vector table (initial SP ${hex(inferred.initialSp)}, reset ${hex(inferred.reset)}); give -s to override`,
		);
	out.line(
		`${file}: ${json.format}, ${json.segments.map((s) => `${s.size} bytes at ${hex(s.address)}`).join(", ")}`,
	);
	if (json.vectorTable)
		out.line(
			`vector table at ${hex(json.vectorTable.address)}: SP ${hex(json.vectorTable.initialSp)}, reset ${hex(json.vectorTable.reset)}, ${json.vectorTable.length} entries`,
		);
	if (json.guess)
		out.line(
			`built for: ${json.guess.part ?? json.guess.family} (confidence ${Math.round(json.guess.confidence * 100)}%)${json.guess.evidence.length ? `\n  ${json.guess.evidence.slice(0, 4).join("\n  ")}` : ""}`,
		);
	out.line(`checked against: ${inspection.target ?? target.label}`);
	for (const f of json.findings) out.line(`${f.severity.padEnd(7)} ${f.message}`);
	const blocking = hasBlockingFindings(inspection);
	out.line(
		blocking
			? "verdict: do not flash this image to this chip"
			: "verdict: no blocking problem found",
	);
	out.result({ ok: !blocking, ...json });
	return blocking ? 2 : 0;
}
