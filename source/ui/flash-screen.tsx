import { Box, Text } from "ink";
import { type ReactNode, useState } from "react";
import { matchingBoards } from "../app/boards.js";
import type { FlashRequest, IntentResult } from "../app/intents.js";
import type { ErrorInfo } from "../store/events.js";
import type { State } from "../store/reduce.js";
import { BatchProgress } from "./batch-progress.js";
import { batchJobs, batchView } from "./batch-view.js";
import { useIntents } from "./contexts.js";
import { deviceName, selectedDevice } from "./device-select.js";
import { ErrorBox } from "./error-box.js";
import {
	carriesAddresses,
	DEFAULT_LOAD_ADDRESS,
	type FlashDraft,
	useFlashDraft,
	withAdded,
} from "./flash-draft.js";
import { FlashForm } from "./flash-form.js";
import { FlashPlan } from "./flash-plan.js";
import { FlashProgress } from "./flash-progress.js";
import { hex, parseAddress } from "./format.js";
import { jobStage, latestJobId } from "./job-view.js";
import { type Hint, KeyHints } from "./key-hints.js";
import { useKeys } from "./keyboard.js";
import { Prose } from "./prose.js";
import { ScreenBody } from "./screen-body.js";
import { SupplyPrompt } from "./supply-prompt.js";
import { TypedConfirm } from "./typed-confirm.js";
import { useStore } from "./use-store.js";

type Destructive = "mass-erase" | "unprotect";

/** The form's request, or the reason it cannot be sent yet. */
export function requestFromDraft(
	draft: FlashDraft,
	force = false,
	device?: string,
): { ok: true; request: FlashRequest } | { ok: false; error: ErrorInfo } {
	const file = draft.file.trim();
	if (!file)
		return {
			ok: false,
			error: {
				kind: "input",
				message: "no image chosen",
				hint: "type a path in the Image field (Tab completes)",
			},
		};
	let address: number | undefined;
	if (!carriesAddresses(file) && draft.address.trim()) {
		address = parseAddress(draft.address);
		if (address === undefined)
			return {
				ok: false,
				error: {
					kind: "input",
					message: `"${draft.address}" is not an address`,
					hint: "type it in hex, like 0x08000000",
				},
			};
	}
	let alt: number | undefined;
	if (draft.alt.trim()) {
		alt = Number.parseInt(draft.alt.trim(), 10);
		if (!Number.isInteger(alt) || alt < 0 || String(alt) !== draft.alt.trim())
			return {
				ok: false,
				error: {
					kind: "input",
					message: `"${draft.alt}" is not an alt setting number`,
					hint: "alt settings are listed on the Devices screen (Alt 0, Alt 1, ...)",
				},
			};
	}
	return {
		ok: true,
		request: {
			...(device ? { device } : {}),
			file,
			address,
			alt,
			verify: draft.verify,
			leave: draft.leave,
			...(force ? { force } : {}),
			...(draft.allBoards ? { boards: "matching" as const } : {}),
		},
	};
}

function defaultAddressFor(state: State): string {
	const segment = selectedDevice(state)?.description?.alts.find((a) => a.layout)?.layout
		?.segments[0];
	return hex(segment?.start ?? DEFAULT_LOAD_ADDRESS);
}

/**
 * Flash: form → plan (nothing written) → confirm → progress → result. Mass erase and unprotect
 * wait for a typed "yes". The job shown is the newest one not put away, so a replay opens on the
 * recorded flash.
 */
