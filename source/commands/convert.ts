import { readFile } from "node:fs/promises";
import { hex, UsageError } from "../errors.js";
import { convert, parseInputSpec } from "../image/convert.js";
import { ImageReadError } from "../image/errors.js";
import type { Args } from "./args.js";
import { createOutput } from "./output.js";
import { prepareOutput } from "./output-file.js";

/** `bringup convert IN[@ADDR]... -o OUT.dfu|.hex|.bin [--vid --pid --bcd]` */
export async function runConvert(args: Args): Promise<number> {
	if (!args.output)
		throw new UsageError(
			"convert needs -o OUT.dfu|.hex|.bin",
			{},
			"bringup convert a.bin@0x08000000 -o a.dfu",
		);
	const out = createOutput(args.json);
	const output = prepareOutput(args.output, "the output file", { force: args.force });
	const inputs = await Promise.all(
		args.inputs.map(async (spec) => {
			const { path, address } = parseInputSpec(spec);
			try {
				return { bytes: new Uint8Array(await readFile(path)), name: path, address };
			} catch (error) {
				throw new ImageReadError(path, (error as Error).message);
			}
		}),
	);
	const result = convert(inputs, {
		output: args.output,
		vid: args.vid,
		pid: args.pid,
		bcd: args.bcd,
	});
	await output.commit(result.bytes);
	for (const note of result.notes) out.line(`note: ${note}`);
	for (const s of result.image.segments)
		out.line(
			`  ${hex(s.address)}  ${String(s.data.length).padStart(8)} bytes${s.alt !== undefined ? `  alt ${s.alt}` : ""}`,
		);
	out.line(
		`wrote ${args.output} (${result.bytes.length} bytes, ${result.image.segments.length} segment${result.image.segments.length === 1 ? "" : "s"})`,
	);
	out.result({
		ok: true,
		output: args.output,
		bytes: result.bytes.length,
		segments: result.image.segments.map((s) => ({ address: s.address, size: s.data.length })),
		notes: result.notes,
	});
	return 0;
}
