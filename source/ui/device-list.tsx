import { Box, Text } from "ink";
import type { DeviceState } from "../store/reduce.js";
import { Accent } from "./accent.js";
import { modeLabel, truncate, vidPid } from "./format.js";
import { glyphs } from "./theme.js";

/**
 * One line per device: selection pointer, VID:PID, mode, chip or product, serial (its USB path
 * where several boards report the same serial), loader version.
 */
export function DeviceList({
	devices,
	selected,
	width,
	maxRows,
}: {
	devices: DeviceState[];
	selected: string | null;
	width: number;
	maxRows: number;
}) {
	const at = Math.max(
		0,
		devices.findIndex((d) => d.identity.key === selected),
	);
	// Scroll so the selected row stays in view.
	const start = Math.max(0, at - maxRows + 1);
	const rows = devices.slice(start, start + maxRows);
	const serials = new Map<string, number>();
	for (const d of devices)
		if (d.identity.serial)
			serials.set(d.identity.serial, (serials.get(d.identity.serial) ?? 0) + 1);
	return (
		<Box flexDirection="column">
			{rows.map((d) => {
				const id = d.identity;
				const isSelected = id.key === selected;
				const name = d.description?.chip?.name ?? (id.product ? `"${id.product.trim()}"` : "");
				const bl = d.description?.bootloaderVersion ? `bl ${d.description.bootloaderVersion}` : "";
				const sim = id.backend === "sim" ? "sim" : "";
				const nameWidth = Math.max(10, Math.min(22, width - 52));
				const line = [
					vidPid(id),
					modeLabel(id.mode).padEnd(8),
					truncate(name, nameWidth).padEnd(nameWidth),
					truncate(
						id.serial && (serials.get(id.serial) ?? 0) > 1 && id.path
							? `path ${id.path}`
							: (id.serial ?? ""),
						14,
					).padEnd(14),
					bl.padEnd(7),
					sim,
				]
					.join(" ")
					.trimEnd();
				const text = truncate(line, width - 2);
				return (
					<Box key={id.key}>
						{isSelected ? (
							<Accent>
								{glyphs.pointer} {text}
							</Accent>
						) : (
							<Text>
								{"  "}
								{text}
							</Text>
						)}
					</Box>
				);
			})}
			{devices.length > rows.length ? (
				<Text dimColor>
					{"  "}
					{devices.length - rows.length} more (up/down to scroll)
				</Text>
			) : null}
		</Box>
	);
}
