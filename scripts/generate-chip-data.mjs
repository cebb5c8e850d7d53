#!/usr/bin/env node
/**
 * Generates source/chips/generated/ from embassy-rs/stm32-data-generated (data/chips/*.json),
 * read at the pinned commit below. See docs/chip-data.md.
 *
 *   node scripts/generate-chip-data.mjs PATH [--out DIR] [--check] [--commit SHA]
 *
 * --check writes nothing and exits 1 when the committed files differ from what it would write.
 * --commit reads another commit than the pinned one (to move the pin: generate, review, then
 * update PINNED_COMMIT); the output records whichever commit it was read from.
 *
 * PATH is a clone of that repository (a checkout or a bare git directory); the files are read
 * from the pinned commit with git, whatever is checked out, so the output depends on nothing
 * but that commit. Parts of one line and die share one group: memory configurations,
 * peripherals and interrupts are listed once per group, and each part names its memory
 * configuration and what it lacks of the group's peripherals and interrupts.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

export const PINNED_COMMIT = "f115ed4f83dcb29c9c1f2ba0d1b534e31c74c406";
const REPOSITORY = "https://github.com/embassy-rs/stm32-data-generated";
const LICENCE = "MIT OR Apache-2.0";

/**
 * STM32MP1 are application processors (Cortex-A7 + Cortex-M4, no internal flash): nothing the
 * ROM DfuSe loader flashes, and the data lists their A7 as "cm7".
 */
const SKIPPED_FAMILIES = new Set(["STM32MP1"]);

/**
 * External memory windows the data lists as RAM on STM32H5 (FMC, OCTOSPI, SDRAM banks, with
 * placeholder sizes): not on-chip memory, so not where a stack or data can be assumed to live.
 */
const EXTERNAL_WINDOW = /^(FMC|OCTOSPI|SDRAM)_BANK_\d+$/;

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_OUT = join(HERE, "..", "source", "chips", "generated");

function git(repo, args, input) {
	const r = spawnSync("git", ["-C", repo, ...args], {
		input,
		maxBuffer: 2 ** 31 - 1,
	});
	if (r.status !== 0)
		throw new Error(`git ${args.join(" ")} failed in ${repo}: ${r.stderr.toString().trim()}`);
	return r.stdout;
}

/** Every JSON file under `dir` at `commit`, as [path, parsed JSON], sorted by path. */
function readJsonFiles(repo, commit, dir) {
	const listing = git(repo, ["ls-tree", "-z", "--name-only", commit, `${dir}/`])
		.toString()
		.split("\0")
		.filter((p) => p.endsWith(".json"))
		.sort();
	if (listing.length === 0) throw new Error(`no ${dir}/*.json at ${commit} in ${repo}`);
	const out = git(repo, ["cat-file", "--batch"], listing.map((p) => `${commit}:${p}\n`).join(""));
	const files = [];
	let at = 0;
	for (const path of listing) {
		const nl = out.indexOf(10, at);
		const header = out.subarray(at, nl).toString();
		const size = Number(header.split(" ")[2]);
		if (!/ blob \d+$/.test(header)) throw new Error(`${path}: ${header}`);
		files.push([path, JSON.parse(out.subarray(nl + 1, nl + 1 + size).toString())]);
		at = nl + 1 + size + 1;
	}
	return files;
}

/** Every data/chips/*.json at the commit, as [file name, parsed JSON], sorted by name. */
export function readChips(repo, commit) {
	return readJsonFiles(repo, commit, "data/chips").filter(
		([, chip]) => !SKIPPED_FAMILIES.has(chip.family),
	);
}

/**
 * Registers a minimal firmware touches, by register-block kind, kept with their offsets so that
 * an address in an image can be named (RCC_AHB1ENR, GPIOA_ODR): the clock enables (not the
 * low-power or stop-mode copies), the flash access control and unlock keys, the GPIO mode and
 * data registers, and the PWR control registers a start-up writes (supply, voltage scaling).
 */
