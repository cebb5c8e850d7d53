// Compares `lsusb -v` output with a capture from real hardware, field by field.
// Usage: node compare-lsusb.mjs ACTUAL EXPECTED   (exit 1 and the differing fields on mismatch)
// lsusb versions differ in presentation (hex or decimal lengths, usb.ids vendor names), so each
// field is reduced to its name and value; string descriptors keep their text, except the serial
// number, which belongs to one chip.
import { readFileSync } from "node:fs";

const STRING_FIELDS = new Set(["iManufacturer", "iProduct", "iConfiguration", "iInterface"]);

function normalise(text) {
	const fields = [];
	for (const raw of text.split("\n")) {
		const line = raw.trim().replace(/\s+/g, " ");
		if (!line || /^Bus \d+ Device \d+:/.test(line)) continue;
		const m = /^([A-Za-z]\w*) (\S+)(?: (.*))?$/.exec(line);
		if (!m) {
			fields.push(line);
			continue;
		}
		const [, name, value, rest] = m;
		const number = /^0x[0-9a-f]+$/i.test(value)
			? Number.parseInt(value, 16)
			: /^\d+$/.test(value)
				? Number.parseInt(value, 10)
				: undefined;
		let field = `${name} = ${number ?? value}`;
		if (STRING_FIELDS.has(name) && rest) field += ` "${rest}"`;
		fields.push(field);
	}
	return fields;
}

const [actualPath, expectedPath] = process.argv.slice(2);
const actual = normalise(readFileSync(actualPath, "utf8"));
const expected = normalise(readFileSync(expectedPath, "utf8"));
const problems = [];
for (let i = 0; i < Math.max(actual.length, expected.length); i++) {
	if (actual[i] !== expected[i])
		problems.push(
			`line ${i + 1}: got ${actual[i] ?? "(nothing)"}, want ${expected[i] ?? "(nothing)"}`,
		);
}
if (problems.length) {
	console.log(problems.slice(0, 10).join("\n"));
	console.log(`${problems.length} field(s) differ from ${expectedPath}`);
	process.exit(1);
}
console.log(`${expected.length} fields match ${expectedPath}`);
