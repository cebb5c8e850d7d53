import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import { partMentions } from "../../source/doctor/evidence-strings.js";
import { inspect } from "../../source/doctor/inspect.js";
import { inspectableImage } from "../../source/doctor/inspect-load.js";
import { irqHandlers } from "../../source/doctor/irq-handlers.js";
import { BringupError } from "../../source/errors.js";
import { parseArmAttributes } from "../../source/image/arm-attributes.js";
import { parseElf } from "../../source/image/elf.js";
import { scanText } from "../../source/image/text-scan.js";
import { syntheticElf } from "../doctor/synthetic-elf.js";
import { fixture } from "./fixtures.js";
import { mutate, prng, type Random, randomBytes } from "./fuzz-harness.js";

/**
 * Fuzz targets for the parsers that read evidence out of an image: build attributes, ELF
 * symbols and file names, the text scan, and the inspector as a whole on raw bytes. Each may
 * return a result or throw a BringupError; anything else is a bug.
 */
export interface EvidenceTarget {
	name: string;
	seeds: Uint8Array[];
	/** Throws only BringupError; checks its own result. */
	run: (bytes: Uint8Array) => void;
}

const FIRMWARE = fileURLToPath(new URL("../fixtures/firmware/out/", import.meta.url));

function firmware(name: string): Uint8Array {
	return new Uint8Array(readFileSync(FIRMWARE + name));
}

/** The .ARM.attributes section of an ELF (found by name through the section headers). */
function attributesSection(elf: Uint8Array): Uint8Array {
	const view = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
	const shoff = view.getUint32(32, true);
	const shnum = view.getUint16(48, true);
	for (let i = 0; i < shnum; i++) {
		const at = shoff + i * 40;
		if (view.getUint32(at + 4, true) === 0x70000003) {
			const off = view.getUint32(at + 16, true);
			return elf.subarray(off, off + view.getUint32(at + 20, true));
		}
	}
	throw new Error("no .ARM.attributes in the seed");
}

/** Text that the scanner keeps, inside noise, in ASCII and UTF-16LE. */
function textSeed(): Uint8Array {
	const ascii = new TextEncoder().encode(
		"\x01\x02STM32G474CE\0/lib/stm32/l0/rcc.c\0nRF52840 DK\xff",
	);
	const utf16 = new Uint8Array([..."STM32F411 DFU".split("").flatMap((c) => [c.charCodeAt(0), 0])]);
	const out = new Uint8Array(ascii.length + utf16.length + 16);
	out.set(ascii, 8);
	out.set(utf16, 8 + ascii.length);
	return out;
}

const KEEP = /stm32|nrf5|rp2040/i;

export function evidenceTargets(): EvidenceTarget[] {
	const blinky = fixture("blinky.elf");
	const attributes = attributesSection(blinky);
	const elfs = [
		blinky,
		firmware("stm32f407-c.elf"),
		firmware("stm32h7.elf"),
		firmware("nrf52.elf"),
		// A symbol table with IRQ handlers: weak defaults at one address and two of their own.
		syntheticElf(new Uint8Array(64).fill(0x70), 0x08000000, [
			{ name: "Default_Handler", value: 0x08000001 },
			{ name: "OTG_HS_IRQHandler", value: 0x08000011 },
			{ name: "TIM1_BRK_TIM15_IRQHandler", value: 0x08000001, weak: true },
			{ name: "DMA2D_IRQHandler", value: 0x08000001, weak: true },
			{ name: "USART1_IRQHandler", value: 0x08000021 },
			{ name: "HAL_PCD_IRQHandler", value: 0x08000031 },
		]),
	];
	const bins = [
		firmware("stm32f407.bin"),
		firmware("stm32f407-at-0x08008000.bin"),
		firmware("rp2040.bin"),
		firmware("stm32f0.bin"),
		fixture("blinky.bin"),
	];
	return [
		{
			name: "ARM build attributes",
			seeds: [attributes, Uint8Array.of(0x41)],
			run: (bytes) => {
				const a = parseArmAttributes(bytes, "fuzz.elf");
				if (a.cpuName !== undefined) expect(a.cpuName.length).toBeLessThanOrEqual(64);
			},
		},
		{
			name: "ELF symbols, file names and attributes",
			seeds: elfs,
			run: (bytes) => {
				const image = parseElf(bytes, "fuzz.elf");
				for (const f of image.sourceFiles ?? []) expect(typeof f).toBe("string");
				partMentions(image);
				for (const h of irqHandlers(image)) {
					expect(h.symbol).toBe(`${h.interrupt}_IRQHandler`);
					expect(h.interrupt.length).toBeGreaterThan(0);
				}
			},
		},
		{
			name: "text scan",
			seeds: [textSeed(), bins[0]!, blinky],
			run: (bytes) => {
				const half = bytes.subarray(0, bytes.length >> 1);
				const runs = scanText([bytes, half], { keep: KEEP, limit: 64 });
				expect(runs.length).toBeLessThanOrEqual(64);
				for (const r of runs) {
					const chunk = r.chunk === 0 ? bytes : half;
					expect(r.offset).toBeGreaterThanOrEqual(0);
					expect(r.offset).toBeLessThan(chunk.length);
					expect(KEEP.test(r.text)).toBe(true);
				}
			},
		},
		{
			name: "inspect of raw bytes without an address",
			seeds: bins,
			run: (bytes) => {
				const { image, inferred } = inspectableImage(bytes, "fuzz.bin");
				const result = inspect(image, inferred ? { address: inferred.address, inferred } : {});
				expect(Array.isArray(result.findings)).toBe(true);
			},
		},
	];
}

function int(random: Random, below: number): number {
	return Math.floor(random() * below);
}

/** Runs `cases` inputs; returns how many gave a result and how many a typed error. */
export function runEvidenceFuzz(
	target: EvidenceTarget,
	seed: number,
	cases: number,
): { results: number; errors: number } {
	const random = prng(seed);
	let results = 0;
	let errors = 0;
	for (let n = 0; n < cases; n++) {
		let input: Uint8Array;
		if (random() < 0.1) input = randomBytes(random, int(random, 600));
		else {
			input = target.seeds[int(random, target.seeds.length)]!;
			const rounds = 1 + int(random, 4);
			for (let r = 0; r < rounds; r++) input = mutate(random, input, target.seeds);
		}
		try {
			target.run(input);
			results++;
		} catch (error) {
			if (error instanceof BringupError) {
				errors++;
				continue;
			}
			const sample = Buffer.from(input.subarray(0, 96)).toString("hex");
			throw new Error(
				`${target.name}: seed ${seed} case ${n}: ${String(error)}\n  input (${input.length} bytes) starts ${sample}`,
			);
		}
	}
	return { results, errors };
}
