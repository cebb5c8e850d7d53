/**
 * --voltage for a flash: the board's supply, given now or remembered from an earlier run for the
 * same board (source/config/board-config.ts), turned into the Device Feature range. Whatever is
 * used is said; nothing is assumed.
 */
import { boardKey, configPath, loadBoardSettings, saveBoardSettings } from "../app/board-config.js";
import type { VoltageRangeCode } from "../dfu/device-feature.js";
import { voltageRangeLabel } from "../dfu/device-feature.js";
import { DfuUnsupportedError } from "../dfu/errors.js";
import { parseVolts, rangeForVolts } from "../dfu/supply-range.js";
import type { DeviceIdentity } from "../store/events.js";

export interface SupplyChoice {
	range?: VoltageRangeCode;
	volts?: number;
}

export interface SupplyInput {
	/** --voltage as given: volts, or "none" to forget a remembered one. */
	given?: string;
	identity?: DeviceIdentity;
	/** Another attached device reports the same serial. */
	sameSerialAttached: boolean;
	/** The loader has the Device Feature alt setting (F2/F4/F7). */
	hasDeviceFeature: boolean;
	say: (line: string) => void;
	configFile?: string;
}

export function chooseSupply(input: SupplyInput): SupplyChoice {
	const file = input.configFile ?? configPath();
	const key = input.identity ? boardKey(input.identity, input.sameSerialAttached) : undefined;
	const board = key?.replace(/^serial:/, "serial ").replace(/^path:/, "USB path ") ?? "this board";
	if (input.given !== undefined && /^\s*(none|off)\s*$/i.test(input.given)) {
		if (key && loadBoardSettings(key, file)?.voltage !== undefined) {
			saveBoardSettings(key, undefined, file);
			input.say(`forgot the supply voltage of ${board} (${file})`);
		}
		return {};
	}
	if (input.given !== undefined) {
		const volts = parseVolts(input.given);
		if (!input.hasDeviceFeature)
			throw new DfuUnsupportedError(
				`--voltage ${input.given}: this loader has no Device Feature alt setting, so it takes no supply range`,
				{ voltage: volts },
				"Only the F2/F4/F7 ROM loaders have it; flash without --voltage.",
			);
		if (key) {
			saveBoardSettings(key, { voltage: volts }, file);
			input.say(`supply ${volts} V for ${board}: remembered in ${file}`);
		}
		return { volts, range: rangeForVolts(volts) };
	}
	const remembered = key ? loadBoardSettings(key, file)?.voltage : undefined;
	if (remembered === undefined || !input.hasDeviceFeature) return {};
	const range = rangeForVolts(remembered);
	input.say(
		`supply ${remembered} V (${voltageRangeLabel(range)}) for ${board}, remembered in ${file}; --voltage none forgets it`,
	);
	return { volts: remembered, range };
}
