/**
 * Synthetic firmware images for the scenarios: a Cortex-M vector table, Thumb-looking code and
 * literal pools holding the peripheral addresses a HAL program for that family would load. Good
 * enough for an image inspector to tell families, link addresses and RAM sizes apart; not code
 * that runs.
 */

export interface ImageSpec {
	/** Address the image is linked for (its vectors point here). */
	linkAddress: number;
	/** Initial stack pointer: the top of the family's RAM. */
	stackTop: number;
	/** Peripheral base addresses spread through the literal pools. */
	peripherals: readonly number[];
	/** Vector table entries: 16 system exceptions + the part's interrupts. */
	vectorCount: number;
	/** Total size in bytes (multiple of 4). */
	size: number;
	/** Changes the filler, so that two images of the same spec can differ. */
	seed?: number;
}

const THUMB_FILLER = [
	0xb510, // push {r4, lr}
	0x4b00, // ldr r3, [pc, #0]
	0x681a, // ldr r2, [r3]
	0xf042, // orr.w (first half)
	0x0201, // orr.w (second half)
	0x601a, // str r2, [r3]
	0x2000, // movs r0, #0
	0xbd10, // pop {r4, pc}
	0x4770, // bx lr
	0xbf00, // nop
];

export function buildImage(spec: ImageSpec): Uint8Array {
	const bytes = new Uint8Array(spec.size);
	const view = new DataView(bytes.buffer);
	const codeStart = spec.vectorCount * 4;
	const resetHandler = (spec.linkAddress + codeStart) | 1;
	const defaultHandler = (spec.linkAddress + codeStart + 0x40) | 1;
	view.setUint32(0, spec.stackTop >>> 0, true);
	view.setUint32(4, resetHandler >>> 0, true);
	for (let i = 2; i < spec.vectorCount; i++) {
		// Reserved system slots (7..10, 13) are zero in every CMSIS startup file.
		const reserved = (i >= 7 && i <= 10) || i === 13;
		view.setUint32(i * 4, reserved ? 0 : defaultHandler >>> 0, true);
	}
	let seed = (spec.seed ?? 1) >>> 0 || 1;
	let at = codeStart;
	let pool = 0;
	while (at + 4 <= spec.size) {
		if ((at - codeStart) % 256 === 252 && spec.peripherals.length > 0) {
			// A literal pool word every 256 bytes, cycling through the peripherals.
			view.setUint32(at, spec.peripherals[pool % spec.peripherals.length]! >>> 0, true);
			pool++;
			at += 4;
			continue;
		}
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		view.setUint16(at, THUMB_FILLER[(seed >>> 0) % THUMB_FILLER.length]!, true);
		at += 2;
	}
	return bytes;
}

/** STM32F1 facts for the wrong-MCU image: 20 KiB RAM (F103x8), APB2 GPIO, RCC at 0x40021000. */
export const F1_PERIPHERALS = {
	RCC: 0x40021000,
	FLASH_R: 0x40022000,
	GPIOA: 0x40010800,
	GPIOC: 0x40011000,
	USART1: 0x40013800,
	USB_FS: 0x40005c00,
};
export const F1_STACK_TOP = 0x20005000;
/** 16 system exceptions + 43 interrupts, an F103's table. */
export const F1_VECTOR_COUNT = 59;
