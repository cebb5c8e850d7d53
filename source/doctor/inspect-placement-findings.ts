import { chipFlashBase, chipMaxFlash } from "../chips/catalog.js";
import { hex } from "../errors.js";
import type { Image } from "../image/image.js";
import { imageSize } from "../image/image.js";
import type { Finding } from "../store/events.js";
import type { InspectTarget } from "./inspect-types.js";
import type { Placement } from "./inspect-vectors.js";

const DFUSE_SIGNATURE = [0x44, 0x66, 0x75, 0x53, 0x65]; // "DfuSe"

function startsWithDfuse(image: Image): boolean {
	const data = image.segments[0]?.data;
	return !!data && DFUSE_SIGNATURE.every((b, i) => data[i] === b);
}

function kb(bytes: number): string {
	return bytes % 1024 === 0 ? `${bytes / 1024} KB` : `${bytes} bytes`;
}

export function placementFindings(
	image: Image,
	placement: Placement,
	target: InspectTarget,
): Finding[] {
	const out: Finding[] = [];
	const size = imageSize(image);
	if (startsWithDfuse(image)) {
		out.push({
			id: "image.dfuse-as-raw",
			severity: "error",
			message: `The data starts with "DfuSe": this is a .dfu container, and written raw its header would land in flash at ${hex(placement.start)} and the board would not boot. Flash the .dfu without an address, or the .bin inside it.`,
			evidence: { offset: 0, address: placement.start },
		});
	}
	const chip = target.chip;
	if (chip) {
		const flash = chipMaxFlash(chip);
		const base = chipFlashBase(chip);
		if (size > flash) {
			out.push({
				id: "image.too-large",
				severity: "error",
				message: `The image is ${kb(size)}, more than the ${kb(flash)} of flash the ${chip.name} can have.`,
				evidence: { size, flash },
			});
		}
		if (
			base !== undefined &&
			!target.layout &&
			(placement.start < base || placement.end > base + flash)
		) {
			out.push({
				id: "image.outside-flash",
				severity: "error",
				message: `The image would occupy ${hex(placement.start)}-${hex(placement.end)}, outside the ${chip.name}'s flash (${hex(base)}-${hex(base + flash)}).`,
				evidence: {
					start: placement.start,
					end: placement.end,
					flashStart: base,
					flashEnd: base + flash,
				},
			});
		}
	}
	if (target.layout) {
		const segs = target.layout.segments.map((s) => ({ ...s, end: s.start + s.count * s.pageSize }));
		const layoutEnd = Math.max(...segs.map((s) => s.end));
		const layoutStart = Math.min(...segs.map((s) => s.start));
		for (const seg of image.segments) {
			const start = (seg.address + placement.delta) >>> 0;
			const end = start + seg.data.length;
			let address = start;
			while (address < end) {
				const inSeg = segs.find((s) => address >= s.start && address < s.end);
				if (!inSeg?.writable) {
					out.push({
						id: "image.not-writable",
						severity: "error",
						message: inSeg
							? `The image reaches ${hex(address)}, which the device's "${target.layout.name}" layout marks as not writable.`
							: `The image reaches ${hex(address)}, outside the device's "${target.layout.name}" (${hex(layoutStart)}-${hex(layoutEnd)}).`,
						evidence: { address, segmentStart: start, segmentEnd: end },
					});
					address = end;
					break;
				}
				address = inSeg.end;
			}
		}
		if (size > layoutEnd - layoutStart) {
			out.push({
				id: "image.too-large",
				severity: "error",
				message: `The image is ${kb(size)}, more than the device's ${kb(layoutEnd - layoutStart)} of "${target.layout.name}".`,
				evidence: { size, flash: layoutEnd - layoutStart },
			});
		}
	}
	return out;
}
