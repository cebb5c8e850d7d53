import { massErase, readUnprotect } from "../dfu/index.js";
import type { Args } from "./args.js";
import { confirmDestructive } from "./confirm.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { withTarget } from "./target.js";

/** `bringup erase` (mass erase) and `bringup unprotect` (read unprotect): both erase the chip. */
export async function runDestructive(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const unprotect = args.command === "unprotect";
	const printer = plainPrinter({ line: out.line });
	return withTarget(args, { onEvent: printer, say: out.line }, async ({ session }) => {
		await confirmDestructive(
			unprotect ? "read unprotect" : "mass erase",
			unprotect
				? "removing read protection erases the whole flash, and the chip resets"
				: "it erases the whole flash",
			args.yes || args.dfuse.force,
		);
		const { job } = unprotect
			? await readUnprotect(session, { confirmed: true })
			: await massErase(session, { confirmed: true });
		out.line(
			unprotect ? "read protection removed; the chip was erased and resets" : "flash erased",
		);
		out.result({ ok: true, job });
		return 0;
	});
}
