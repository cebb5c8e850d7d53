import type { AltKind, AltSetting } from "./profiles.js";

/** An alt setting that reaches one contiguous run of memory (most do; dual-bank OB runs do not). */
export function alt(kind: AltKind, name: string, address: number, size: number): AltSetting {
	return { name, kind, runs: [{ address, size }] };
}
