/**
 * Error hints and the inspector's findings are written for the command line (they name --force,
 * --yes, -s ...). On the screens the same advice is a key or a field: these rewrite the
 * command-line phrasings they use.
 */
const REWRITES: [RegExp, string][] = [
	[/--force \(or -s [^)]*\) flashes it anyway/g, "F on the plan flashes it anyway"],
	[/:force writes anyway/g, "F on the plan writes anyway"],
	[
		/run bringup unprotect --yes \(U on the Flash screen; dfu-util: -s :unprotect:force\)/g,
		"press U on the Flash screen and type yes",
	],
	[
		/Confirm with --yes \(or by typing yes when asked\); --force overrides the inspector, it does not confirm\./g,
		"Confirm on the plan (y), or type yes when asked; F overrides the inspector, it does not confirm.",
	],
	[/\(--dfuse-address\)/g, "(the Address field)"],
	[
		/give the address: -s (0x[0-9A-Fa-f]+) \(flash, inspect, doctor\) or FILE@0x[0-9A-Fa-f]+ \(convert\)/g,
		"type it in the Address field, e.g. $1",
	],
	// The inspector's findings say where "-s" puts an image; on the Flash screen that is the field.
	[/; give -s to flash it\./g, "; type it in the Address field to flash it there."],
	[/ but -s writes it at /g, " but the Address field writes it at "],
	[/--voltage none/g, "v on the plan, then none"],
	[
		/flash again without --voltage \(byte-wise, slower\), or with its real supply/g,
		"plan again and press v: none (byte-wise, slower), or the board's real supply",
	],
];

/** Where a rewrite can apply at all: most texts (every log line goes through here) have none. */
const FLAG = /--|-s |:force/;

export function screenHint(hint: string): string {
	if (!FLAG.test(hint)) return hint;
	return REWRITES.reduce((text, [pattern, words]) => text.replace(pattern, words), hint);
}
