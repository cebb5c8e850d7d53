/**
 * Many boards at once: which attached boards a flash of "every matching board" takes, and how
 * each is named to the user. Pure functions of the store's state and device identities.
 */
import type { DeviceIdentity } from "../store/events.js";
import type { State } from "../store/reduce.js";

/**
 * The DFU-mode boards like `key`'s (same USB ids and the same chip, as its loader's descriptors
 * name it), in bus order, `key` among them: a tray of one kind of board. Boards of another chip
 * would only be refused by the inspector, so they are not offered.
 */
export function matchingBoards(state: State, key: string): string[] {
	const like = state.devices[key];
	if (like?.identity.mode !== "dfu") return [];
	const chip = like.description?.chip?.name;
	return state.deviceOrder.filter((k) => {
		const d = state.devices[k];
		if (d?.identity.mode !== "dfu") return false;
		if (k === key) return true;
		return (
			d.identity.vendorId === like.identity.vendorId &&
			d.identity.productId === like.identity.productId &&
			d.description !== undefined &&
			d.description.chip?.name === chip
		);
	});
}

/**
 * Each board's label: its serial where that names one board, its USB path where serials collide
 * (the F446 and F72x loaders report STM32FxSTM32 on every board), else its device key.
 */
export function boardLabels(identities: readonly DeviceIdentity[]): Map<string, string> {
	const count = new Map<string, number>();
	for (const d of identities) if (d.serial) count.set(d.serial, (count.get(d.serial) ?? 0) + 1);
	return new Map(
		identities.map((d) => [
			d.key,
			d.serial && count.get(d.serial) === 1
				? `serial ${d.serial}`
				: d.path
					? `path ${d.path}`
					: d.key,
		]),
	);
}

/** Whether another attached device reports `key`'s serial (then it is known by its USB path). */
export function serialShared(state: State, key: string): boolean {
	const serial = state.devices[key]?.identity.serial;
	return (
		!!serial &&
		Object.values(state.devices).some((d) => d.identity.key !== key && d.identity.serial === serial)
	);
}
