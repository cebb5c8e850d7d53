import { Text } from "ink";
import { useRef, useState } from "react";
import { useKeyCapture } from "./key-capture.js";
import { useKeys } from "./keyboard.js";

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
	// The cursor belongs to the value it was placed in; a value set from outside (completion,
	// defaults, Ctrl+U) puts it at the end.
	const [local, setLocal] = useState({ value, cursor: value.length });
	const cursor = local.value === value ? Math.min(local.cursor, value.length) : value.length;
	useKeyCapture(editing);

	// Keys can arrive before React re-registers this handler with fresh props (fast typing, a
	// terminal replaying input): read the latest value and cursor through a ref.
	const latest = useRef({ value, cursor, props });
	latest.current = { value, cursor, props };
	const edit = (next: string, at: number) => {
		latest.current = { ...latest.current, value: next, cursor: at };
		setLocal({ value: next, cursor: at });
		latest.current.props.onChange(next);
	};

	useKeys(
		(input, key) => {
			const { value: v, cursor: c, props: p } = latest.current;
			if (key.return) return p.onSubmit?.(v);
			if (key.escape) return p.onCancel?.();
			if (key.tab) return p.onTab?.(v);
			if (key.leftArrow) return setLocal({ value: v, cursor: Math.max(0, c - 1) });
			if (key.rightArrow) return setLocal({ value: v, cursor: Math.min(v.length, c + 1) });
			if (key.upArrow || key.downArrow) return;
			if (key.backspace || key.delete) {
				if (c > 0) edit(v.slice(0, c - 1) + v.slice(c), c - 1);
				return;
			}
			if (key.ctrl) {
				if (input === "a") setLocal({ value: v, cursor: 0 });
				else if (input === "e") setLocal({ value: v, cursor: v.length });
				else if (input === "u") edit("", 0);
				return;
			}
			if (key.meta || input === "") return;
			// Pasted text arrives as one chunk; keep printable characters only.
			const text = input.replace(/[\r\n\t]/g, "");
			if (text) edit(v.slice(0, c) + text + v.slice(c), c + text.length);
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
