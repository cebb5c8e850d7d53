import { DeviceGoneError, type DfuSession, openDfu } from "../dfu/index.js";
import { UsageError } from "../errors.js";
import type { BringupEvent } from "../store/events.js";
import { MissingBoardError, NoDeviceError } from "../usb/errors.js";
import { matchingDevices, selectionText, selectOne, unmatchedNames } from "../usb/select.js";
import type { Args } from "./args.js";
import { type CommandContext, openContext } from "./context.js";

export interface Target {
	key: string;
	device: USBDevice;
	session: DfuSession;
}

/**
 * Enumerates; with -w, as dfu-util does, keeps polling until a DFU device the -d/-p/-S flags
 * match shows up (and every board a repeated -p/-S names).
 */
export async function scanFor(ctx: CommandContext, args: Args, say: (t: string) => void) {
	await ctx.scan();
	let told = false;
	const missing = () => {
		const state = ctx.store.getState();
		return (
			matchingDevices(state, args.select).length === 0 ||
			unmatchedNames(state, args.select).length > 0
		);
	};
	while (args.select.wait && missing()) {
		if (!told) say("waiting for a DFU device (-w); press Ctrl-C to stop");
		told = true;
		await ctx.clock.sleep(100);
		await ctx.scan();
	}
}

/** Picks the one device the flags name and opens its DFU interface on the requested alt. */
export async function openTarget(
	ctx: CommandContext,
	args: Args,
	say: (t: string) => void,
	alt?: number | string,
): Promise<Target> {
	await scanFor(ctx, args, say);
	return openTargetKey(ctx, args, selectOne(ctx.store.getState(), args.select), alt);
}

/**
 * Opens the DFU interface of one enumerated device on the requested alt (-a), with the transfer
 * size (-t), and holds it to -c/-i: the same for one board and for each of many.
 */
export async function openTargetKey(
	ctx: CommandContext,
	args: Args,
	key: string,
	alt?: number | string,
): Promise<Target> {
	const device = ctx.watch.device(key);
	// It enumerated a moment ago; it may have left since (unplugged, reset).
	if (!device) throw new DeviceGoneError({ operation: "open device" });
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

/**
 * Every DFU device the flags select for a flash of many boards (`--all`, or -p/-S given more than
 * once): enumerated (-w waits for them), each named board present, none opened yet. A -p or -S
 * that matches nothing is an error before any board is written.
 */
export async function selectTargets(
	ctx: CommandContext,
	args: Args,
	say: (t: string) => void,
): Promise<string[]> {
	await scanFor(ctx, args, say);
	const state = ctx.store.getState();
	const keys = matchingDevices(state, args.select, false);
	const missing = unmatchedNames(state, args.select);
	if (missing.length > 0) throw new MissingBoardError(missing, keys.length);
	if (keys.length === 0)
		throw new NoDeviceError(
			selectionText(args.select),
			state.deviceOrder.length,
			matchingDevices(state, { ...args.select, ids: [], paths: [], serials: [] }, false).length,
		);
	return keys;
}

/**
 * The shape every device command shares: open the bus (real or simulated), pick and open the one
 * DFU interface the flags name, do the work, and close everything whatever happened.
 */
export async function withTarget<T>(
	args: Args,
	options: {
		onEvent?: (event: BringupEvent) => void;
		say: (t: string) => void;
		alt?: number | string;
	},
	work: (target: Target, ctx: CommandContext) => Promise<T>,
): Promise<T> {
	const ctx = await openContext(args, options.onEvent ? { onEvent: options.onEvent } : {});
	try {
		return await work(await openTarget(ctx, args, options.say, options.alt), ctx);
	} finally {
		await ctx.close();
	}
}
