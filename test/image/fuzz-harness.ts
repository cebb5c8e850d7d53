import { expect } from "vitest";
import { BringupError } from "../../source/errors.js";
import { convert } from "../../source/image/convert.js";
import { appendDfuSuffix } from "../../source/image/dfu-suffix.js";
import { parseDfuse, writeDfuse } from "../../source/image/dfuse-file.js";
import { parseElf } from "../../source/image/elf.js";
import { parseIhex, writeIhex } from "../../source/image/ihex.js";
import type { Image } from "../../source/image/image.js";
import { loadImageBytes } from "../../source/image/load.js";
import { bytesOf, fixture } from "./fixtures.js";

/**
 * Random and mutated inputs for every parser. The only outcomes allowed are a well-formed Image
 * or a BringupError; anything else (TypeError, RangeError, a hang) is a bug. Seeded so that a
 * failure names the seed and case that reproduce it.
 */

export type Random = () => number;

/** mulberry32: small, fast, good enough to spread inputs. */
export function prng(seed: number): Random {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function int(random: Random, below: number): number {
	return Math.floor(random() * below);
}

const INTERESTING = [
	0, 1, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffff0,
];

export function randomBytes(random: Random, length: number): Uint8Array {
	const out = new Uint8Array(length);
	for (let i = 0; i < length; i++) out[i] = int(random, 256);
	return out;
}

/** One structural or byte-level change. */
export function mutate(
	random: Random,
	input: Uint8Array,
	others: readonly Uint8Array[],
): Uint8Array {
	const bytes = input.slice();
	const at = bytes.length ? int(random, bytes.length) : 0;
	switch (int(random, 9)) {
		case 0:
			if (bytes.length) bytes[at] ^= 1 << int(random, 8);
			return bytes;
		case 1:
			if (bytes.length) bytes[at] = int(random, 256);
			return bytes;
		case 2: {
			const value = INTERESTING[int(random, INTERESTING.length)]!;
			const out = bytes.length >= 4 ? bytes : new Uint8Array(4);
			const where = int(random, out.length - 3);
			new DataView(out.buffer).setUint32(
				where,
				random() < 0.5 ? value : bytes.length + int(random, 5) - 2,
				true,
			);
			return out;
		}
		case 3:
			return bytes.subarray(0, at);
		case 4: {
			const end = Math.min(bytes.length, at + 1 + int(random, 64));
			const out = new Uint8Array(bytes.length - (end - at));
			out.set(bytes.subarray(0, at));
			out.set(bytes.subarray(end), at);
			return out;
		}
		case 5: {
			const extra = randomBytes(random, 1 + int(random, 32));
			const out = new Uint8Array(bytes.length + extra.length);
			out.set(bytes.subarray(0, at));
			out.set(extra, at);
			out.set(bytes.subarray(at), at + extra.length);
			return out;
		}
		case 6: {
			const from = int(random, Math.max(bytes.length, 1));
			const chunk = bytes.subarray(from, from + 1 + int(random, 64));
			const out = new Uint8Array(bytes.length + chunk.length);
			out.set(bytes.subarray(0, at));
			out.set(chunk, at);
			out.set(bytes.subarray(at), at + chunk.length);
			return out;
		}
		case 7: {
			const other = others[int(random, others.length)]!;
			const from = int(random, Math.max(other.length, 1));
			const chunk = other.subarray(from, from + 1 + int(random, 128));
			const out = bytes.slice();
			out.set(chunk.subarray(0, Math.max(0, out.length - at)), at);
			return out;
		}
		default: {
			// Several small changes at once.
			let out: Uint8Array = bytes;
			for (let i = 0; i < 3; i++) out = mutate(random, out, others);
			return out;
		}
	}
}

/** Re-seal a DfuSe-looking buffer so that mutations get past the CRC check to the structure. */
function withFreshCrc(bytes: Uint8Array): Uint8Array {
	if (bytes.length < 16) return bytes;
	const s = bytes.subarray(bytes.length - 16);
	return appendDfuSuffix(bytes.subarray(0, bytes.length - 16), {
		bcdDevice: s[0]! | (s[1]! << 8),
		productId: s[2]! | (s[3]! << 8),
		vendorId: s[4]! | (s[5]! << 8),
		bcdDFU: s[6]! | (s[7]! << 8),
	});
}

function fixChecksum(line: string): string {
	if (!/^:[0-9A-F]+$/i.test(line) || line.length % 2 === 0 || line.length < 11) return line;
	let sum = 0;
	for (let k = 1; k < line.length - 2; k += 2) sum += Number.parseInt(line.slice(k, k + 2), 16);
	return (
		line.slice(0, -2) + ((0x100 - (sum & 0xff)) & 0xff).toString(16).padStart(2, "0").toUpperCase()
	);
}

/** Intel HEX line-level changes, checksums fixed most of the time to reach the semantics. */
function mutateHexText(random: Random, input: Uint8Array): Uint8Array {
	const lines = new TextDecoder().decode(input).split("\n");
	const edits = 1 + int(random, 3);
	for (let e = 0; e < edits; e++) {
		const i = int(random, lines.length);
		switch (int(random, 6)) {
			case 0:
				lines.splice(i, 1);
				break;
			case 1:
				lines.splice(i, 0, lines[int(random, lines.length)] ?? "");
				break;
			case 2: {
				const j = int(random, lines.length);
				[lines[i], lines[j]] = [lines[j]!, lines[i]!];
				break;
			}
			case 3: {
				// A record of a random type and length with random payload.
				const length = int(random, 8);
				const type = random() < 0.8 ? int(random, 6) : int(random, 256);
				const body = [
					length,
					int(random, 256),
					int(random, 256),
					type,
					...randomBytes(random, length),
				];
				lines.splice(i, 0, `:${body.map((b) => b.toString(16).padStart(2, "0")).join("")}00`);
				break;
			}
			default: {
				const chars = (lines[i] ?? "").split("");
				chars[1 + int(random, Math.max(chars.length - 1, 1))] = "0123456789ABCDEF"[
					int(random, 16)
				]!;
				lines[i] = chars.join("");
			}
		}
	}
	const fixed = random() < 0.8 ? lines.map(fixChecksum) : lines;
	return bytesOf(fixed.join("\n"));
}

/** A well-formed Image: sorted, non-empty, in the 32-bit space, no overlap within an alt. */
export function checkImage(image: Image): void {
	expect(image.segments.length).toBeGreaterThan(0);
	const ends = new Map<number, number>();
	let previous = -1;
	for (const s of image.segments) {
		expect(s.data.length).toBeGreaterThan(0);
		expect(s.address).toBeGreaterThanOrEqual(previous);
		expect(s.address + s.data.length).toBeLessThanOrEqual(0x1_0000_0000);
		const alt = s.alt ?? 0;
		expect(s.address).toBeGreaterThanOrEqual(ends.get(alt) ?? 0);
		ends.set(alt, s.address + s.data.length);
		previous = s.address;
	}
}

export interface FuzzTarget {
	name: string;
	seeds: Uint8Array[];
	parse: (bytes: Uint8Array) => Image;
	/** Extra mutation that keeps the input deeper in the format (CRC fix, line edits). */
	deepen?: (random: Random, bytes: Uint8Array) => Uint8Array;
	/** Chance of byte-level mutations before `deepen` (text formats want fewer). */
	byteMutations?: number;
	/** Property of a parsed image, e.g. write → read gives it back. */
	property?: (image: Image) => void;
}

function sameSegments(a: Image, b: Image): void {
	expect(b.segments.map((s) => [s.address, s.alt ?? 0, s.data])).toEqual(
		a.segments.map((s) => [s.address, s.alt ?? 0, s.data]),
	);
}

export function fuzzTargets(): FuzzTarget[] {
	const dfuSeeds = [
		fixture("blinky.dfu"),
		fixture("two-sectors.dfu"),
		writeDfuse({
			format: "dfuse",
			source: "seed",
			segments: [
				{ address: 0x08000000, data: Uint8Array.of(1, 2, 3, 4, 5), alt: 0, name: "Internal Flash" },
				{ address: 0x1fffc000, data: Uint8Array.of(0xaa, 0x55), alt: 1, name: "Option Bytes" },
			],
		}),
	];
	const hexSeeds = [
		fixture("blinky.hex"),
		bytesOf(":020000021000EC\n:04FFFE0001020304F5\n:0400000300001234B3\n:00000001FF\n"),
	];
	const elfSeeds = [fixture("blinky.elf")];
	const allSeeds = [
		...dfuSeeds,
		...hexSeeds,
		...elfSeeds,
		fixture("blinky.bin"),
		fixture("blinky-suffix.bin"),
	];
	return [
		{
			name: "dfuse",
			seeds: dfuSeeds,
			parse: (b) => parseDfuse(b, "fuzz.dfu"),
			deepen: (_, b) => withFreshCrc(b),
			property: (image) => sameSegments(image, parseDfuse(writeDfuse(image), "again.dfu")),
		},
		{
			name: "ihex",
			seeds: hexSeeds,
			parse: (b) => parseIhex(b, "fuzz.hex"),
			deepen: mutateHexText,
			byteMutations: 0.3,
			property: (image) => sameSegments(image, parseIhex(bytesOf(writeIhex(image)), "again.hex")),
		},
		{ name: "elf", seeds: elfSeeds, parse: (b) => parseElf(b, "fuzz.elf") },
		{
			name: "loadImageBytes",
			seeds: allSeeds,
			parse: (b) => loadImageBytes(b, "fuzz.bin", { address: 0x08000000 }),
		},
		{
			name: "convert",
			seeds: allSeeds,
			parse: (b) => {
				const output = ["out.dfu", "out.hex", "out.bin"][b.length % 3]!;
				const result = convert([{ bytes: b, name: "fuzz.bin", address: 0x08000000 }], { output });
				expect(result.bytes.length).toBeGreaterThan(0);
				return result.image;
			},
		},
		{
			name: "loadImageBytes raw",
			seeds: allSeeds,
			parse: (b) => loadImageBytes(b, "fuzz.bin", { address: 0x08000000, raw: true }),
		},
	];
}

/** Runs `cases` inputs through `target`; returns counts of images and errors. */
export function runFuzz(
	target: FuzzTarget,
	seed: number,
	cases: number,
): { images: number; errors: number } {
	const random = prng(seed);
	let images = 0;
	let errors = 0;
	const all = target.seeds;
	for (let n = 0; n < cases; n++) {
		let input: Uint8Array;
		const choice = random();
		if (choice < 0.1) {
			input = randomBytes(random, int(random, 600));
		} else if (choice < 0.2) {
			// A valid magic in front of noise reaches the deeper checks.
			const head = all[int(random, all.length)]!.subarray(0, 1 + int(random, 64));
			const tail = randomBytes(random, int(random, 400));
			input = new Uint8Array(head.length + tail.length);
			input.set(head);
			input.set(tail, head.length);
		} else {
			input = all[int(random, all.length)]!;
			const byteLevel = random() < (target.byteMutations ?? 1);
			if (byteLevel) {
				const rounds = 1 + int(random, 4);
				for (let r = 0; r < rounds; r++) input = mutate(random, input, all);
			}
			if (target.deepen && (!byteLevel || random() < 0.6)) input = target.deepen(random, input);
		}
		let image: Image | undefined;
		try {
			image = target.parse(input);
		} catch (error) {
			if (!(error instanceof BringupError)) {
				const sample = Buffer.from(input.subarray(0, 96)).toString("hex");
				throw new Error(
					`${target.name}: seed ${seed} case ${n}: ${String(error)}\n  input (${input.length} bytes) starts ${sample}`,
				);
			}
			errors++;
			continue;
		}
		try {
			checkImage(image);
			target.property?.(image);
		} catch (error) {
			throw new Error(
				`${target.name}: seed ${seed} case ${n}: parsed image breaks a rule: ${String(error)}`,
			);
		}
		images++;
	}
	return { images, errors };
}
