// Checks one batch of boards in `dfu-util -l` output against what the captures say they print.
// Usage: node compare-dfu-list.mjs DFU-L-OUTPUT PROFILES.JSON BATCH-INDEX
// Prints "PASS profile ..." / "FAIL profile: reason" per board, then "FLASH profile path base"
// lines for the flashing step (path as dfu-util -p takes it).
import { readFileSync } from "node:fs";

const [outputPath, profilesPath, batchIndex] = process.argv.slice(2);
const lines = readFileSync(outputPath, "utf8")
	.split("\n")
	.filter((l) => l.includes("Found DFU"));
const batch = JSON.parse(readFileSync(profilesPath, "utf8"))[Number(batchIndex)];
const field = (line, name) => new RegExp(`\\b${name}="?([^",]*)"?`).exec(line)?.[1];
const nameOf = (line) => /name="([^"]*)"/.exec(line)?.[1];

for (const want of batch) {
	// The board's lines: the serial, ver and alt-0 name it must show (f407 and f407-v21 share
	// serial and name; their ver differs).
	const alt0 = want.listing[0].name;
	const paths = new Set(
		lines
			.filter(
				(l) =>
					field(l, "alt") === "0" &&
					nameOf(l) === alt0 &&
					field(l, "serial") === want.serial &&
					field(l, "ver") === want.ver,
			)
			.map((l) => field(l, "path")),
	);
	if (paths.size !== 1) {
		console.log(
			`FAIL ${want.id}: ${paths.size} devices with ver=${want.ver}, alt 0 "${alt0}" and serial ${want.serial}`,
		);
		continue;
	}
	const [path] = paths;
	const mine = lines.filter((l) => field(l, "path") === path);
	const problems = [];
	if (mine.length !== want.listing.length)
		problems.push(`${mine.length} alt settings listed, want ${want.listing.length}`);
	for (const alt of want.listing) {
		const line = mine.find((l) => field(l, "alt") === String(alt.alt));
		if (!line) problems.push(`alt ${alt.alt} missing`);
		else if (nameOf(line) !== alt.name)
			problems.push(`alt ${alt.alt} name "${nameOf(line)}", want "${alt.name}" (${alt.from})`);
		else if (field(line, "ver") !== want.ver)
			problems.push(`ver=${field(line, "ver")}, want ${want.ver} (${want.verFrom})`);
	}
	if (want.serialFrom.startsWith("MISMATCH")) problems.push(`serial: ${want.serialFrom}`);
	const from = [...new Set([want.verFrom, want.serialFrom, ...want.listing.map((a) => a.from)])]
		.filter((f) => f !== "profile")
		.join(" ");
	if (problems.length) console.log(`FAIL ${want.id}: ${problems.join("; ")}`);
	else
		console.log(
			`PASS ${want.id}: ${mine.length} alts, ver=${want.ver}, serial ${want.serial}${from ? ` as in ${from}` : " (no capture)"}`,
		);
	console.log(`FLASH ${want.id} ${path} 0x${want.base.toString(16)}`);
}
