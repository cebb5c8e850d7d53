import { hex, UsageError } from "../errors.js";
import { writeDfuse } from "./dfuse-file.js";
import { ImageOutputError } from "./errors.js";
import { flattenImage } from "./flatten.js";
import { writeIhexBytes } from "./ihex.js";
import type { Image, ImageFormat } from "./image.js";
import { loadImageBytes } from "./load.js";
import { normaliseSegments, type PlacedSegment } from "./normalise.js";

/**
 * `bringup convert IN[@ADDR]... -o OUT.dfu|.hex|.bin [--vid --pid --bcd]` as a pure function:
 * the command reads the files and writes `bytes`; everything in between happens here.
 */

export interface ConvertInput {
	bytes: Uint8Array;
	name: string;
	/** Required for raw binaries; files with their own addresses ignore it (with a note). */
	address?: number;
}

export interface ConvertOptions {
	/** Output file name; its extension picks the format. */
	output: string;
	vid?: number;
	pid?: number;
	bcd?: number;
}

export interface ConvertResult {
	bytes: Uint8Array;
	image: Image;
	notes: string[];
}

export type OutputFormat = "dfuse" | "ihex" | "bin";

export function outputFormatOf(output: string): OutputFormat {
	const ext = /\.([A-Za-z0-9]+)$/.exec(output)?.[1]?.toLowerCase();
	if (ext === "dfu") return "dfuse";
	if (ext === "hex" || ext === "ihex" || ext === "ihx") return "ihex";
	if (ext === "bin") return "bin";
	throw new UsageError(
		`cannot tell the output format of ${output}`,
		{ file: output },
		"name the output OUT.dfu, OUT.hex or OUT.bin",
	);
}

/** "fw.bin@0x08004000" → path and address. An '@' not followed by a number is part of the path. */
export function parseInputSpec(spec: string): { path: string; address?: number } {
	const at = spec.lastIndexOf("@");
	if (at <= 0) return { path: spec };
	const tail = spec.slice(at + 1);
	if (!/^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*)$/.test(tail)) {
		if (/^(0[xX]|[0-9])/.test(tail)) {
			throw new UsageError(
				`${tail} in ${spec} is not an address`,
				{ spec },
				"write addresses like 0x08000000",
			);
		}
		return { path: spec };
	}
	const address = Number(tail.replaceAll("_", ""));
	if (!Number.isSafeInteger(address) || address > 0xffffffff) {
		throw new UsageError(`${tail} in ${spec} is not a 32-bit address`, { spec });
	}
	return { path: spec.slice(0, at), address };
}

function checkId(flag: string, value: number | undefined): void {
	if (value === undefined) return;
	if (!Number.isInteger(value) || value < 0 || value > 0xffff) {
		throw new UsageError(
			`--${flag} ${value} does not fit in 16 bits`,
			{ [flag]: value },
			"give a value from 0 to 0xFFFF",
		);
	}
}

function prefixed(name: string, text: string): string {
	return text.startsWith(name) ? text : `${name}: ${text}`;
}

export function convert(inputs: readonly ConvertInput[], options: ConvertOptions): ConvertResult {
	const format = outputFormatOf(options.output);
	checkId("vid", options.vid);
	checkId("pid", options.pid);
	checkId("bcd", options.bcd);
	if (inputs.length === 0)
		throw new UsageError(
			"convert needs at least one input file",
			{},
			"bringup convert IN[@ADDR]... -o OUT",
		);

	const notes: string[] = [];
	const pieces: PlacedSegment[] = [];
	const entries = new Set<number>();
	let suffix: Image["suffix"];
	for (const input of inputs) {
		const loaded = loadImageBytes(input.bytes, input.name, { address: input.address });
		for (const w of loaded.warnings ?? []) notes.push(prefixed(input.name, w));
		if (loaded.entry !== undefined) entries.add(loaded.entry);
		if (loaded.suffix && !suffix) suffix = loaded.suffix;
		for (const s of loaded.segments) {
			pieces.push({ ...s, origin: `${input.name}${s.name ? ` ${s.name}` : ""}` });
		}
	}
	const label = inputs.length === 1 ? inputs[0]!.name : inputs.map((i) => i.name).join(" + ");
	const segments = normaliseSegments(label, pieces);
	const alts = new Set(segments.map((s) => s.alt ?? 0));
	if (format !== "dfuse" && alts.size > 1) {
		throw new ImageOutputError(
			options.output,
			`the inputs address ${alts.size} alt settings (${[...alts].join(", ")}), which one ${format === "ihex" ? ".hex" : ".bin"} file cannot tell apart`,
			{},
			"write a .dfu, which keeps one target per alt setting",
		);
	}
	if (entries.size > 1) {
		notes.push(
			`inputs name ${entries.size} different entry points; ${hex([...entries][0]!)} is kept`,
		);
	}
	const entry = entries.size > 0 ? [...entries][0] : undefined;
	const ids = {
		vendorId: options.vid ?? suffix?.vendorId,
		productId: options.pid ?? suffix?.productId,
		bcdDevice: options.bcd ?? suffix?.bcdDevice,
	};
	const imageFormat: ImageFormat = format;
	const image: Image = {
		format: imageFormat,
		source: options.output,
		segments: format === "dfuse" ? segments : segments.map(({ alt: _alt, ...rest }) => rest),
		...(entry !== undefined ? { entry } : {}),
	};

	let bytes: Uint8Array;
	if (format === "dfuse") {
		bytes = writeDfuse(image, ids);
		const written = {
			vendorId: ids.vendorId ?? 0x0483,
			productId: ids.productId ?? 0xdf11,
			bcdDevice: ids.bcdDevice ?? 0xffff,
		};
		image.suffix = { ...written, bcdDFU: 0x011a };
		notes.push(
			`DfuSe file for ${hex(written.vendorId, 4)}:${hex(written.productId, 4)} (bcdDevice ${hex(written.bcdDevice, 4)}; 0xFFFF matches any), ` +
				`${segments.length} element${segments.length === 1 ? "" : "s"} in ${alts.size} target${alts.size === 1 ? "" : "s"}`,
		);
	} else if (format === "ihex") {
		bytes = writeIhexBytes(image);
		if (options.vid !== undefined || options.pid !== undefined || options.bcd !== undefined) {
			notes.push("--vid/--pid/--bcd only apply to .dfu output; ignored");
		}
	} else {
		const flat = flattenImage(image);
		bytes = flat.bytes;
		image.segments = [{ address: flat.address, data: flat.bytes }];
		for (const gap of flat.gaps) {
			notes.push(
				`filled ${gap.length} bytes between ${hex(gap.address)} and ${hex(gap.address + gap.length - 1)} with 0xFF (erased flash)`,
			);
		}
		notes.push(
			`a .bin has no addresses: flash it at ${hex(flat.address)} (e.g. -s ${hex(flat.address)})`,
		);
		if (entry !== undefined) notes.push(`the entry point ${hex(entry)} is not kept in a .bin`);
		if (options.vid !== undefined || options.pid !== undefined || options.bcd !== undefined) {
			notes.push("--vid/--pid/--bcd only apply to .dfu output; ignored");
		}
	}
	return { bytes, image, notes };
}
