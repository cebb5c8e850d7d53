import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../fixtures/images/", import.meta.url));

export function fixturePath(name: string): string {
	return DIR + name;
}

export function fixture(name: string): Uint8Array {
	return new Uint8Array(readFileSync(DIR + name));
}

export function text(bytes: Uint8Array): string {
	return new TextDecoder().decode(bytes);
}

export function bytesOf(value: string): Uint8Array {
	return new TextEncoder().encode(value);
}

/** Runs `fn` and returns what it threw (failing the test when it throws nothing). */
export function thrown(fn: () => unknown): unknown {
	try {
		fn();
	} catch (error) {
		return error;
	}
	throw new Error("expected an error, none was thrown");
}
