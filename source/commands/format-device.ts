import { hex } from "../errors.js";
import { exactSize } from "../format.js";
import { describeDevice } from "../store/describe-event.js";
import type { MemoryLayout } from "../store/events.js";
import type { DeviceState } from "../store/reduce.js";

export function layoutLines(layout: MemoryLayout): string[] {
	return layout.segments.map((s) => {
		const attrs = `${s.readable ? "r" : "-"}${s.erasable ? "e" : "-"}${s.writable ? "w" : "-"}`;
		return `${hex(s.start)}  ${String(s.count).padStart(3)} x ${exactSize(s.pageSize).padEnd(8)} ${attrs}  (${exactSize(s.count * s.pageSize)})`;
	});
}

/** The plain-text block `bringup list` prints for one device. */
export function deviceLines(key: string, device: DeviceState): string[] {
	const lines = [`${key}  ${describeDevice(device.identity)}`];
	const d = device.description;
	if (!d) return lines;
	if (d.chip)
		lines.push(
			`  chip: ${d.chip.name} (${d.chip.confidence} confidence)${d.bootloaderVersion ? `, bootloader ${d.bootloaderVersion}` : ""}`,
		);
	const f = d.functional;
	if (f)
		lines.push(
			`  DFU ${(f.dfuVersion >> 8).toString(16)}.${(f.dfuVersion & 0xff).toString(16).padStart(2, "0")}, transfer size ${f.transferSize}${f.canUpload ? ", upload" : ""}${f.canDownload ? ", download" : ""}${f.willDetach ? ", will detach" : ""}${f.manifestationTolerant ? ", manifestation tolerant" : ""}`,
		);
	for (const alt of d.alts) {
		lines.push(`  alt ${alt.alt}: ${alt.name}`);
		if (alt.layout) for (const l of layoutLines(alt.layout)) lines.push(`         ${l}`);
	}
	return lines;
}
