import { Box } from "ink";
import type { ReactNode } from "react";

/**
 * A screen's fixed-height area: content at the top, the screen's own keys on its last line, and
 * anything too tall clipped rather than pushing the footer off an 80x24 terminal.
 */
export function ScreenBody({
	height,
	footer,
	children,
}: {
	height: number;
	footer: ReactNode;
	children: ReactNode;
}) {
	return (
		<Box flexDirection="column" height={height}>
			<Box flexDirection="column" height={height - 1} overflow="hidden">
				{/* Natural height inside, clipped outside: shrinking would make lines overlap. */}
				<Box flexDirection="column" flexShrink={0}>
					{children}
				</Box>
			</Box>
			<Box height={1} flexShrink={0}>
				{footer}
			</Box>
		</Box>
	);
}
