import { Box, Text } from "ink";
import type { ReplayControls } from "../app/intents.js";
import type { State } from "../store/reduce.js";
import { Accent } from "./accent.js";
import { deviceName, selectedDevice } from "./device-select.js";
import { truncate } from "./format.js";
import { replayPositionText } from "./replay-keys.js";
import { SCREENS, type ScreenId } from "./screens.js";
import { useStore } from "./use-store.js";

const selectSeq = (s: State) => s.seq;
const selectNow = (s: State) => s.now;
// Live sessions do not re-render the header on every event: it reads seq and now only in a replay.
const selectNothing = () => 0;

function targetLine(state: State): string {
	const device = selectedDevice(state);
	if (!device) return "no target";
	const serial = device.identity.serial ? ` ${device.identity.serial}` : "";
	const sim = device.identity.backend === "sim" ? " (sim)" : "";
	return `target ${deviceName(device)}${serial}${sim}`;
}

/**
 * "bringup  Flash" on the left, the target device on the right: the one thing to always know.
 * A recording being stepped through says where in it the screens are.
 */
export function Header({
	screen,
	width,
	readOnly,
	replay,
}: {
	screen: ScreenId;
	width: number;
	readOnly?: boolean;
	replay?: ReplayControls;
}) {
	const target = useStore(targetLine);
	const seq = useStore(replay ? selectSeq : selectNothing);
	const now = useStore(replay ? selectNow : selectNothing);
	const title = SCREENS.find((s) => s.id === screen)?.title ?? "";
	let mark = replay
		? `  ${replayPositionText(seq, replay.length(), now, replay.startedAt())}`
		: readOnly
			? "  (replay)"
			: "";
	// A narrow terminal keeps the position and drops the time rather than wrap the header.
	if (replay && `bringup  ${title}${mark}`.length > width) mark = `  ${seq}/${replay.length()}`;
	const left = `bringup  ${title}${mark}`;
	const right = truncate(target, Math.max(0, width - left.length - 2));
	return (
		<Box width={width} justifyContent="space-between">
			<Text>
				<Accent>bringup</Accent>
				<Text bold>
					{"  "}
					{title}
				</Text>
				{mark ? <Text dimColor={!replay}>{mark}</Text> : null}
			</Text>
			<Text>{right}</Text>
		</Box>
	);
}
