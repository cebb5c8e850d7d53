import { Box, Text } from "ink";
import { Fragment } from "react";
import { Accent } from "./accent.js";

export type Hint = [key: string, label: string];

/** A line of "key label" pairs; the keys carry the accent so the eye finds them. */
export function KeyHints({ hints, width }: { hints: Hint[]; width: number }) {
	const shown: Hint[] = [];
	let used = 0;
	for (const hint of hints) {
		const cost = hint[0].length + 1 + hint[1].length + (shown.length ? 3 : 0);
		if (used + cost > width) break;
		shown.push(hint);
		used += cost;
	}
	return (
		<Box>
			<Text wrap="truncate">
				{shown.map(([key, label], i) => (
					<Fragment key={key}>
						{i > 0 ? "   " : ""}
						<Accent>{key}</Accent> {label}
					</Fragment>
				))}
			</Text>
		</Box>
	);
}
