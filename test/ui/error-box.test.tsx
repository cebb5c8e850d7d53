import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { errorInfo } from "../../source/commands/render-error.js";
import { parseLayout } from "../../source/dfu/layout.js";
import { planDownload } from "../../source/dfu/plan.js";
import { MalformedImageError } from "../../source/image/errors.js";
import { ErrorBox } from "../../source/ui/error-box.js";

const shown = (error: unknown) =>
	render(<ErrorBox title="Flash failed" error={errorInfo(error)} width={120} />).lastFrame() ?? "";

describe("the details line of an error", () => {
	it("leaves out what is not known instead of printing null", () => {
		const frame = shown(new MalformedImageError("a.dfu", { offset: 16 }, "bad suffix"));
		expect(frame).toContain("file a.dfu, offset 16");
		expect(frame).not.toMatch(/null/);
	});

	it("names a segment once", () => {
		let caught: unknown;
		try {
			planDownload(
				{
					source: "big.bin",
					format: "bin",
					segments: [{ address: 0x08100000, data: new Uint8Array(4) }],
				},
				{
					layout: parseLayout("@Internal Flash /0x08000000/04*016Kg")!,
					transferSize: 2048,
					alt: 0,
				},
			);
		} catch (error) {
			caught = error;
		}
		const frame = shown(caught);
		expect(frame).toContain("segment 0,");
		expect(frame).not.toMatch(/segment segment/);
	});
});