const KEPT_REGISTERS = {
	rcc: /^(C\d_?)?(AHB|APB|IOP|GPIO)\d?[LH]?ENR\d?$/,
	flash: /^(ACR|(NS)?(KEYR|SR|CR)\d?|PECR|PEKEYR|PRGKEYR)$/,
	gpio: /^(CR\[[01]\]|MODER|OTYPER|IDR|ODR|BSRR)$/,
	pwr: /^CR[13]?$/,
};

/**
 * What data/registers/KIND_VERSION.json tells about a peripheral: `spanOf` the bytes its
 * registers span (the end of its block's last register, arrays and nested blocks included;
 * undefined without a register map), `keptOf` the KEPT_REGISTERS of its block with their
 * offsets (undefined for other kinds). Register arrays are named NAME[i]; a register in the
 * i-th copy of a nested block NAME(i+1), as the reference manuals do (H7 FLASH_KEYR1, KEYR2).
 */
export function registerMaps(repo, commit) {
	const files = new Map(
		readJsonFiles(repo, commit, "data/registers").map(([path, json]) => [
			path.replace(/^.*\//, "").replace(/\.json$/, ""),
			json,
		]),
	);
	const memo = new Map();
	function extent(file, block, depth = 0) {
		const key = `${file}/${block}`;
		if (memo.has(key)) return memo.get(key);
		const b = files.get(file)?.[`block/${block}`];
		if (!b || depth > 16) return undefined;
		let end = b.extends ? (extent(file, b.extends, depth + 1) ?? 0) : 0;
		for (const item of b.items ?? []) {
			const size = item.block
				? (extent(file, item.block, depth + 1) ?? 4)
				: (item.bit_size ?? 32) / 8;
			const a = item.array;
			const span = !a ? 0 : a.offsets ? Math.max(...a.offsets) : (a.len - 1) * a.stride;
			end = Math.max(end, item.byte_offset + span + size);
		}
		memo.set(key, end);
		return end;
	}
	const copies = (item) => {
		const a = item.array;
		if (!a) return [item.byte_offset];
		return a.offsets
			? a.offsets.map((o) => item.byte_offset + o)
			: Array.from({ length: a.len }, (_, i) => item.byte_offset + i * a.stride);
	};
	function flatten(file, block, base = 0, suffix = "", depth = 0) {
		const b = files.get(file)?.[`block/${block}`];
		if (!b || depth > 16) return [];
		const out = b.extends ? flatten(file, b.extends, base, suffix, depth + 1) : [];
		for (const item of b.items ?? []) {
			const at = copies(item);
			at.forEach((offset, i) => {
				if (item.block)
					out.push(
						...flatten(file, item.block, base + offset, item.array ? String(i + 1) : "", depth + 1),
					);
				else
					out.push({
						name: item.array ? `${item.name}[${i}]` : `${item.name}${suffix}`,
						offset: base + offset,
					});
			});
		}
		return out;
	}
	const kept = new Map();
	return {
		spanOf: (registers) =>
			registers ? extent(`${registers.kind}_${registers.version}`, registers.block) : undefined,
		keptOf(registers) {
			const wanted = registers && KEPT_REGISTERS[registers.kind];
			if (!wanted) return undefined;
			const key = `${registers.kind}_${registers.version}`;
			const known = kept.get(key);
			if (known) {
				if (known.block !== registers.block)
					throw new Error(`${key}: blocks ${known.block} and ${registers.block} both used`);
				return known;
			}
			const list = flatten(key, registers.block)
				.filter((r) => wanted.test(r.name))
				.sort((a, b) => a.offset - b.offset || (a.name < b.name ? -1 : 1));
			const entry = { key, block: registers.block, list };
			kept.set(key, entry);
			return entry;
		},
		/** Every register table keptOf handed out, by key, in key order. */
		keptTables() {
			return Object.fromEntries(
				[...kept]
					.filter(([, e]) => e.list.length > 0)
					.sort(([a], [b]) => (a < b ? -1 : 1))
					.map(([key, e]) => [
						key,
						e.list.map((r) => `${plain(r.name)}@${r.offset.toString(16)}`).join(","),
					]),
			);
		},
	};
}

/** A name that the compact strings below can hold: none of their separators in it. */
function plain(name, separators = /[,;:@/ ]/) {
	if (separators.test(name)) throw new Error(`name with a separator: ${name}`);
	return name;
}
const stripStm32 = (name) => name.replace(/^STM32/, "");

/**
 * "ADC1@40012000+50,GPIOA@40020000+28#gpio_v2,UID@1fff7a10": name → base address and, when the
 * data has its register map, the bytes its registers span, in hex, and for the kinds in
 * KEPT_REGISTERS the register table (STM32_REGISTERS) that names its registers; in the data's
 * order.
 */
function encodePeripherals(map) {
	return [...map]
		.map(
			([name, { address, span, table }]) =>
				`${plain(name)}@${address.toString(16)}${span ? `+${span.toString(16)}` : ""}${table ? `#${plain(table)}` : ""}`,
		)
		.join(",");
}

/** Names by IRQ number: position n holds IRQ n ("" where none, "A/B" where two names share it). */
function encodeInterrupts(map) {
	const byNumber = [];
	for (const [name, number] of map) {
		byNumber[number] ??= [];
		byNumber[number].push(plain(name));
	}
	return Array.from(byNumber, (names) => (names ?? []).join("/")).join(",");
}

/** [name, kind, address, size] plus [eraseSize, writeSize, eraseValue] for flash. */
function encodeRegion(r) {
	const base = [plain(r.name), r.kind, r.address, r.size];
	const s = r.settings;
	return s ? [...base, s.erase_size, s.write_size, s.erase_value] : base;
}

function manualOf(chip) {
	const rm = chip.docs?.find((d) => d.type === "reference_manual");
	return rm ? `${rm.name} ${rm.title}` : undefined;
}

/** The flash layout a ROM loader would list, as layout-signature.ts writes it. */
function flashSignature(regions) {
	const flash = regions
		.filter((r) => r.kind === "flash" && r.name !== "OTP" && r.settings?.erase_size > 0)
		.sort((a, b) => a.address - b.address);
	const runs = [];
	for (const r of flash) {
		const count = r.size / r.settings.erase_size;
		if (!Number.isInteger(count)) return undefined;
		const run = runs.at(-1);
		const page = { count, size: r.settings.erase_size };
		if (run && run.end === r.address) {
			const last = run.pages.at(-1);
			if (last.size === page.size) last.count += count;
			else run.pages.push(page);
			run.end = r.address + r.size;
		} else runs.push({ start: r.address, end: r.address + r.size, pages: [page] });
	}
	const hex8 = (n) => `0x${n.toString(16).toUpperCase().padStart(8, "0")}`;
	return runs
		.map((r) => `${hex8(r.start)}:${r.pages.map((p) => `${p.count}x${p.size}`).join(",")}`)
		.join("|");
}

/** Groups in the order of their first part's name, so that input order does not matter. */
export function buildGroups(
	chips,
	registers = { spanOf: () => undefined, keptOf: () => undefined },
) {
	const groups = new Map();
	const sorted = [...chips].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
	for (const [path, chip] of sorted) {
		const key = `${chip.family}|${chip.line}|${chip.die}`;
		let g = groups.get(key);
		if (!g) {
			g = { chip, parts: [], cores: chip.cores.map(() => ({ p: new Map(), i: new Map() })) };
			groups.set(key, g);
		}
		if (g.cores.length !== chip.cores.length || g.chip.device_id !== chip.device_id)
			throw new Error(`${path}: differs from ${g.chip.name} in core count or device id`);
		chip.cores.forEach((core, n) => {
			if (core.name !== g.chip.cores[n].name) throw new Error(`${path}: core ${n} differs`);
			for (const p of core.peripherals) {
				if (p.address === undefined) continue;
				const known = g.cores[n].p.get(p.name);
				if (known !== undefined && known.address !== p.address)
					throw new Error(`${path}: ${p.name} moves within ${key}`);
				const span = Math.max(known?.span ?? 0, registers.spanOf(p.registers) ?? 0);
				const table = registers.keptOf(p.registers)?.key;
				if (known?.table !== undefined && table !== undefined && known.table !== table)
					throw new Error(`${path}: ${p.name} changes registers within ${key}`);
				g.cores[n].p.set(p.name, { address: p.address, span, table: known?.table ?? table });
			}
			for (const i of core.interrupts) {
				const known = g.cores[n].i.get(i.name);
				if (known !== undefined && known !== i.number)
					throw new Error(`${path}: IRQ ${i.name} renumbered within ${key}`);
				g.cores[n].i.set(i.name, i.number);
			}
		});
		g.parts.push(chip);
	}

	return [...groups.values()].map((g) => {
		const memories = [];
		const memoryKeys = [];
		const parts = g.parts.map((chip) => {
			const key = JSON.stringify(chip.memory);
			let m = memoryKeys.indexOf(key);
			if (m < 0) {
				m = memoryKeys.push(key) - 1;
				memories.push(
					chip.memory.map((config) =>
						config.filter((r) => !EXTERNAL_WINDOW.test(r.name)).map(encodeRegion),
					),
				);
			}
			const absent = chip.cores.map((core, n) => {
				const p = new Set(core.peripherals.map((x) => x.name));
				const i = new Set(core.interrupts.map((x) => x.name));
				return [
					[...g.cores[n].p.keys()].filter((name) => !p.has(name)).join(","),
					[...g.cores[n].i.keys()].filter((name) => !i.has(name)).join(","),
				];
			});
			const part = {
				name: stripStm32(chip.name),
				memory: m,
				packages: chip.packages
					.map((p) => `${plain(stripStm32(p.name))}:${plain(p.package, /[,:]/)}`)
					.join(","),
			};
			if (absent.some(([p, i]) => p || i)) part.absent = absent;
			return part;
		});
		const manual = manualOf(g.chip);
		return {
			family: g.chip.family,
			line: g.chip.line,
			die: g.chip.die,
			deviceId: g.chip.device_id,
			...(manual ? { manual } : {}),
			cores: g.chip.cores.map((core, n) => ({
				name: core.name,
				peripherals: encodePeripherals(g.cores[n].p),
				interrupts: encodeInterrupts(g.cores[n].i),
			})),
			memories,
			parts,
		};
	});
}

/** What `list` needs to name a device: per group, the parts behind each flash layout. */
export function buildIndex(chips, groups) {
	const byName = new Map(chips.map(([, c]) => [stripStm32(c.name), c]));
	return groups.map((g, group) => {
		const layouts = new Map();
		for (const part of g.parts) {
			const chip = byName.get(part.name);
			for (const config of chip.memory) {
				const sig = flashSignature(config);
				if (!sig) continue;
				const names = layouts.get(sig) ?? [];
				if (!names.includes(part.name)) names.push(part.name);
				layouts.set(sig, names);
			}
		}
		return {
			group,
			family: g.family,
			line: g.line,
			deviceId: g.deviceId,
			layouts: [...layouts].map(([sig, names]) => `${sig}=${names.join(",")}`),
		};
	});
}

/**
 * What naming a DFU device from its ROM loader needs without the full data: per family and
 * DBGMCU device ID (die), where its main flash starts and the flash sizes its parts have, in KB.
 */
export function buildDies(chips) {
	const dies = new Map();
	for (const [, chip] of chips) {
		const key = `${chip.family}|${chip.device_id}`;
		const die = dies.get(key) ?? { family: chip.family, deviceId: chip.device_id, flashKb: [] };
		for (const config of chip.memory) {
			const flash = config.filter((r) => r.kind === "flash" && r.name !== "OTP");
			if (!flash.length) continue;
			const start = Math.min(...flash.map((r) => r.address));
			if (die.flash !== undefined && die.flash !== start)
				throw new Error(`${chip.name}: main flash moves within ${key}`);
			die.flash = start;
			const kb = flash.reduce((sum, r) => sum + r.size, 0) / 1024;
			if (!die.flashKb.includes(kb)) die.flashKb.push(kb);
		}
		dies.set(key, die);
	}
	return [...dies.values()]
		.filter((d) => d.flash !== undefined)
		.map((d) => ({
			family: d.family,
			deviceId: d.deviceId,
			flash: d.flash,
			flashKb: d.flashKb.sort((a, b) => a - b),
		}))
		.sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : a.deviceId - b.deviceId));
}

