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
	/**
	 * dfu-util's `-p` and `-S`. Given more than once (flash only), each names another board: a
	 * device matches when its path is any of `paths` and its serial any of `serials`, as the
	 * entries of one `-d` are alternatives; an empty list does not filter.
	 */
	paths: string[];
	serials: string[];
	config?: number;
	interface?: number;
	/** -a: a number or an alt-setting name (matched against the interface string). */
	alt?: number | string;
	transferSize?: number;
	wait: boolean;
}

export function selectionText(select: DeviceSelection): string {
	const parts: string[] = [];
	for (const id of select.ids)
		parts.push(
			`-d ${id.vendorId === undefined ? "" : hex4(id.vendorId)}:${id.productId === undefined ? "" : hex4(id.productId)}`,
		);
	for (const path of select.paths) parts.push(`-p ${path}`);
	for (const serial of select.serials) parts.push(`-S ${serial}`);
	return parts.length ? parts.join(" ") : "any DFU device";
}

/** Whether -d, -p or -S narrow the selection at all. */
export function isFiltered(select: DeviceSelection): boolean {
	return select.ids.length > 0 || select.paths.length > 0 || select.serials.length > 0;
}

/** More than one -p or -S: the user named several boards (a flash of each). */
export function namesSeveral(select: DeviceSelection): boolean {
	return select.paths.length > 1 || select.serials.length > 1;
}

/**
 * The -p and -S values that match no attached DFU device (with the other filters applied), so a
 * flash of named boards can say which one is missing before it writes to any.
 */
export function unmatchedNames(state: State, select: DeviceSelection): string[] {
	const missing: string[] = [];
	for (const path of select.paths)
		if (matchingDevices(state, { ...select, paths: [path] }, false).length === 0)
			missing.push(`-p ${path}`);
	for (const serial of select.serials)
		if (matchingDevices(state, { ...select, serials: [serial] }, false).length === 0)
			missing.push(`-S ${serial}`);
	return missing;
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
		if (select.paths.length > 0 && !select.paths.includes(d.path ?? "")) return false;
		if (select.serials.length > 0 && !select.serials.includes(d.serial ?? "")) return false;
		return true;
	});
}

/** Exactly one device, or a typed error saying what was seen and how to choose. */
export function selectOne(state: State, select: DeviceSelection, allowRuntime = true): string {
	const keys = matchingDevices(state, select, allowRuntime);
	if (keys.length === 1) return keys[0]!;
	if (keys.length === 0) {
		const filtered = isFiltered(select);
		const dfuSeen = filtered
			? matchingDevices(state, { ids: [], paths: [], serials: [], wait: false }, allowRuntime)
					.length
			: 0;
		throw new NoDeviceError(selectionText(select), state.deviceOrder.length, dfuSeen);
	}
	throw new AmbiguousDeviceError(keys.map((k) => describeLine(state.devices[k]!.identity)));
}
