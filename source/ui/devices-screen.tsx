import { Box, Text } from "ink";
import { useState } from "react";
import type { State } from "../store/reduce.js";
import { useIntents } from "./contexts.js";
import { DeviceDetails } from "./device-details.js";
import { DeviceList } from "./device-list.js";
import { selectedDevice, simulatorActive, stepSelection } from "./device-select.js";
import { useKeyCapture } from "./key-capture.js";
import { type Hint, KeyHints } from "./key-hints.js";
import { useKeys } from "./keyboard.js";
import { Prose } from "./prose.js";
import { ScreenBody } from "./screen-body.js";
import { useStore } from "./use-store.js";

const selectDevices = (s: State) => s;

/** The most boards one press of the chooser plugs (as --boards allows). */
const MAX_PLUG = 64;

/**
 * Devices: the live list (hotplug), the selected device in detail, and the way out when there is
 * no USB or no board: the simulated one.
 */
export function DevicesScreen({
	width,
	height,
	simProfiles = [],
}: {
	width: number;
	height: number;
	simProfiles?: string[];
}) {
	const intents = useIntents();
	const state = useStore(selectDevices);
	const [choosingProfile, setChoosingProfile] = useState(false);
	// How many boards the chooser plugs at once (+ and - change it): a tray, a lab bench.
	const [count, setCount] = useState(1);
	const devices = state.deviceOrder.map((k) => state.devices[k]!).filter(Boolean);
	const selected = selectedDevice(state);
	const usb = state.backends.usb;
	const sim = simulatorActive(state);
	const canAct = !intents.readOnly;
	// The chooser reads digits, which are otherwise screen keys.
	useKeyCapture(choosingProfile);

	useKeys(
		(input, key) => {
			if (choosingProfile) {
				if (input === "+" || input === "-")
					return setCount((c) => Math.max(1, Math.min(MAX_PLUG, c + (input === "+" ? 1 : -1))));
				// A digit picks a board; any other key closes the question (it is not kept waiting
				// for a digit the user no longer means as an answer).
				setChoosingProfile(false);
				setCount(1);
				const n = Number.parseInt(input, 10);
				if (n >= 1 && n <= simProfiles.length)
					if (count > 1) intents.plugSim(simProfiles[n - 1], count);
					else intents.plugSim(simProfiles[n - 1]);
				return;
			}
			if (key.upArrow || key.downArrow) {
				const next = stepSelection(state, key.upArrow ? -1 : 1);
				if (next && next !== state.selected) intents.selectDevice(next);
				return;
			}
			if (!canAct) return;
			// biome-ignore lint/correctness/useHookAtTopLevel: an intent named by the controller contract, not a hook
			if (input === "s" && !sim) intents.useSimulator();
			else if (input === "p" && sim) {
				if (simProfiles.length > 1) setChoosingProfile(true);
				else intents.plugSim(simProfiles[0]);
			} else if (input === "u" && sim && selected?.identity.backend === "sim")
				intents.unplugSim(selected.identity.key);
		},
		{ isActive: true },
	);

	const hints: Hint[] = [];
	if (devices.length > 1) hints.push(["up/down", "select"]);
	if (canAct && !sim) hints.push(["s", "use the simulated board"]);
	if (canAct && sim) hints.push(["p", "plug a simulated board"]);
	if (canAct && sim && selected?.identity.backend === "sim") hints.push(["u", "unplug it"]);

	const listRows = Math.min(devices.length, 5);
	const detailsRows = height - 1 - 1 - listRows - (devices.length > listRows ? 1 : 0) - 2;

	return (
		<ScreenBody height={height} footer={<KeyHints hints={hints} width={width} />}>
			{choosingProfile ? (
				// On top, where it cannot be clipped: the digits it reads are screen keys otherwise.
				<Box marginBottom={1} flexDirection="column">
					<Text bold>Plug which simulated board? (any other key cancels)</Text>
					<Prose>{simProfiles.map((p, i) => `${i + 1} ${p}`).join("  ")}</Prose>
					<Text>
						how many: <Text bold>{count}</Text> (+ and - change it)
					</Text>
				</Box>
			) : null}
			{usb && !usb.available ? (
				<Box flexDirection="column" marginBottom={1}>
					<Text bold>USB is not available{usb.message ? `: ${usb.message}` : "."}</Text>
					{usb.hint ? <Prose>{usb.hint}</Prose> : null}
					{!sim && canAct ? <Text>Press s to use the simulated board instead.</Text> : null}
				</Box>
			) : null}
			{devices.length === 0 ? (
				<NoDevice
					sim={sim}
					usbDown={usb?.available === false}
					canAct={canAct}
					replay={intents.replay !== undefined}
				/>
			) : (
				<Box flexDirection="column">
					<Text bold>
						{devices.length} device{devices.length === 1 ? "" : "s"}
						{sim ? " (simulator on)" : ""}
					</Text>
					<DeviceList
						devices={devices}
						selected={state.selected}
						width={width}
						maxRows={listRows}
					/>
					{selected ? (
						<Box marginTop={1}>
							<DeviceDetails device={selected} width={width} maxRows={Math.max(3, detailsRows)} />
						</Box>
					) : null}
				</Box>
			)}
		</ScreenBody>
	);
}

function NoDevice({
	sim,
	usbDown,
	canAct,
	replay,
}: {
	sim: boolean;
	usbDown: boolean;
	canAct: boolean;
	replay: boolean;
}) {
	// Advice on plugging a board means nothing to someone stepping through a recording.
	if (replay)
		return (
			<Box flexDirection="column">
				<Text bold>No device attached at this point of the recording.</Text>
				<Text dimColor>Step with . (one event) or &gt; (next marker).</Text>
			</Box>
		);
	if (sim)
		return (
			<Box flexDirection="column">
				<Text bold>No simulated board is plugged in.</Text>
				{canAct ? <Text>Press p to plug one; u unplugs the selected one again.</Text> : null}
			</Box>
		);
	if (usbDown) return null;
	return (
		<Box flexDirection="column">
			<Text bold>No device attached.</Text>
			<Prose>
				Put the board in DFU mode: hold BOOT0 high, then reset it or plug it in. It shows up here as
				soon as it enumerates.
			</Prose>
			{canAct ? <Text>Press s to use the simulated board instead.</Text> : null}
		</Box>
	);
}
