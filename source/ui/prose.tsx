import { Text, type TextProps, Transform } from "ink";
import type { ReactNode } from "react";

/**
 * Ink wraps text without trimming, so a sentence that breaks just after a full line starts its
 * next line with the space it broke at. One leading space on a wrapped line is that space, never
 * an indent (indents in the text are two spaces or more).
 */
export function dropWrapSpace(line: string, index: number): string {
	return index === 0 ? line : line.replace(/^((?:\x1b\[[0-9;]*m)*) (?=[^ ])/, "$1");
}

/** Running text wrapped to the width it is given, with no stray space at the start of a line. */
export function Prose({ children, ...props }: Omit<TextProps, "wrap"> & { children: ReactNode }) {
	return (
		<Transform transform={dropWrapSpace}>
			<Text {...props} wrap="wrap">
				{children}
			</Text>
		</Transform>
	);
}
