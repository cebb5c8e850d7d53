import { detach } from "../dfu/index.js";
import type { Args } from "./args.js";
import { createOutput } from "./output.js";
import { plainPrinter } from "./printer.js";
import { withTarget } from "./target.js";

/** dfu-util's `-e`: ask a run-time DFU device (an application) to drop into its DFU loader. */
export async function runDetach(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const printer = plainPrinter({ line: out.line });
	return withTarget(args, { onEvent: printer, say: out.line }, async ({ session }) => {
		await detach(session);
		out.line(
			session.isRuntime
				? "detach sent: the device should come back in DFU mode (bringup list -w to see it)"
				: "detach sent to a device already in DFU mode",
		);
		out.result({ ok: true });
		return 0;
	});
}
