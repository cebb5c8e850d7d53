import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Image } from "../../source/image/image.js";
import { loadImageBytes } from "../../source/image/load.js";

const OUT = fileURLToPath(new URL("../fixtures/firmware/out/", import.meta.url));

/** A committed fixture build output: "stm32f407.elf", "nrf52.bin" (raw at `address`), ... */
export function fixture(file: string, address = 0x08000000): Image {
	const bytes = new Uint8Array(readFileSync(`${OUT}${file}`));
	return loadImageBytes(bytes, file, file.endsWith(".bin") ? { address } : {});
}

export function fixtureBytes(file: string): Uint8Array {
	return new Uint8Array(readFileSync(`${OUT}${file}`));
}
