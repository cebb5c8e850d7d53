import { leave } from "../dfu/index.js";
import { bootWatchResult } from "./boot-watch.js";
import { watchBoot } from "./boot-watch-usb.js";
import type { StepResult } from "./checklist-types.js";
import type { DoctorContext } from "./doctor-context.js";
import { rankOf, statusOf } from "./doctor-ranking.js";
import { readOptionBytes } from "./doctor-reads.js";
import { optionFamily, readProtectionFinding } from "./option-bytes.js";

/** The doctor's device steps: the option bytes, and what the board does after leaving DFU. */

export async function optionBytesStep(ctx: DoctorContext): Promise<StepResult> {
	const ob = await readOptionBytes(ctx);
	if (ob === "protected")
		return {
			status: "fail",
			summary: "The option bytes cannot be read.",
			findings: [readProtectionFinding("option bytes")],
		};
	if (!ob)
		return {
			status: "skip",
			summary: optionFamily(ctx.chip.family)
				? "The device shows no option-byte alt setting."
				: `Option bytes are not decoded for ${ctx.chip.name}.`,
			findings: [],
		};
	const named = (n: string) => ob.fields.find((f) => f.name === n);
	const brief = ob.fields
		.filter((f) =>
			/^(RDP|WDG_SW|IWDG_SW|IWDG1_SW|BOR_LEV|nSWBOOT0|nBOOT_SEL|nBOOT0|BOOT_ADD0)$/.test(f.name),
		)
		.map((f) => `${f.name} ${f.meaning}`)
		.join(", ");
	const findings = [...ob.findings].sort((a, b) => rankOf(a) - rankOf(b));
	return {
		status: statusOf(findings),
		summary: `${ob.family} option bytes: ${brief || named("RDP")?.meaning || "decoded"}.`,
		findings,
	};
}

export async function bootWatchStep(ctx: DoctorContext): Promise<StepResult> {
	if (ctx.options.bootWatch === false)
		return { status: "skip", summary: "Not run: the device stays in DFU.", findings: [] };
	const ob = await readOptionBytes(ctx).catch(() => undefined);
	const decoded = ob && ob !== "protected" ? ob : undefined;
	await ctx.session.selectAlt(ctx.flashAlt.alt);
	const address = ctx.found.inspection?.writeAddress ?? ctx.flashBase;
	const boot = await watchBoot({
		usb: ctx.options.usb,
		store: ctx.store,
		clock: ctx.clock,
		device: ctx.options.device,
		backend: ctx.options.backend ?? "usb",
		...(ctx.options.watch ? { watch: ctx.options.watch } : {}),
		leave: () => leave(ctx.session, { address }),
		...(ctx.options.bootWatch?.windowMs ? { windowMs: ctx.options.bootWatch.windowMs } : {}),
		...(ctx.options.bootWatch?.pollMs ? { pollMs: ctx.options.bootWatch.pollMs } : {}),
	});
	ctx.found.boot = boot;
	return bootWatchResult(boot, {
		...(decoded ? { hardwareWatchdog: decoded.hardwareWatchdog } : {}),
		...(decoded?.brownOutVolts !== undefined ? { borVolts: decoded.brownOutVolts } : {}),
	});
}
