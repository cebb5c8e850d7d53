// Runs on the host before the guest boots (node is far quicker there than under TCG): writes the
// firmware images the checks flash and the option bytes the simulator should hand to dfu-util.
// Usage: node prepare.mjs ROOT OUT PROFILE/SCENARIO
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [root, out, spec] = process.argv.slice(2);
const load = (path) => import(pathToFileURL(join(root, "dist/source/sim", path)).href);
const sim = await load("index.js");
const { buildImage } = await load("images.js");
const { profile: profileId, scenario } = sim.parseSimSpec(spec);
const profile = sim.profileById(profileId);

// Plausible applications for the chip (vector table, peripheral use), so that bringup's
// inspector lets them through like a real build; distinct seeds make distinct bytes.
const ram = profile.ram.find((r) => r.address >= 0x20000000) ?? profile.ram[0];
const image = (size, seed) =>
	buildImage({
		linkAddress: profile.flash.base,
		stackTop: ram.address + ram.size,
		vectorCount: profile.vectorCount,
		peripherals: Object.values(profile.peripherals),
		size,
		seed,
	});
writeFileSync(join(out, "img.bin"), image(40 * 1024, 11));
writeFileSync(join(out, "img2.bin"), image(40 * 1024, 12));
writeFileSync(join(out, "a.bin"), image(8 * 1024, 13));
writeFileSync(join(out, "bench.bin"), image(256 * 1024, 14));

const simulation = sim.createSimulation({ profile: profileId, scenario });
const optionBytes = simulation.boards[0].readMemory(0x1fffc000, 16);
simulation.close();
writeFileSync(join(out, "option-bytes.hex"), `${Buffer.from(optionBytes).toString("hex")}\n`);

// Every profile, listed and flashed through the kernel: the boards for one server (one batch;
// the guest gives vhci-hcd three controllers), what `dfu-util -l` must print for each, and a
// small image.
// What it must print comes from the real captures the profile names, byte for byte (names from
// pastes whose spacing is trustworthy, ver, and the serial where the rule makes it one string);
// alts or fields no capture shows come from the profile itself.
const { readFileSync } = await import("node:fs");
const { loaderSerial } = await load("profiles.js");
const captures = join(root, "test/fixtures/captures/real");
const unique = [...new Set(Object.values(sim.PROFILES))];
const expectations = unique.map((p) => {
	const listing = p.alts.map((alt, index) => ({
		alt: index,
		name: alt.name,
		from: "profile",
	}));
	let ver = p.usb.bcdDevice.toString(16).padStart(4, "0");
	let verFrom = "profile";
	const serial = loaderSerial(p, p.uid.words);
	let serialFrom = "profile";
	for (const file of p.captures) {
		const text = readFileSync(join(captures, file), "utf8");
		const collapsed = /^# TRUST:.*(normalis|collapsed)/im.test(text);
		// lsusb -v: iInterface strings in alt order, bcdDevice, iSerial.
		let lsusbAlt = 0;
		for (const line of text.split("\n")) {
			const iface = /^\s*iInterface\s+\d+ (@.*)$/.exec(line)?.[1];
			if (iface !== undefined && !collapsed && listing[lsusbAlt])
				listing[lsusbAlt] = { alt: lsusbAlt, name: iface, from: file };
			if (iface !== undefined) lsusbAlt++;
			const iSerial = /^\s*iSerial\s+\d+ (\S+)\s*$/.exec(line)?.[1];
			if (iSerial === serial) serialFrom = file;
			else if (iSerial && p.usb.serial.kind !== "uid") serialFrom = `MISMATCH ${file}: ${iSerial}`;
			const bcd = /^\s*bcdDevice\s+(\d+)\.(\d\d)\s*$/.exec(line);
			if (bcd) {
				ver = `${bcd[1].padStart(2, "0")}${bcd[2]}`;
				verFrom = file;
			}
		}
		for (const line of text.split("\n")) {
			if (!/Found DFU: \[0483:df11\]/.test(line)) continue;
			const alt = Number(/\balt=(\d+)/.exec(line)?.[1]);
			const name = /name="([^"]*)"/.exec(line)?.[1];
			const v = /\bver=([0-9a-fA-F]{4})/.exec(line)?.[1];
			const s = /serial="([^"]*)"/.exec(line)?.[1];
			if (name !== undefined && !collapsed && listing[alt])
				listing[alt] = { alt, name, from: file };
			if (v) {
				ver = v.toLowerCase();
				verFrom = file;
			}
			if (s && /^[0-9A-Za-z]+$/.test(s) && (p.usb.serial.kind !== "uid" || s === serial)) {
				if (s !== serial) serialFrom = `MISMATCH ${file}: ${s}`;
				else serialFrom = file;
			}
		}
	}
	return { id: p.id, base: p.flash.base, ver, verFrom, serial, serialFrom, listing };
});
const BATCH = 24;
const batches = [];
for (let i = 0; i < expectations.length; i += BATCH) batches.push(expectations.slice(i, i + BATCH));
writeFileSync(join(out, "profiles.json"), `${JSON.stringify(batches, null, 1)}\n`);
writeFileSync(
	join(out, "profile-batches.txt"),
	`${batches.map((b) => b.map((e) => `${e.id}/blank`).join(",")).join("\n")}\n`,
);
writeFileSync(join(out, "small.bin"), image(4096, 15));
