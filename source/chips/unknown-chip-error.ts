import { UsageError } from "../errors.js";

/** `--chip NAME` names no STM32 part, line or family in the chip data. */
export class UnknownChipError extends UsageError {
	override readonly kind = "unknown-chip";
	readonly closest: readonly string[];

	constructor(name: string, closest: readonly string[]) {
		super(
			`unknown chip "${name}"`,
			{ chip: name, closest: closest.join(", ") },
			closest.length
				? `Closest known names: ${closest.join(", ")}. A part (STM32F407VG), a line (F407) or a family (F4) works.`
				: "Give an STM32 part (STM32F407VG), a line (F407) or a family (F4).",
		);
		this.closest = closest;
	}
}
