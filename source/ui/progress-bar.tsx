import { Text } from "ink";
import { glyphs } from "./theme.js";

/** A bar of `width` cells; fraction undefined draws an empty bar (total not known yet). */
export function ProgressBar({ fraction, width }: { fraction?: number; width: number }) {
	const filled = Math.round(Math.max(0, Math.min(1, fraction ?? 0)) * width);
	return (
		<Text>
			{glyphs.barDone.repeat(filled)}
			<Text dimColor>{glyphs.barTodo.repeat(width - filled)}</Text>
		</Text>
	);
}
