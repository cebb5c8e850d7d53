import { Box, Text } from "ink";
import { type ReactNode, useState } from "react";
import type { ErrorInfo } from "../store/events.js";
import { Accent } from "./accent.js";
import { ErrorBox } from "./error-box.js";
import { carriesAddresses, type FlashDraft, useFlashDraft } from "./flash-draft.js";
import { truncate } from "./format.js";
import { useKeys } from "./keyboard.js";
import { Prose } from "./prose.js";
import { TextField } from "./text-field.js";
import { glyphs } from "./theme.js";
import { usePathCompletion } from "./use-path-completion.js";

type Field = "file" | "address" | "alt" | "verify" | "leave" | "boards" | "plan";
const FIELDS: Field[] = ["file", "address", "alt", "verify", "leave", "boards", "plan"];
const LABEL_WIDTH = 10;

/**
 * The form: image path (Tab completes), load address, alt setting, verify and leave, and with
 * several boards like the selected one, whether to flash all of them. Up/Down picks a field,
 * Enter edits it (or toggles, or plans), p plans from anywhere.
 */
export function FlashForm({
	width,
	targetName,
	matching = 1,
	defaultAddress,
	refused,
	planning,
	readOnly,
	onPlan,
	onDestructive,
}: {
	width: number;
	targetName?: string;
	/** DFU boards like the selected one, itself included (source/app/boards.ts). */
	matching?: number;
	defaultAddress: string;
	refused?: { title: string; error: ErrorInfo };
	planning: boolean;
	readOnly?: boolean;
	onPlan(): void;
	onDestructive(kind: "mass-erase" | "unprotect"): void;
}) {
	const [draft, update] = useFlashDraft();
	const [field, setField] = useState<Field>("file");
	const [editing, setEditing] = useState<Field | null>(null);
	const [before, setBefore] = useState("");
	const completion = usePathCompletion();
	const addressFromFile = carriesAddresses(draft.file);
	const several = matching > 1;
	const allBoards = several && draft.allBoards;

	const set = (change: Partial<FlashDraft>) => update((d) => ({ ...d, ...change }));
	const move = (delta: number) => {
		let i = FIELDS.indexOf(field);
		do i = (i + delta + FIELDS.length) % FIELDS.length;
		while ((FIELDS[i] === "address" && addressFromFile) || (FIELDS[i] === "boards" && !several));
		setField(FIELDS[i]!);
	};
	const startEditing = (f: Field) => {
		setBefore(f === "file" ? draft.file : f === "address" ? draft.address : draft.alt);
		setEditing(f);
	};
	const finishEditing = () => {
		if (editing === "file" && !carriesAddresses(draft.file) && draft.file && !draft.address)
			set({ address: defaultAddress });
		completion.clear();
		setEditing(null);
	};

	useKeys(
		(input, key) => {
			if (key.upArrow) return move(-1);
			if (key.downArrow || key.tab) return move(1);
			if (readOnly || planning) return;
			if (input === "M") return onDestructive("mass-erase");
			if (input === "U") return onDestructive("unprotect");
			if (input === "p") return onPlan();
			if (key.return || input === " ") {
				if (field === "verify") return set({ verify: !draft.verify });
				if (field === "leave") return set({ leave: !draft.leave });
				if (field === "boards") return set({ allBoards: !draft.allBoards });
				if (field === "plan") return key.return ? onPlan() : undefined;
				if (key.return) startEditing(field);
			}
		},
		{ isActive: editing === null },
	);

	const valueWidth = width - LABEL_WIDTH - 2;
	const textRow = (f: "file" | "address" | "alt", label: string, placeholder: string) => (
		<Row label={label} focused={field === f}>
			<TextField
				value={draft[f]}
				editing={editing === f}
				width={valueWidth}
				placeholder={placeholder}
				onChange={(v) => set({ [f]: v } as Partial<FlashDraft>)}
				onSubmit={finishEditing}
				onCancel={() => {
					set({ [f]: before } as Partial<FlashDraft>);
					completion.clear();
					setEditing(null);
				}}
				onTab={f === "file" ? (v) => set({ file: completion.complete(v) }) : undefined}
			/>
		</Row>
	);

	return (
		<Box flexDirection="column" width={width}>
			<Text>
				Write an image to{" "}
				<Text bold>
					{allBoards
						? `all ${matching} ${targetName ?? ""} boards`
						: (targetName ?? "no device selected")}
				</Text>
				{targetName ? "" : " (pick one on Devices)"}
			</Text>
			<Box flexDirection="column" marginTop={1}>
				{textRow("file", "Image", "(none: Enter, then type a path)")}
				{editing === "file" && completion.candidates.length > 0 ? (
					<Text dimColor wrap="truncate">
						{" ".repeat(LABEL_WIDTH + 2)}
						{truncate(completion.candidates.join("  "), valueWidth)}
					</Text>
				) : null}
				{addressFromFile ? (
					<Row label="Address" focused={false}>
						<Text dimColor>from the file</Text>
					</Row>
				) : (
					textRow("address", "Address", `(default ${defaultAddress})`)
				)}
				{textRow("alt", "Alt", "(default 0)")}
				<Row label="Verify" focused={field === "verify"}>
					<Text>[{draft.verify ? "x" : " "}] read back and compare</Text>
				</Row>
				<Row label="Leave" focused={field === "leave"}>
					<Text>[{draft.leave ? "x" : " "}] leave DFU mode and start the image</Text>
				</Row>
				{several ? (
					<Row label="Boards" focused={field === "boards"}>
						<Text>
							[{allBoards ? "x" : " "}] all {matching} boards like this one, in parallel
						</Text>
					</Row>
				) : null}
				<Row label="" focused={field === "plan"}>
					<Text bold>{planning ? "planning..." : "Plan this flash"}</Text>
				</Row>
			</Box>
			<Box marginTop={1} flexDirection="column">
				{editing ? (
					<Text dimColor>
						{editing === "file" ? "Tab completes, " : ""}Enter keeps, Esc undoes the edit.
					</Text>
				) : refused ? (
					// Right under the fields, in the note's place: on a short terminal anything lower
					// is cut off, and p would seem to do nothing.
					<ErrorBox title={refused.title} error={refused.error} width={width} />
				) : (
					<Prose dimColor>Nothing is written until you have seen the plan and confirmed it.</Prose>
				)}
			</Box>
		</Box>
	);
}

function Row({
	label,
	focused,
	children,
}: {
	label: string;
	focused: boolean;
	children: ReactNode;
}) {
	return (
		<Box>
			<Box width={2} flexShrink={0}>
				{focused ? <Accent>{glyphs.pointer}</Accent> : <Text> </Text>}
			</Box>
			<Box width={LABEL_WIDTH} flexShrink={0}>
				<Text bold={focused}>{label}</Text>
			</Box>
			{children}
		</Box>
	);
}
