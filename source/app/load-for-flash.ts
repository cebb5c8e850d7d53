import { hex, ImageRejectedError, UsageError } from "../errors.js";
import type { Image } from "../image/image.js";
import { loadImage } from "../image/load.js";

/**
 * dfu-util's rule, kept: `-s ADDR` means "write this file's bytes verbatim at ADDR", which is only
 * right for raw binaries. A .dfu is refused (its header would land in flash); HEX and ELF carry
 * their own addresses, and an -s that disagrees with them is refused rather than guessed at.
 */
export async function loadForFlash(
	file: string | undefined,
	address: number | undefined,
): Promise<Image> {
	if (!file)
		throw new UsageError(
			"flash needs a file: bringup flash FILE [-s ADDR]",
			{},
			"e.g. bringup flash my.bin -s 0x08000000:leave",
		);
	const image = await loadImage(file, address === undefined ? {} : { address });
	if (address === undefined || image.format === "bin") return image;
	if (image.format === "dfuse") return loadImage(file, { address, raw: true });
	const start = image.segments[0]?.address;
	if (start !== address)
		throw new ImageRejectedError(
			`${file} is ${image.format === "elf" ? "an ELF" : "an Intel HEX"} file linked for ${hex(start ?? 0)}, but -s asks for ${hex(address)}`,
			{ file, linkAddress: start ?? null, address },
			`Drop the address (use -s :leave for modifiers only), or rebuild the image for ${hex(address)}.`,
		);
	return image;
}
