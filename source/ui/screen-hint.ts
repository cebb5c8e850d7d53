/**
 * Error hints are written for the command line (they name --force, --yes, -s ...:force). On the
 * screens the same advice is a key: these rewrite the command-line phrasings the errors use.
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
	[/--voltage none/g, "bringup flash --voltage none"],
];

export function screenHint(hint: string): string {
	return REWRITES.reduce((text, [pattern, words]) => text.replace(pattern, words), hint);
}