export function FlashScreen({ width, height }: { width: number; height: number }) {
	const intents = useIntents();
	const [draft, update] = useFlashDraft();
	const state = useStore((s: State) => s);
	const [planning, setPlanning] = useState(false);
	const [refused, setRefusedState] = useState<{ title: string; error: ErrorInfo }>();
	const setRefused = (error?: ErrorInfo, title = "Could not plan this flash") =>
		setRefusedState(error ? { title, error } : undefined);
	const [destructive, setDestructive] = useState<Destructive | null>(null);
	// A planned job whose plan lists confirmations (option bytes, OTP) waits for a typed "yes".
	const [confirming, setConfirming] = useState<string | null>(null);
	// The plan's supply question (v), for the job it was asked on.
	const [supplying, setSupplying] = useState<string | null>(null);
	// The board row chosen in a flash of many boards.
	const [row, setRow] = useState(0);
	/** The job x was pressed on: whether to stop it (or every board's) after the current block. */
	const [stopping, setStopping] = useState<string | null>(null);
	const jobId = latestJobId(state, draft.dismissed);
	const job = jobId ? state.jobs[jobId] : undefined;
	const batch = job?.plan.batch ? batchView(state, job.plan.batch) : undefined;
	// A flash of many boards moves as one: planned until it starts, done when every board ended.
	const stage = batch
		? batch.stage === "finished"
			? "done"
			: batch.stage
		: job
			? jobStage(job)
			: undefined;
	// The question stands only while that flash runs: one that ends meanwhile ends it.
	const askingStop = job !== undefined && stopping === job.id && stage === "running";
	// What confirm and cancel act on: the first job of each board still waiting, or the one job.
	const waiting = batch ? batch.waiting : job ? [job.id] : [];
	const jobsShown = (): string[] => (batch ? batchJobs(state, batch.id) : job ? [job.id] : []);
	const target = selectedDevice(state);
	const findings = job?.plan.file ? (state.inspections[job.plan.file]?.findings ?? []) : [];
	const forced = job ? draft.forced.has(job.id) : false;
	const blocked = batch
		? batch.count.planned === 0
		: !forced && findings.some((f) => f.severity === "error");
	const readOnly = intents.readOnly;

	const settle = (result: IntentResult, force: boolean) => {
		setPlanning(false);
		if (result.ok) {
			setRefused(undefined);
			if (force) update((d) => ({ ...d, forced: withAdded(d.forced, result.job) }));
		} else setRefused(result.error);
	};

	const plan = (force = false) => {
		// An empty Address field means the default it shows, as its placeholder says.
		const address = draft.address.trim() || defaultAddressFor(state);
		// The Boards box counts only while there are several boards to flash.
		const several = target ? matchingBoards(state, target.identity.key).length > 1 : false;
		const built = requestFromDraft(
			{ ...draft, address, allBoards: draft.allBoards && several },
			force,
			target?.identity.key,
		);
		if (!built.ok) return setRefused(built.error);
		setPlanning(true);
		setRefused(undefined);
		intents.prepareFlash(built.request).then(
			(r) => settle(r, force),
			(e: unknown) => settle({ ok: false, error: { kind: "internal", message: String(e) } }, force),
		);
	};

	const dismiss = (ids: readonly string[]) =>
		update((d) => ({ ...d, dismissed: ids.reduce(withAdded, d.dismissed) }));
	const cancelAll = () => {
		for (const id of waiting) intents.cancelFlash(id);
		dismiss(jobsShown());
	};
	const confirmAll = (confirmed?: readonly string[]) => {
		update((d) => ({ ...d, confirmed: waiting.reduce(withAdded, d.confirmed) }));
		for (const id of waiting)
			if (confirmed) intents.confirmFlash(id, confirmed);
			else intents.confirmFlash(id);
	};
	// The loader takes a supply range (F2/F4/F7): the plan offers to set it.
	const offersSupply = !readOnly && job?.plan.estimateMs !== undefined;

	useKeys(
		(input, key) => {
			if (!job) return;
			if (batch && (key.upArrow || key.downArrow) && stage !== "planned")
				return setRow((r) =>
					Math.max(0, Math.min(batch.rows.length - 1, r + (key.upArrow ? -1 : 1))),
				);
			if (readOnly) return;
			if (stage === "running" && input === "x") return setStopping(job.id);
			if (stage === "planned") {
				if (key.escape || input === "n") cancelAll();
				else if ((key.return || input === "y") && !blocked && !draft.confirmed.has(job.id)) {
					if (job.plan.confirmations?.length) return setConfirming(job.id);
					confirmAll();
				} else if (input === "F" && blocked) {
					cancelAll();
					plan(true);
				} else if (input === "v" && offersSupply && !draft.confirmed.has(job.id))
					setSupplying(job.id);
			} else if ((stage === "done" || stage === "failed") && key.return) {
				dismiss(jobsShown());
				setRow(0);
			}
		},
		{
			isActive:
				destructive === null &&
				confirming === null &&
				supplying === null &&
				!askingStop &&
				job !== undefined,
		},
	);

	// A flash stops between two blocks: each board's job then says what its chip holds.
	useKeys(
		(input) => {
			setStopping(null);
			if (input === "y") for (const id of jobsShown()) intents.cancelFlash(id);
		},
		{ isActive: askingStop },
	);

	const runDestructive = (kind: Destructive) => {
		setDestructive(null);
		if (!target) return;
		const call = kind === "mass-erase" ? intents.massErase : intents.unprotect;
		call.call(intents, target.identity.key).then(
			(r) => (r.ok ? setRefused(undefined) : setRefused(r.error, `${kind} was refused`)),
			(e: unknown) => setRefused({ kind: "internal", message: String(e) }, `${kind} failed`),
		);
	};

	let body: ReactNode;
	let hints: Hint[];
	if (askingStop) {
		const boards = batch ? `all ${batch.rows.length} boards` : "the flash";
		body = (
			<Box flexDirection="column">
				<Text bold>Stop {boards} after the current block?</Text>
				<Prose>
					Each chip keeps the part of the image written so far and will not run it: flash it again
					before you use the board. y stops, any other key lets it run on.
				</Prose>
			</Box>
		);
		hints = [
			["y", "stop"],
			["any key", "run on"],
		];
	} else if (supplying && job?.id === supplying && stage === "planned") {
		body = (
			<SupplyPrompt
				boards={batch ? `the ${batch.rows.length} boards` : "this board"}
				{...(job.plan.supplyVolts !== undefined ? { current: job.plan.supplyVolts } : {})}
				width={width}
				onSubmit={(volts) => {
					setSupplying(null);
					intents.setSupply(job.id, volts).then(
						(r) => setRefused(r.ok ? undefined : r.error, "Could not set the supply"),
						(e: unknown) =>
							setRefused({ kind: "internal", message: String(e) }, "Could not set the supply"),
					);
				}}
				onCancel={() => setSupplying(null)}
			/>
		);
		hints = [["Esc", "back to the plan"]];
	} else if (confirming && job?.id === confirming && stage === "planned") {
		const confirmations = job.plan.confirmations ?? [];
		body = (
			<TypedConfirm
				width={width}
				title="This flash needs confirmation"
				lines={[...confirmations.map((c) => c.message), "It cannot be undone."]}
				onConfirm={() => {
					setConfirming(null);
					confirmAll(confirmations.map((c) => c.id));
				}}
				onCancel={() => setConfirming(null)}
			/>
		);
		hints = [["Esc", "back to the plan"]];
	} else if (destructive) {
		const name = target
			? `${deviceName(target)}${target.identity.serial ? ` (serial ${target.identity.serial})` : ""}`
			: "";
		body = (
			<TypedConfirm
				width={width}
				title={
					destructive === "mass-erase"
						? `Mass erase ${name}?`
						: `Remove read protection from ${name}?`
				}
				lines={
					destructive === "mass-erase"
						? [
								"This erases ALL of the flash memory, not only the sectors an image would use.",
								"It cannot be undone.",
							]
						: [
								"Read-unprotect sets read protection (RDP) back to level 0.",
								"To do that the chip mass-erases its whole flash.",
								"It resets afterwards: keep BOOT0 high so it comes back in DFU mode.",
							]
				}
				onConfirm={() => runDestructive(destructive)}
				onCancel={() => setDestructive(null)}
			/>
		);
		hints = [["Esc", "cancel"]];
	} else if (job && stage === "planned") {
		body = (
			<FlashPlan
				job={job}
				device={state.devices[job.device]}
				findings={findings}
				forced={forced}
				width={width}
				readOnly={readOnly}
				{...(batch ? { batch } : {})}
			/>
		);
		const supplyHint: Hint[] = offersSupply ? [["v", "supply"]] : [];
		hints = readOnly
			? []
			: blocked
				? [["F", "plan with force"], ["n/Esc", "cancel"], ...supplyHint]
				: draft.confirmed.has(job.id)
					? [["", "starting..."]]
					: [["y/Enter", "start"], ["n/Esc", "cancel"], ...supplyHint];
	} else if (job && batch) {
		body = (
			<BatchProgress
				batch={batch}
				file={job.plan.file?.split("/").at(-1) ?? "the image"}
				selected={Math.min(row, batch.rows.length - 1)}
				now={state.now}
				width={width}
				height={height - 1}
			/>
		);
		hints = [
			["up/down", "board"],
			...(readOnly
				? []
				: stage === "running"
					? ([
							["x", "stop all"],
							["", "runs on while you look at other screens"],
						] as Hint[])
					: ([["Enter", "new flash"]] as Hint[])),
		];
	} else if (job) {
		body = (
			<FlashProgress
				job={job}
				device={state.devices[job.device]}
				now={state.now}
				width={width}
				height={height - 1}
			/>
		);
		hints = readOnly
			? []
			: stage === "running"
				? [
						["x", "stop"],
						["", "it runs on while you look at other screens"],
					]
				: [["Enter", "new flash"]];
	} else if (intents.replay) {
		// A recording has no form to fill: say whether a flash is still to come or none was made.
		body = (
			<Box flexDirection="column">
				<Text>No flash at this point of the recording.</Text>
				<Text dimColor>
					{intents.replay.length() > state.seq
						? "Step on with . (one event) or > (next marker) to see what happened next."
						: "The session ended without a flash."}
				</Text>
			</Box>
		);
		hints = [];
	} else {
		body = (
			<FlashForm
				width={width}
				targetName={target ? deviceName(target) : undefined}
				matching={target ? matchingBoards(state, target.identity.key).length : 0}
				defaultAddress={defaultAddressFor(state)}
				refused={refused}
				planning={planning}
				readOnly={readOnly}
				onPlan={() => plan(false)}
				onDestructive={(kind) =>
					target
						? setDestructive(kind)
						: setRefused({
								kind: "input",
								message: "no device selected",
								hint: "pick the target on the Devices screen (1)",
							})
				}
			/>
		);
		hints = readOnly
			? [["", "replay: nothing to flash"]]
			: [
					["up/down", "field"],
					["Enter", "edit"],
					["p", "plan"],
					["M", "mass erase"],
					["U", "unprotect"],
				];
	}
	return (
		<ScreenBody height={height} footer={<KeyHints hints={hints} width={width} />}>
			{body}
			{refused && (job || destructive) ? (
				<Box marginTop={1}>
					<ErrorBox title={refused.title} error={refused.error} width={width} />
				</Box>
			) : null}
			{!job && !destructive && planning ? (
				<Text dimColor>asking the controller for a plan...</Text>
			) : null}
		</ScreenBody>
	);
}
