import { hex4 } from "../format.js";
import { describeDevice as describeLine } from "../store/describe-event.js";
import type { State } from "../store/reduce.js";
import { AmbiguousDeviceError, NoDeviceError } from "./errors.js";

/** dfu-util's `-d [VID]:[PID]` entries: run-time and DFU-mode ids; either may match. */
export interface DeviceFilter {
	vendorId?: number;
	productId?: number;
}

export interface DeviceSelection {
	ids: DeviceFilter[];
	path?: string;
	serial?: string;
	config?: number;
	interface?: number;
	/** -a: a number or an alt-setting name (matched against the interface string). */
	alt?: number | string;
	transferSize?: number;
	wait: boolean;
}

function filterText(select: DeviceSelection): string {
	const parts: string[] = [];
	for (const id of select.ids)
		parts.push(
			`-d ${id.vendorId === undefined ? "" : hex4(id.vendorId)}:${id.productId === undefined ? "" : hex4(id.productId)}`,
		);
	if (select.path) parts.push(`-p ${select.path}`);
	if (select.serial) parts.push(`-S ${select.serial}`);
	return parts.length ? parts.join(" ") : "any DFU device";
}

/** Device keys matching dfu-util's selection flags; app-mode devices never match. */
export function matchingDevices(
	state: State,
	select: DeviceSelection,
	allowRuntime = true,
): string[] {
	return state.deviceOrder.filter((key) => {
		const d = state.devices[key]!.identity;
		if (d.mode === "app" || (!allowRuntime && d.mode === "runtime")) return false;
		if (
			select.ids.length > 0 &&
			!select.ids.some(
				(id) =>
					(id.vendorId === undefined || id.vendorId === d.vendorId) &&
					(id.productId === undefined || id.productId === d.productId),
			)
		)
			return false;
		if (select.path && d.path !== select.path) return false;
		if (select.serial && d.serial !== select.serial) return false;
		return true;
	});
}

/** Exactly one device, or a typed error saying what was seen and how to choose. */
export function selectOne(state: State, select: DeviceSelection, allowRuntime = true): string {
	const keys = matchingDevices(state, select, allowRuntime);
	if (keys.length === 1) return keys[0]!;
	if (keys.length === 0) {
		const filtered =
			select.ids.length > 0 || select.path !== undefined || select.serial !== undefined;
		const dfuSeen = filtered
			? matchingDevices(state, { ids: [], wait: false }, allowRuntime).length
			: 0;
		throw new NoDeviceError(filterText(select), state.deviceOrder.length, dfuSeen);
	}
	throw new AmbiguousDeviceError(keys.map((k) => describeLine(state.devices[k]!.identity)));
}
