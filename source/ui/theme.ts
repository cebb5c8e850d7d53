/**
 * One accent colour, and nothing else that depends on colour: every state is also spelled out or
 * shown by a glyph, so NO_COLOR and monochrome terminals lose nothing.
 */
export interface Theme {
	color: boolean;
	accent: string;
}

export const defaultTheme: Theme = { color: true, accent: "cyan" };

/** https://no-color.org: any non-empty NO_COLOR disables colour; so does TERM=dumb. */
export function themeFromEnv(env: Record<string, string | undefined> = process.env): Theme {
	const off = (env.NO_COLOR !== undefined && env.NO_COLOR !== "") || env.TERM === "dumb";
	return { ...defaultTheme, color: !off };
}

/**
 * Glyphs used across screens, all ASCII: they read the same in a C locale over SSH, and Ink
 * measures ASCII text on a fast path (block characters cost it a quarter more per frame).
 */
export const glyphs = {
	pointer: ">",
	barDone: "#",
	barTodo: ".",
	rule: "─",
	sector: {
		planned: ".",
		unchanged: "~",
		erased: "-",
		written: "=",
		verified: "#",
		failed: "X",
	},
} as const;
