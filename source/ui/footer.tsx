import { Box, Text } from "ink";
import { Fragment } from "react";
import { Accent } from "./accent.js";
import { KeyHints } from "./key-hints.js";
import { REPLAY_KEYS } from "./replay-keys.js";
import { SCREENS, type ScreenId } from "./screens.js";

/**
 * Screen keys, with the current screen marked by brackets (readable without colour). A replay
 * adds its step keys on a line of their own above, so the screen keys stay the last line.
 */
export function Footer({
	screen,
	width,
	replay,
}: {
	screen: ScreenId;
	width: number;
	replay?: boolean;
}) {
	const narrow = width < 64;
	return (
		<Box width={width} flexDirection="column">
			{replay ? <KeyHints hints={REPLAY_KEYS} width={width} /> : null}
			<Text wrap="truncate">
				{SCREENS.map((s, i) => (
					<Fragment key={s.id}>
						{i > 0 ? (narrow ? "" : " ") : ""}
						{s.id === screen ? (
							<Text bold>
								[<Accent>{s.key}</Accent> {s.title}]
							</Text>
						) : (
							<Text>
								{" "}
								<Accent>{s.key}</Accent> {s.title}{" "}
							</Text>
						)}
					</Fragment>
				))}
				{narrow ? " " : "   "}
				<Accent>?</Accent> help{narrow ? " " : "   "}
				<Accent>q</Accent> quit
			</Text>
		</Box>
	);
}
