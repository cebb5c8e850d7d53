import { Box, Text } from "ink";
import { type ReactNode, useState } from "react";
import type { FlashRequest, IntentResult } from "../app/intents.js";
import type { ErrorInfo } from "../store/events.js";
import type { State } from "../store/reduce.js";
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
import { ScreenBody } from "./screen-body.js";
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
	const jobId = latestJobId(state, draft.dismissed);
	const job = jobId ? state.jobs[jobId] : undefined;
	const stage = job ? jobStage(job) : undefined;
	const target = selectedDevice(state);
	const findings = job?.plan.file ? (state.inspections[job.plan.file]?.findings ?? []) : [];
	const forced = job ? draft.forced.has(job.id) : false;
	const blocked = !forced && findings.some((f) => f.severity === "error");
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
		const built = requestFromDraft({ ...draft, address }, force, target?.identity.key);
		if (!built.ok) return setRefused(built.error);
		setPlanning(true);
		setRefused(undefined);
		intents.prepareFlash(built.request).then(
			(r) => settle(r, force),
			(e: unknown) => settle({ ok: false, error: { kind: "internal", message: String(e) } }, force),
		);
	};

	const dismiss = (id: string) => update((d) => ({ ...d, dismissed: withAdded(d.dismissed, id) }));

	useKeys(
		(input, key) => {
			if (!job || readOnly) return;
			if (stage === "planned") {
				if (key.escape || input === "n") {
					intents.cancelFlash(job.id);
					dismiss(job.id);
				} else if ((key.return || input === "y") && !blocked && !draft.confirmed.has(job.id)) {
					if (job.plan.confirmations?.length) return setConfirming(job.id);
					update((d) => ({ ...d, confirmed: withAdded(d.confirmed, job.id) }));
					intents.confirmFlash(job.id);
				} else if (input === "F" && blocked) {
					intents.cancelFlash(job.id);
					dismiss(job.id);
					plan(true);
				}
			} else if ((stage === "done" || stage === "failed") && key.return) dismiss(job.id);
		},
		{ isActive: destructive === null && confirming === null && job !== undefined },
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
	if (confirming && job?.id === confirming && stage === "planned") {
		const confirmations = job.plan.confirmations ?? [];
		body = (
			<TypedConfirm
				width={width}
				title="This flash needs confirmation"
				lines={[...confirmations.map((c) => c.message), "It cannot be undone."]}
				onConfirm={() => {
					setConfirming(null);
					update((d) => ({ ...d, confirmed: withAdded(d.confirmed, job.id) }));
					intents.confirmFlash(
						job.id,
						confirmations.map((c) => c.id),
					);
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
			/>
		);
		hints = readOnly
			? []
			: blocked
				? [
						["F", "plan with force"],
						["n/Esc", "cancel"],
					]
				: draft.confirmed.has(job.id)
					? [["", "starting..."]]
					: [
							["y/Enter", "start"],
							["n/Esc", "cancel"],
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
				? [["", "it runs on while you look at other screens"]]
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
