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
