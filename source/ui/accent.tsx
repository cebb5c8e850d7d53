import { Text } from "ink";
import type { ReactNode } from "react";
import { useTheme } from "./contexts.js";

/** The one accent: colour when allowed, bold otherwise. */
export function Accent({ children, inverse }: { children: ReactNode; inverse?: boolean }) {
	const theme = useTheme();
	return theme.color ? (
		<Text color={theme.accent} inverse={inverse}>
			{children}
		</Text>
	) : (
		<Text bold inverse={inverse}>
			{children}
		</Text>
	);
}
