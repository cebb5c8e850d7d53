import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const SCRIPT = join(import.meta.dirname, "..", "..", "scripts", "generate-chip-data.mjs");
const work = mkdtempSync(join(tmpdir(), "chip-data-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd = work) {
	const r = spawnSync(command, args, { cwd, encoding: "utf8" });
	if (r.status !== 0) throw new Error(`${command} ${args.join(" ")}: ${r.stderr}`);
	return r.stdout;
}

const flash = (address: number, size: number, erase: number) => ({
	name: "BANK_1",
	kind: "flash",
	address,
	size,
	settings: { erase_size: erase, write_size: 8, erase_value: 255 },
});

const BASES: Record<string, number> = { GPIOA: 0x48000000, GPIOB: 0x48000400, RCC: 0x40021000 };

function chip(name: string, line: string, die: string, flashSize: number, peripherals: string[]) {
	return {
		name,
		family: "STM32G4",
		line,
		die,
		device_id: Number.parseInt(die.slice(3), 16),
		packages: [{ name: `${name}Tx`, package: "LQFP64", pins: [] }],
		memory: [
			[
				flash(0x08000000, flashSize, 2048),
				{ name: "SRAM1", kind: "ram", address: 0x20000000, size: 16384 },
			],
		],
		docs: [{ type: "reference_manual", name: "DM00355726", title: "STM32G4 Series" }],
		cores: [
			{
				name: "cm4",
				peripherals: peripherals.map((p) => ({
					name: p,
					address: BASES[p] ?? 0,
					...(p.startsWith("GPIO")
						? { registers: { kind: "gpio", version: "v2", block: "GPIO" } }
						: {}),
				})),
				interrupts: [
					{ name: "WWDG", number: 0 },
					{ name: "FPU", number: 81 },
				],
				dma_channels: [],
				pins: [],
			},
		],
	};
}

/** GPIO v2's register map, cut down: MODER at 0 ... AFR[0..1] at 0x20 (ends at 0x28). */
const GPIO_V2 = {
	"block/GPIO": {
		items: [
			{ name: "MODER", byte_offset: 0, fieldset: "MODER" },
			{ name: "ODR", byte_offset: 20, fieldset: "ODR" },
			{ name: "AFR", byte_offset: 32, array: { len: 2, stride: 4 }, fieldset: "AFR" },
		],
	},
};

/** An H7-like flash interface: ACR, then two copies of a bank block (KEYR, CR, PRAR). */
const FLASH_H7 = {
	"block/FLASH": {
		items: [
			{ name: "ACR", byte_offset: 0 },
			{ name: "BANK", byte_offset: 4, array: { len: 2, stride: 256 }, block: "BANK" },
			{ name: "OPTKEYR", byte_offset: 8 },
		],
	},
	"block/BANK": {
		items: [
			{ name: "KEYR", byte_offset: 0 },
			{ name: "CR", byte_offset: 8 },
			{ name: "PRAR_CUR", byte_offset: 36 },
		],
	},
};

/** An RCC with a clock enable, its sleep-mode copy and a clock-gating register. */
const RCC_G4 = {
	"block/RCC": {
		items: [
			{ name: "CR", byte_offset: 0 },
			{ name: "AHB2ENR", byte_offset: 0x4c },
			{ name: "AHB2SMENR", byte_offset: 0x6c },
			{ name: "CKGATENR", byte_offset: 0x90 },
		],
	},
};

/** A git repository holding data/chips/*.json as stm32-data-generated does; returns its commit. */
function fakeRepository(dir: string, chips: ReturnType<typeof chip>[]): string {
	mkdirSync(join(dir, "data", "chips"), { recursive: true });
	mkdirSync(join(dir, "data", "registers"), { recursive: true });
	writeFileSync(join(dir, "data", "registers", "gpio_v2.json"), JSON.stringify(GPIO_V2));
	writeFileSync(join(dir, "data", "registers", "flash_h7.json"), JSON.stringify(FLASH_H7));
	writeFileSync(join(dir, "data", "registers", "rcc_g4.json"), JSON.stringify(RCC_G4));
	for (const c of chips)
		writeFileSync(join(dir, "data", "chips", `${c.name}.json`), JSON.stringify(c, null, 2));
	run("git", ["init", "-q"], dir);
	run("git", ["add", "."], dir);
	run("git", ["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "data"], dir);
	return run("git", ["rev-parse", "HEAD"], dir).trim();
}

function generate(repo: string, commit: string, out: string) {
	run("node", [SCRIPT, repo, "--commit", commit, "--out", out]);
	return {
		data: readFileSync(join(out, "stm32-data.ts"), "utf8"),
		index: readFileSync(join(out, "stm32-index.ts"), "utf8"),
		dies: readFileSync(join(out, "stm32-dies.ts"), "utf8"),
	};
}

describe("scripts/generate-chip-data.mjs", () => {
	const chips = [
		chip("STM32G431KB", "STM32G4x1", "DIE468", 131072, ["GPIOA", "RCC"]),
		chip("STM32G431CB", "STM32G4x1", "DIE468", 131072, ["GPIOA", "GPIOB", "RCC"]),
		chip("STM32G474RE", "STM32G4x4", "DIE469", 524288, ["GPIOA", "GPIOB", "RCC"]),
	];
	const repo = join(work, "repo");
	const commit = fakeRepository(repo, chips);

	it("writes the same files on every run, with the source commit and licence in them", () => {
		const first = generate(repo, commit, join(work, "out1"));
		const second = generate(repo, commit, join(work, "out2"));
		expect(second).toEqual(first);
		expect(first.data).toContain("do not edit");
		expect(first.data).toContain(commit);
		expect(first.data).toContain("MIT OR Apache-2.0");
		expect(first.index).toContain(commit);
	});

	it("groups parts by line and die, each part naming what it lacks of its group", () => {
		const { data, index } = generate(repo, commit, join(work, "out3"));
		const rows = data.split("\n").filter((l) => l.startsWith('{"family"'));
		expect(rows).toHaveLength(2);
		const g4x1 = JSON.parse(rows[0]!.replace(/,$/, ""));
		expect(g4x1).toMatchObject({ line: "STM32G4x1", die: "DIE468", deviceId: 0x468 });
		expect(g4x1.parts.map((p: { name: string }) => p.name)).toEqual(["G431CB", "G431KB"]);
		expect(g4x1.parts[1].absent).toEqual([["GPIOB", ""]]);
		expect(index).toContain("0x08000000:64x2048=G431CB,G431KB");
		// GPIOA spans MODER..AFR[1]: 0x28 bytes, and its kept registers are gpio_v2's; RCC has no
		// register map here, so no span and no table.
		expect(g4x1.cores[0].peripherals).toBe(
			"GPIOA@48000000+28#gpio_v2,GPIOB@48000400+28#gpio_v2,RCC@40021000",
		);
		// Of gpio_v2's registers, the mode and data ones, at their offsets (AFR is not kept).
		expect(data).toContain('"gpio_v2": "MODER@0,ODR@14"');
	});

	it("keeps the registers a start-up touches, by register table, named as the manuals do", () => {
		const withRegisters = chip("STM32G474VE", "STM32G4x4", "DIE469", 524288, ["RCC", "FLASH"]);
		const [rcc, flash] = withRegisters.cores[0]!.peripherals;
		Object.assign(rcc!, { registers: { kind: "rcc", version: "g4", block: "RCC" } });
		Object.assign(flash!, {
			address: 0x52002000,
			registers: { kind: "flash", version: "h7", block: "FLASH" },
		});
		const dir = join(work, "registers");
		const { data } = generate(dir, fakeRepository(dir, [withRegisters]), join(work, "out7"));
		const row = JSON.parse(
			data
				.split("\n")
				.find((l) => l.startsWith('{"family"'))!
				.replace(/,$/, ""),
		);
		expect(row.cores[0].peripherals).toBe("RCC@40021000+94#rcc_g4,FLASH@52002000+12c#flash_h7");
		// The clock enable, not its sleep-mode copy or the gating register; the flash keys and
		// controls of each bank numbered 1 and 2, not the option key or the protection area.
		expect(data).toContain('"rcc_g4": "AHB2ENR@4c"');
		expect(data).toContain('"flash_h7": "ACR@0,KEYR1@4,CR1@c,KEYR2@104,CR2@10c"');
	});

	it("writes each die's flash start and sizes for naming a device without the full data", () => {
		const { dies } = generate(repo, commit, join(work, "out8"));
		expect(dies).toContain(commit);
		const rows = dies
			.split("\n")
			.filter((l) => l.startsWith('{"family"'))
			.map((l) => JSON.parse(l.replace(/,$/, "")));
		expect(rows).toEqual([
			{ family: "STM32G4", deviceId: 0x468, flash: 0x08000000, flashKb: [128] },
			{ family: "STM32G4", deviceId: 0x469, flash: 0x08000000, flashKb: [512] },
		]);
	});

	it("--check passes on its own output and fails when a file was edited", () => {
		const out = join(work, "out4");
		generate(repo, commit, out);
		const check = () =>
			spawnSync("node", [SCRIPT, repo, "--commit", commit, "--out", out, "--check"]);
		expect(check().status).toBe(0);
		writeFileSync(join(out, "stm32-index.ts"), "// edited\n");
		expect(check().status).toBe(1);
	});

	it("refuses data where a peripheral moves between parts of one die", () => {
		const moved = chip("STM32G431RB", "STM32G4x1", "DIE468", 131072, ["RCC"]);
		moved.cores[0]!.peripherals[0]!.address = 0x40021400;
		const dir = join(work, "moved");
		const bad = fakeRepository(dir, [...chips, moved]);
		const r = spawnSync("node", [SCRIPT, dir, "--commit", bad, "--out", join(work, "out6")], {
			encoding: "utf8",
		});
		expect(r.status).toBe(1);
		expect(r.stderr).toContain("RCC moves within STM32G4|STM32G4x1|DIE468");
	});

	it("refuses a repository that does not hold the commit", () => {
		const r = spawnSync("node", [SCRIPT, repo, "--out", join(work, "out5")], { encoding: "utf8" });
		expect(r.status).not.toBe(0);
		expect(r.stderr).toContain("f115ed4f83dcb29c9c1f2ba0d1b534e31c74c406");
	});
});
