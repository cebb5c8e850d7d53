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
			["v / x", "the board's supply (plan) / stop a running flash"],
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
	[
		"Log",
		[
			["s / a / e", "source filter / all / errors only"],
			["up/dn PgUp/PgDn", "scroll; Home / End: oldest / newest"],
		],
	],
];

/** In a replay nothing can be sent, so the help gives the action rows' place to the step keys. */
const REPLAY_SECTIONS: [string, [string, string][]][] = [
	SECTIONS[0]!,
	[
		"Replay",
		[
			[". / ,", "one event forward / back"],
			["> / <", "next / previous marker (plan, phase, result,"],
			["", "plug, answer, warning or error)"],
			["g G / Home End", "start / end of the recording"],
		],
	],
	["Checklist", [["up/down", "review steps"]]],
	[
		"Log",
		[
			["s / a / e", "source filter / all / errors only"],
			["up/dn PgUp/PgDn", "scroll"],
		],
	],
];

export function HelpScreen({
	width,
	height,
	replay,
}: {
	width: number;
	height: number;
	replay?: boolean;
}) {
	const lines: { key: string; node: ReactNode }[] = [];
	for (const [title, rows] of replay ? REPLAY_SECTIONS : SECTIONS) {
		lines.push({ key: title, node: <Text bold>{title}</Text> });
		for (const [k, what] of rows)
			lines.push({
				key: `${title}-${k}-${what}`,
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
