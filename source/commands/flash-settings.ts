import type { FlashSettings } from "../app/flash-service.js";
import type { Args } from "./args.js";
import type { SupplyChoice } from "./supply.js";

/** What dfu-util's flags and bringup's own ask of a flash, for one board or for every board. */
export function flashSettings(args: Args, supply: SupplyChoice): FlashSettings {
	return {
		...(args.dfuse.address !== undefined ? { address: args.dfuse.address } : {}),
		verify: args.verify,
		leave: args.dfuse.leave,
		force: args.force || args.dfuse.force,
		massErase: args.dfuse.massErase,
		delta: !args.full,
		...(args.dfuse.willReset ? { willReset: true } : {}),
		...(supply.range !== undefined ? { voltageRange: supply.range } : {}),
	};
}
