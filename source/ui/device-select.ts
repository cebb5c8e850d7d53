import { vidPid } from "../format.js";
import type { DeviceState, State } from "../store/reduce.js";

/** The selected device's state, or undefined when nothing is attached or selected. */
export function selectedDevice(state: State): DeviceState | undefined {
	return state.selected ? state.devices[state.selected] : undefined;
}

/** The key one step up or down from the selection, clamped at the ends of the list. */
export function stepSelection(state: State, delta: number): string | undefined {
	const order = state.deviceOrder;
	if (order.length === 0) return undefined;
	const at = state.selected ? order.indexOf(state.selected) : -1;
	const next = Math.max(0, Math.min(order.length - 1, at < 0 ? 0 : at + delta));
	return order[next];
}

/** A short name for the target: chip guess, else product string, else VID:PID. */
export function deviceName(device: DeviceState): string {
	const id = device.identity;
	return device.description?.chip?.name ?? id.product?.trim() ?? vidPid(id);
}

export function simulatorActive(state: State): boolean {
	return (
		state.backends.sim?.available === true ||
		state.deviceOrder.some((k) => state.devices[k]?.identity.backend === "sim")
	);
}
