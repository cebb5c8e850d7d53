import { Box, Text } from "ink";
import type { State } from "../store/reduce.js";
import { Accent } from "./accent.js";
import { deviceName, selectedDevice } from "./device-select.js";
import { truncate } from "./format.js";
import { SCREENS, type ScreenId } from "./screens.js";
import { useStore } from "./use-store.js";

function targetLine(state: State): string {
	const device = selectedDevice(state);
	if (!device) return "no target";
	const serial = device.identity.serial ? ` ${device.identity.serial}` : "";
	const sim = device.identity.backend === "sim" ? " (sim)" : "";
	return `target ${deviceName(device)}${serial}${sim}`;
}

/** "bringup  Flash" on the left, the target device on the right: the one thing to always know. */
export function Header({
	screen,
	width,
	readOnly,
}: {
	screen: ScreenId;
	width: number;
	readOnly?: boolean;
}) {
	const target = useStore(targetLine);
	const title = SCREENS.find((s) => s.id === screen)?.title ?? "";
	const left = `bringup  ${title}${readOnly ? "  (replay)" : ""}`;
	const right = truncate(target, Math.max(0, width - left.length - 2));
	return (
		<Box width={width} justifyContent="space-between">
			<Text>
				<Accent>bringup</Accent>
				<Text bold>
					{"  "}
					{title}
				</Text>
				{readOnly ? <Text dimColor>{"  (replay)"}</Text> : null}
			</Text>
			<Text>{right}</Text>
		</Box>
	);
}
