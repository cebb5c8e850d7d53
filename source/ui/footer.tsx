import { Box, Text } from "ink";
import { Fragment } from "react";
import { Accent } from "./accent.js";
import { SCREENS, type ScreenId } from "./screens.js";

/** Screen keys, with the current screen marked by brackets (readable without colour). */
export function Footer({ screen, width }: { screen: ScreenId; width: number }) {
	const narrow = width < 64;
	return (
		<Box width={width}>
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
