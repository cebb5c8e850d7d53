import { Box, Text } from "ink";
import { useState } from "react";
import { MAX_VOLTS, MIN_VOLTS, voltsFrom } from "../dfu/supply-range.js";
import { Prose } from "./prose.js";
import { TextField } from "./text-field.js";

/**
 * The board's supply, asked on the plan: the F2/F4/F7 ROM loaders write wider words once told it
 * (AN2606 Device Feature). What is typed is remembered for the board (each board of a batch), as
 * --voltage is; "none" forgets it and the loader writes byte by byte.
 */
export function SupplyPrompt({
	boards,
	current,
	width,
	onSubmit,
	onCancel,
}: {
	/** "this board" or "the 20 boards". */
	boards: string;
	/** The volts the plan uses now, if any. */
	current?: number;
	width: number;
	onSubmit(volts: number | null): void;
	onCancel(): void;
}) {
	const [typed, setTyped] = useState(current === undefined ? "" : String(current));
	const [wrong, setWrong] = useState(false);
	const label = "Supply in volts, or none: ";
	return (
		<Box flexDirection="column" width={width}>
			<Text bold>The supply of {boards}</Text>
			<Prose>
				From 2.7 V the loader programs 32 bits at a time, from 2.1 V 16 bits, below that byte by
				byte. Give the voltage the board really runs at: a range above it can make writes fail
				verify. It is remembered for {boards === "this board" ? "the board" : "each board"}.
			</Prose>
			<Box marginTop={1}>
				<Text>{label}</Text>
				<TextField
					value={typed}
					editing
					width={Math.max(8, width - label.length - 1)}
					placeholder="3.3"
					onChange={(v) => {
						setTyped(v);
						setWrong(false);
					}}
					onSubmit={(v) => {
						if (/^\s*(none|off)\s*$/i.test(v)) return onSubmit(null);
						const volts = voltsFrom(v);
						if (volts === undefined) setWrong(true);
						else onSubmit(volts);
					}}
					onCancel={onCancel}
				/>
			</Box>
			{wrong ? (
				<Prose>
					Not a supply: type volts from {MIN_VOLTS} to {MAX_VOLTS} (e.g. 3.3), or none.
				</Prose>
			) : null}
			<Text dimColor>Enter sets it and plans again (nothing is written), Esc goes back.</Text>
		</Box>
	);
}
