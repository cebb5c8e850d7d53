import { Box, Text } from "ink";
import type { ErrorInfo } from "../store/events.js";
import { hex, truncate } from "./format.js";
import { Prose } from "./prose.js";
import { screenHint } from "./screen-hint.js";

/** What happened, and what to try next; the details a user may need to report it. */
export function ErrorBox({
	title,
	error,
	width,
}: {
	title: string;
	error?: ErrorInfo;
	width: number;
}) {
	const message = error?.message ?? "";
	// Details the message already says at length (an address, what the chip holds) would only repeat
	// it; short values (a file name, an offset) may match by chance and stay.
	const details = Object.entries(error?.details ?? {})
		.map(([k, v]): [string, string] => [
			k,
			typeof v === "number" && k.toLowerCase().includes("address") ? hex(v) : String(v),
		])
		.filter(([, v]) => v.length < 10 || !message.includes(v))
		.map(([k, v]) => `${k} ${v}`)
		.join(", ");
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{truncate(title, width)}</Text>
			<Prose>{error?.message ?? "no reason was reported"}</Prose>
			{error?.hint ? (
				<Prose>
					<Text bold>Try: </Text>
					{screenHint(error.hint)}
				</Prose>
			) : null}
			{details ? <Text dimColor>{truncate(details, width)}</Text> : null}
		</Box>
	);
}
