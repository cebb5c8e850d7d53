import { Box, Text } from "ink";
import { useState } from "react";
import { TextField } from "./text-field.js";

/**
 * For actions that destroy data: the user must type the word (not just press y), so a stray key
 * can never erase a chip.
 */
export function TypedConfirm({
	title,
	lines,
	word = "yes",
	width,
	onConfirm,
	onCancel,
}: {
	title: string;
	lines: string[];
	word?: string;
	width: number;
	onConfirm(): void;
	onCancel(): void;
}) {
	const [typed, setTyped] = useState("");
	const [wrong, setWrong] = useState(false);
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>{title}</Text>
			{lines.map((line) => (
				<Text key={line} wrap="wrap">
					{line}
				</Text>
			))}
			<Box marginTop={1}>
				<Text>Type {word} and Enter to go ahead, Esc to cancel: </Text>
				<TextField
					value={typed}
					editing
					width={Math.max(8, width - 45)}
					onChange={(v) => {
						setTyped(v);
						setWrong(false);
					}}
					onSubmit={(v) => {
						if (v.trim().toLowerCase() === word) onConfirm();
						else setWrong(true);
					}}
					onCancel={onCancel}
				/>
			</Box>
			{wrong ? <Text>Not confirmed: type {word} exactly, or Esc to cancel.</Text> : null}
		</Box>
	);
}