function moduleText(source, typeImport, exportLine, rows, extra = "") {
	return `/*
 * Generated by scripts/generate-chip-data.mjs; do not edit. Regenerate with
 * \`npm run generate:chips -- PATH\` (docs/chip-data.md).
 *
 * Source: ${source.repository} at commit ${source.commit}
 * (data/chips/*.json, generated by embassy-rs/stm32-data from ST's CubeMX database and SVD files).
 * Licence of the data: ${source.licence}.
 */
${typeImport}
export const STM32_DATA_SOURCE = ${JSON.stringify(source)} as const;

${exportLine} = [
${rows.map((r) => `${JSON.stringify(r)},`).join("\n")}
];
${extra}`;
}

export function generate(repo, commit = PINNED_COMMIT) {
	const full = git(repo, ["rev-parse", "--verify", `${commit}^{commit}`])
		.toString()
		.trim();
	const source = { repository: REPOSITORY, commit: full, licence: LICENCE };
	const chips = readChips(repo, full);
	const registers = registerMaps(repo, full);
	const groups = buildGroups(chips, registers);
	const index = buildIndex(chips, groups);
	const tables = Object.entries(registers.keptTables())
		.map(([key, list]) => `${JSON.stringify(key)}: ${JSON.stringify(list)},`)
		.join("\n");
	return {
		"stm32-data.ts": moduleText(
			source,
			'import type { RawGroup } from "../stm32-data-format.js";\n',
			"export const STM32_GROUPS: readonly RawGroup[]",
			groups,
			`
/** Register tables named by the peripherals' "#table": "NAME@offset", offsets in hex. */
export const STM32_REGISTERS: Readonly<Record<string, string>> = {
${tables}
};
`,
		),
		"stm32-index.ts": moduleText(
			source,
			'import type { RawIndexEntry } from "../stm32-data-format.js";\n',
			"export const STM32_INDEX: readonly RawIndexEntry[]",
			index,
		),
		"stm32-dies.ts": moduleText(
			source,
			'import type { RawDie } from "../stm32-data-format.js";\n',
			"export const STM32_DIES: readonly RawDie[]",
			buildDies(chips),
		),
	};
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
	const args = process.argv.slice(2);
	const flagValue = (flag) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
	const out = flagValue("--out") ?? DEFAULT_OUT;
	const commit = flagValue("--commit") ?? PINNED_COMMIT;
	const repo = args.find(
		(a, i) => !a.startsWith("--") && !["--out", "--commit"].includes(args[i - 1] ?? ""),
	);
	if (!repo || !out) {
		console.error(
			"usage: node scripts/generate-chip-data.mjs PATH-TO-stm32-data-generated [--out DIR] [--check] [--commit SHA]",
		);
		process.exit(2);
	}
	let files;
	try {
		files = generate(repo, commit);
	} catch (error) {
		console.error(`generate-chip-data: ${error.message}`);
		process.exit(1);
	}
	if (args.includes("--check")) {
		const stale = Object.entries(files).filter(
			([name, text]) =>
				!existsSync(join(out, name)) || readFileSync(join(out, name), "utf8") !== text,
		);
		for (const [name] of stale)
			console.error(`${join(out, name)} differs from the generator's output`);
		process.exit(stale.length ? 1 : 0);
	}
	mkdirSync(out, { recursive: true });
	for (const [name, text] of Object.entries(files)) {
		writeFileSync(join(out, name), text);
		console.log(`${join(out, name)}: ${text.length} bytes`);
	}
}
