import type { Args } from "./args.js";
import { openContext } from "./context.js";
import { deviceLines } from "./format-device.js";
import { createOutput } from "./output.js";
import { scanFor } from "./target.js";

/** `bringup list` / `-l`: every USB device on the bus, DFU devices decoded. */
export async function runList(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const ctx = await openContext(args);
	try {
		await scanFor(ctx, args, out.line);
		const state = ctx.store.getState();
		if (state.deviceOrder.length === 0)
			out.line(
				ctx.backend === "sim"
					? "No simulated device is attached."
					: "No USB device found. Put the board in DFU mode (BOOT0 high, then reset) and check the cable carries data.",
			);
		for (const key of state.deviceOrder)
			for (const line of deviceLines(key, state.devices[key]!)) out.line(line);
		out.result({
			ok: true,
			devices: state.deviceOrder.map((key) => {
				const d = state.devices[key]!;
				return { ...d.identity, ...(d.description ? { description: d.description } : {}) };
			}),
		});
		return 0;
	} finally {
		await ctx.close();
	}
}
