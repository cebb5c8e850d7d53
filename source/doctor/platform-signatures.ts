import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import type { VectorTable } from "./inspect-vectors.js";

/**
 * Layouts that only other vendors' parts use, read from the image's first bytes and where it is
 * linked. Each says what it is and why, so a non-STM32 image is called what it is. Sources are in
 * docs/inspector.md ("Other parts").
 */
export interface PlatformSign {
	/** "ESP32", "RP2040", "LPC", "Kinetis", "RISC-V", "flash at 0". */
	family: string;
	label: string;
	/** True when the layout alone rules out every STM32. */
	definitive: boolean;
	evidence: string;
}

const EM_XTENSA = 94;
const EM_RISCV = 243;

function u32(data: Uint8Array, offset: number): number {
	return (
		(data[offset]! |
			(data[offset + 1]! << 8) |
			(data[offset + 2]! << 16) |
			(data[offset + 3]! << 24)) >>>
		0
	);
}

/** ESP-IDF app image header (esp_image_header_t): magic 0xE9, segment count, SPI mode, entry. */
function esp32Header(data: Uint8Array, offset: number): boolean {
	if (data.length < offset + 24 || data[offset] !== 0xe9) return false;
	const segments = data[offset + 1]!;
	const spiMode = data[offset + 2]!;
	const entry = u32(data, offset + 4);
	return (
		segments >= 1 && segments <= 16 && spiMode <= 5 && entry >= 0x40000000 && entry < 0x50000000
	);
}

/** RISC-V code at the image start: JAL x0 ("j"), the compressed C.J, or LUI/AUIPC. */
function riscvStart(data: Uint8Array): boolean {
	if (data.length < 4) return false;
	const w = u32(data, 0);
	const jal = (w & 0xfff) === 0x06f;
	const cj = (w & 0xe003) === 0xa001;
	const auipcOrLui = (w & 0x7f) === 0x17 || (w & 0x7f) === 0x37;
	return jal || cj || auipcOrLui;
}

/** NXP LPC parts boot only when the first eight words sum to zero (UM10360 §32.3.1.1). */
function lpcChecksum(data: Uint8Array): boolean {
	if (data.length < 32) return false;
	let sum = 0;
	let nonzero = 0;
	for (let i = 0; i < 8; i++) {
		const w = u32(data, i * 4);
		sum = (sum + w) >>> 0;
		if (w !== 0) nonzero++;
	}
	return sum === 0 && nonzero >= 3 && u32(data, 28) !== 0;
}

/** Kinetis flash configuration field at 0x400-0x40F: backdoor key, FPROT, FSEC (K20 RM §28.3.1). */
function kinetisConfig(data: Uint8Array): boolean {
	if (data.length < 0x410) return false;
	for (let i = 0x400; i < 0x40c; i++) if (data[i] !== 0xff) return false;
	const fsec = data[0x40c]!;
	return fsec !== 0xff && (fsec & 3) === 2 && data[0x40e] === 0xff && data[0x40f] === 0xff;
}

export function platformSign(
	image: Image & { machine?: number },
	table: VectorTable | undefined,
	linkBase: number,
): PlatformSign | undefined {
	const data = image.segments[0]?.data ?? new Uint8Array();
	if (image.machine === EM_XTENSA || esp32Header(data, 0) || esp32Header(data, 0x1000)) {
		return {
			family: "ESP32",
			label: "Espressif ESP32",
			definitive: true,
			evidence:
				image.machine === EM_XTENSA
					? "an Xtensa ELF (ESP32)"
					: `an ESP-IDF image header (magic 0xE9, entry ${hex(u32(data, esp32Header(data, 0) ? 4 : 0x1004))})`,
		};
	}
	if (image.machine === EM_RISCV || (!table?.plausible && riscvStart(data))) {
		return {
			family: "RISC-V",
			label: "RISC-V part (GD32VF103 or CH32V)",
			definitive: true,
			evidence:
				image.machine === EM_RISCV
					? "a RISC-V ELF"
					: `RISC-V code at the start (${hex(u32(data, 0))} is a RISC-V jump, not a Cortex-M stack pointer)`,
		};
	}
	if (!table?.plausible) return undefined;
	if (table.afterBoot2) {
		return {
			family: "RP2040",
			label: "Raspberry Pi RP2040",
			definitive: true,
			evidence: `a 256-byte second-stage boot loader before the vector table${linkBase === 0x10000000 ? ", linked at 0x10000000 (RP2040 XIP flash)" : ""}`,
		};
	}
	if (lpcChecksum(data)) {
		return {
			family: "LPC",
			label: "NXP LPC",
			definitive: true,
			evidence: `vector 7 (${hex(u32(data, 28))}) makes the first eight words sum to zero: the NXP LPC boot check`,
		};
	}
	if (linkBase === 0 && kinetisConfig(data)) {
		return {
			family: "Kinetis",
			label: "NXP Kinetis",
			definitive: true,
			evidence: `a flash configuration field at 0x400 (FSEC ${hex(data[0x40c]!, 2)}): the Kinetis layout`,
		};
	}
	if (linkBase === 0x10000000) {
		return {
			family: "RP2040",
			label: "Raspberry Pi RP2040",
			definitive: false,
			evidence: "linked at 0x10000000, the RP2040's XIP flash",
		};
	}
	// Every STM32 keeps its flash at 0x08000000 (0x0C000000 for TrustZone-secure code); code
	// linked lower runs on a part whose flash starts at 0 (nRF5, SAM D, LPC, Kinetis).
	if (linkBase < 0x08000000) {
		return {
			family: "flash at 0",
			label: "part whose flash starts at 0x00000000",
			definitive: linkBase !== 0,
			evidence: `linked at ${hex(linkBase)}, below the 0x08000000 where every STM32's flash starts`,
		};
	}
	return undefined;
}
