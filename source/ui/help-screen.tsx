import { Box, Text } from "ink";
import type { ReactNode } from "react";
import { truncate } from "./format.js";

const SECTIONS: [string, [string, string][]][] = [
	[
		"Everywhere",
		[
			["1 2 3 4", "Devices, Flash, Checklist, Log"],
			["?", "this help (any key closes it)"],
			["q", "quit (asks first while flashing)"],
		],
	],
	[
		"Devices",
		[
			["up/down", "select the target device"],
			["s", "use the simulated board"],
			["p / u", "plug / unplug a simulated board"],
		],
	],
	[
		"Flash",
		[
			["up/down Enter", "pick a field, edit it (Tab completes)"],
			["space", "toggle verify / leave"],
			["p", "plan: what will be erased and written"],
			["y Enter / n Esc", "start / cancel a planned flash"],
			["M / U", "mass erase / unprotect (type yes)"],
		],
	],
	[
		"Checklist",
		[
			["Enter", "start the checklist"],
			["p f s v", "pass, fail, skip, type a measured value"],
			["up/down  w", "review steps, write a report"],
		],
	],
	["Log", [["s / a", "next source filter / all sources"]]],
];

export function HelpScreen({ width, height }: { width: number; height: number }) {
	const lines: { key: string; node: ReactNode }[] = [];
	for (const [title, rows] of SECTIONS) {
		lines.push({ key: title, node: <Text bold>{title}</Text> });
		for (const [k, what] of rows)
			lines.push({
				key: `${title}-${k}`,
				node: <Text>{truncate(`  ${k.padEnd(16)} ${what}`, width)}</Text>,
			});
	}
	return (
		<Box flexDirection="column" height={height} overflow="hidden">
			{lines.slice(0, height).map((l) => (
				<Box key={l.key}>{l.node}</Box>
			))}
		</Box>
	);
}
