import { Box, Text } from "ink";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { Prose } from "../../source/ui/prose.js";

const SENTENCE = "aaaa bbbb cccc dddd eeee";

function lines(node: React.ReactElement): string[] {
	const { lastFrame, unmount } = render(node);
	const frame = lastFrame() ?? "";
	unmount();
	return frame.split("\n");
}

describe("Prose", () => {
	it("starts no wrapped line with the space it broke at", () => {
		// "aaaa bbbb" fills 9 columns exactly: the space after it is where the line breaks.
		const plain = lines(
			<Box width={9}>
				<Text wrap="wrap">{SENTENCE}</Text>
			</Box>,
		);
		expect(plain.some((l) => l.startsWith(" "))).toBe(true);
		const prose = lines(
			<Box width={9}>
				<Prose>{SENTENCE}</Prose>
			</Box>,
		);
		expect(prose).toEqual(["aaaa bbbb", "cccc", "dddd eeee"]);
	});

	it("keeps a two-space indent the text asks for, and styled text", () => {
		const prose = lines(
			<Box width={30}>
				<Prose bold>{"first line\n  indented line"}</Prose>
			</Box>,
		);
		expect(prose.map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""))).toEqual([
			"first line",
			"  indented line",
		]);
	});
});
