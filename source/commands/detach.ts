import { detach } from "../dfu/index.js";
import type { Args } from "./args.js";
import { openContext } from "./context.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { openTarget } from "./target.js";

/** dfu-util's `-e`: ask a run-time DFU device (an application) to drop into its DFU loader. */
export async function runDetach(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const ctx = await openContext(args, { onEvent: plainPrinter({ line: out.line }) });
	try {
		const { session } = await openTarget(ctx, args, out.line);
		await detach(session);
		out.line(
			session.isRuntime
				? "detach sent: the device should come back in DFU mode (bringup list -w to see it)"
				: "detach sent to a device already in DFU mode",
		);
		out.result({ ok: true });
		return 0;
	} finally {
		await ctx.close();
	}
}
