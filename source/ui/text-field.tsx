import { Text, useInput } from "ink";
import { useEffect, useState } from "react";
import { useKeyCapture } from "./key-capture.js";

export interface TextFieldProps {
	value: string;
	onChange(value: string): void;
	/** Whether the field is being edited (owns the keyboard and shows a cursor). */
	editing: boolean;
	onSubmit?(value: string): void;
	onCancel?(): void;
	/** Tab: the path field completes here. */
	onTab?(value: string): void;
	width: number;
	placeholder?: string;
}

/**
 * A one-line editor: typing, Backspace, Left/Right, Ctrl+A/E (home/end), Ctrl+U (clear).
 * Long values scroll so the cursor stays visible and the line never wraps.
 */
export function TextField(props: TextFieldProps) {
	const { value, editing, width } = props;
	const [cursor, setCursor] = useState(value.length);
	useKeyCapture(editing);

	// A value set from outside (completion, defaults) puts the cursor at its end.
	useEffect(() => {
		setCursor(value.length);
	}, [value]);

	useInput(
		(input, key) => {
			if (key.return) return props.onSubmit?.(value);
			if (key.escape) return props.onCancel?.();
			if (key.tab) return props.onTab?.(value);
			if (key.leftArrow) return setCursor((c) => Math.max(0, c - 1));
			if (key.rightArrow) return setCursor((c) => Math.min(value.length, c + 1));
			if (key.upArrow || key.downArrow) return;
			if (key.backspace || key.delete) {
				if (cursor === 0) return;
				const next = value.slice(0, cursor - 1) + value.slice(cursor);
				props.onChange(next);
				setCursor(cursor - 1);
				return;
			}
			if (key.ctrl) {
				if (input === "a") setCursor(0);
				else if (input === "e") setCursor(value.length);
				else if (input === "u") props.onChange("");
				return;
			}
			if (key.meta || input === "") return;
			// Pasted text arrives as one chunk; keep printable characters only.
			const text = input.replace(/[\r\n\t]/g, "");
			if (!text) return;
			props.onChange(value.slice(0, cursor) + text + value.slice(cursor));
			setCursor(cursor + text.length);
		},
		{ isActive: editing },
	);

	if (!editing) {
		return value ? (
			<Text wrap="truncate">{value}</Text>
		) : (
			<Text dimColor wrap="truncate">
				{props.placeholder ?? ""}
			</Text>
		);
	}
	const at = Math.min(cursor, value.length);
	const room = Math.max(4, width - 1);
	const start = Math.max(0, at - room + 1);
	const visible = value.slice(start, start + room);
	const pos = at - start;
	return (
		<Text>
			{visible.slice(0, pos)}
			<Text inverse>{visible[pos] ?? " "}</Text>
			{visible.slice(pos + 1)}
		</Text>
	);
}
