import { Box, Text } from "ink";
import type { MemoryLayout } from "../store/events.js";
import type { DeviceState } from "../store/reduce.js";
import {
	altTitle,
	attributes,
	hex,
	layoutSummary,
	modeLabel,
	shortSize,
	truncate,
	vidPid,
} from "./format.js";

/** Everything known about the selected device, within `maxRows` lines. */
export function DeviceDetails({
	device,
	width,
	maxRows,
}: {
	device: DeviceState;
	width: number;
	maxRows: number;
}) {
	const id = device.identity;
	const d = device.description;
	const lines: { key: string; label: string; text: string; dim?: boolean }[] = [];
	const add = (label: string, text: string, dim?: boolean) =>
		lines.push({ key: `${lines.length}`, label, text, dim });

	add(
		"Device",
		[
			vidPid(id),
			modeLabel(id.mode),
			id.product ? `"${id.product.trim()}"` : "",
			id.serial ? `serial ${id.serial}` : "",
		]
			.filter(Boolean)
			.join("  "),
	);
	if (id.mode === "app")
		add("", "Application mode: no DFU interface. Reset into the bootloader to flash.", true);
	if (id.mode === "runtime")
		add("", "Run-time DFU: it can be asked to detach into its DFU mode.", true);
	if (!d) {
		add("", id.mode === "app" ? "" : "reading descriptors...", true);
	} else {
		if (d.chip) {
			const chip = `${d.chip.name} (${d.chip.confidence})${d.chip.flashSize ? `  flash ${shortSize(d.chip.flashSize)}` : ""}`;
			// The evidence (often the whole flash layout string, which the Alt rows show decoded)
			// only when it fits: a line cut off with ~ tells nothing.
			const evidence = d.chip.evidence[0] ? `  ${d.chip.evidence[0]}` : "";
			add("Chip", chip.length + evidence.length <= width - 8 ? chip + evidence : chip);
		}
		const f = d.functional;
		const loader = [
			d.bootloaderVersion ? `bootloader ${d.bootloaderVersion}` : "",
			f
				? `DFU ${(f.dfuVersion >> 8).toString(16)}.${(f.dfuVersion & 0xff).toString(16).padStart(2, "0")}`
				: "",
			f ? `block ${f.transferSize} B` : "",
			f
				? [
						f.canDownload ? "dnload" : "",
						f.canUpload ? "upload" : "",
						f.manifestationTolerant ? "manifest-tolerant" : "",
						f.willDetach ? "will-detach" : "",
					]
						.filter(Boolean)
						.join(" ")
				: "",
		]
			.filter(Boolean)
			.join("  ");
		if (loader) add("Loader", loader);
		for (const alt of d.alts)
			add(
				`Alt ${alt.alt}`,
				`${truncate(altTitle(alt.name), 18).padEnd(18)} ${alt.layout ? layoutSummary(alt.layout) : alt.name.slice(alt.name.indexOf("/") + 1).trim()}`,
			);
	}
	const memory = d?.alts.find((a) => a.layout)?.layout;
	const room = maxRows - lines.length;
	return (
		<Box flexDirection="column" width={width}>
			{lines.slice(0, maxRows).map((l) => (
				<Box key={l.key}>
					<Box width={8} flexShrink={0}>
						<Text bold>{l.label}</Text>
					</Box>
					<Text dimColor={l.dim} wrap="truncate">
						{truncate(l.text, width - 8)}
					</Text>
				</Box>
			))}
			{memory && room >= 3 ? <MemoryMap layout={memory} width={width} maxRows={room} /> : null}
		</Box>
	);
}

/** Sectors of one alternate setting, grouped as the layout string groups them. */
export function MemoryMap({
	layout,
	width,
	maxRows,
}: {
	layout: MemoryLayout;
	width: number;
	maxRows: number;
}) {
	let index = 0;
	const rows = layout.segments.map((s) => {
		const first = index;
		index += s.count;
		const sectors = s.count === 1 ? `${first}` : `${first}-${index - 1}`;
		return `${sectors.padEnd(8)}${hex(s.start)}  ${String(s.count).padStart(3)} x ${shortSize(s.pageSize).padEnd(6)} ${attributes(s)}`;
	});
	const shown = rows.slice(0, Math.max(0, maxRows - 1));
	return (
		<Box flexDirection="column" marginTop={0}>
			<Text bold>
				{truncate(`Memory  ${altTitle(layout.name)} (sectors, r read, e erase, w write)`, width)}
			</Text>
			{shown.map((r) => (
				<Text key={r}>
					{"  "}
					{truncate(r, width - 2)}
				</Text>
			))}
			{rows.length > shown.length ? (
				<Text dimColor>
					{"  "}...{rows.length - shown.length} more groups
				</Text>
			) : null}
		</Box>
	);
}
