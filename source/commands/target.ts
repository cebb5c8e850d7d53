import { type DfuSession, openDfu } from "../dfu/index.js";
import { UsageError } from "../errors.js";
import { selectOne } from "../usb/select.js";
import type { Args } from "./args.js";
import type { CommandContext } from "./context.js";

export interface Target {
	key: string;
	device: USBDevice;
	session: DfuSession;
}

/** With -w, dfu-util polls until a matching device shows up; so do we. */
async function waitForDevice(ctx: CommandContext, args: Args, say: (t: string) => void) {
	let told = false;
	for (;;) {
		await ctx.scan();
		try {
			return selectOne(ctx.store.getState(), args.select);
		} catch (error) {
			if (!args.select.wait) throw error;
			if (!told) say("waiting for a DFU device (-w); press Ctrl-C to stop");
			told = true;
			await ctx.clock.sleep(250);
		}
	}
}

/** Picks the one device the flags name and opens its DFU interface on the requested alt. */
export async function openTarget(
	ctx: CommandContext,
	args: Args,
	say: (t: string) => void,
	alt?: number | string,
): Promise<Target> {
	const key = await waitForDevice(ctx, args, say);
	const device = ctx.watch.device(key)!;
	const session = await openDfu(device, {
		clock: ctx.clock,
		store: ctx.store,
		deviceKey: key,
		...(alt !== undefined
			? { alt }
			: args.select.alt !== undefined
				? { alt: args.select.alt }
				: {}),
		...(args.select.transferSize !== undefined ? { transferSize: args.select.transferSize } : {}),
	});
	// dfu-util's -c and -i pick the configuration and interface; a DFU loader has one of each,
	// so a value that names another is a mistake worth stopping for, not ignoring.
	const { configurationValue, interfaceNumber } = session.info;
	if (
		(args.select.config !== undefined && args.select.config !== configurationValue) ||
		(args.select.interface !== undefined && args.select.interface !== interfaceNumber)
	) {
		await session.close();
		throw new UsageError(
			`the device's DFU interface is interface ${interfaceNumber} of configuration ${configurationValue}; -c ${args.select.config ?? "-"} -i ${args.select.interface ?? "-"} names another`,
			{ configuration: configurationValue, interface: interfaceNumber },
			"Drop -c/-i (bringup finds the DFU interface itself), or see bringup list.",
		);
	}
	return { key, device, session };
}
