import { readMemory } from "../dfu/index.js";
import { hex, UsageError } from "../errors.js";
import type { Args } from "./args.js";
import { createOutput } from "./output.js";
import { prepareOutput } from "./output-file.js";
import { plainPrinter } from "./printer.js";
import { withTarget } from "./target.js";

/** `bringup read OUT -s ADDR[:LEN]`, or dfu-util's `-U OUT`. */
export async function runRead(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const file = args.upload ?? args.inputs[0];
	if (!file)
		throw new UsageError(
			"read needs an output file: bringup read OUT -s ADDR:LEN",
			{},
			"e.g. bringup read back.bin -s 0x08000000:0x4000",
		);
	const output = prepareOutput(file, "the output file", { force: args.force });
	const printer = plainPrinter({
		line: out.line,
		...(process.stderr.isTTY ? { progress: (t: string) => process.stderr.write(t) } : {}),
	});
	return withTarget(args, { onEvent: printer, say: out.line }, async ({ session }) => {
		const address = args.dfuse.address ?? session.layout?.segments[0]?.start;
		if (address === undefined)
			throw new UsageError("read needs an address on this alt setting: -s ADDR[:LEN]");
		if (args.dfuse.length === undefined)
			out.line(`no length given: reading to the end of the memory segment at ${hex(address)}`);
		const bytes = await readMemory(session, {
			address,
			...(args.dfuse.length !== undefined ? { length: args.dfuse.length } : {}),
			force: args.dfuse.force || args.force,
			file,
		});
		await output.commit(bytes);
		out.line(`read ${bytes.length} bytes from ${hex(address)} into ${file}`);
		out.result({ ok: true, file, address, bytes: bytes.length });
		return 0;
	});
}
