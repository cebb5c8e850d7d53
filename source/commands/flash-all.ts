/**
 * `bringup flash FILE -s ADDR --all`, or with -p/-S given more than once: every DFU device the
 * -d/-p/-S filters match, flashed in parallel, each board opened (source/commands/target.ts),
 * planned and run (source/commands/flash-board.ts) exactly as a flash of one board is, so every
 * flag means the same for one board and for many. A board failing never stops the others; each
 * gets its own result line (NDJSON: its own events, keyed by device, and a `board` line), and the
 * exit code is the number of boards that failed.
 */
import { boardLabels } from "../app/boards.js";
import { blockingFindings, type Confirmation } from "../app/flash-service.js";
import { loadForFlash } from "../app/load-for-flash.js";
import type { Inspection } from "../doctor/inspect-types.js";
import { errorInfo } from "../errors.js";
import type { ErrorInfo } from "../store/events.js";
import { stoppedBy } from "../store/stopped.js";
import type { Args } from "./args.js";
import { confirmAll } from "./confirm.js";
import { openContext } from "./context.js";
import {
	type BoardOutcome,
	type BoardPlan,
	expectedTime,
	interruptOnCtrlC,
	planBoard,
	runBoard,
} from "./flash-board.js";
import { createOutput } from "./output.js";
import { openTargetKey, selectTargets, type Target } from "./target.js";

interface BoardResult {
	device: string;
	label: string;
	ok: boolean;
	verified?: boolean;
	skippedSectors?: number;
	elapsedMs?: number;
	error?: ErrorInfo;
}

/** The confirmations of every plan that can start, each once (one answer covers every board). */
function confirmationsOf(plans: readonly BoardPlan[]): Confirmation[] {
	const all = new Map<string, Confirmation>();
	for (const plan of plans)
		if (blockingFindings(plan.proposal).length === 0)
			for (const c of plan.proposal.confirmations) if (!all.has(c.id)) all.set(c.id, c);
	return [...all.values()];
}

export async function runFlashAll(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const file = args.download ?? args.inputs[0];
	const image = await loadForFlash(file, args.dfuse.address);
	for (const warning of image.warnings ?? []) out.line(`note: ${warning}`);
	const ctx = await openContext(args, {});
	const opened: Target[] = [];
	try {
		const keys = await selectTargets(ctx, args, out.line);
		const state = ctx.store.getState();
		const labels = boardLabels(keys.map((k) => state.devices[k]!.identity));
		const label = (key: string) => labels.get(key) ?? key;
		const results = new Map<string, BoardResult>();
		const finish = (result: BoardResult) => {
			results.set(result.device, result);
			out.line(
				result.ok
					? `${result.label}: flashed${result.skippedSectors ? ` (${result.skippedSectors} sectors unchanged)` : ""}${result.verified ? ", verified" : ", not read back"}`
					: `${result.label}: ${stoppedBy(result.error) ? "stopped" : "FAILED"}: ${result.error?.message}${result.error?.hint ? ` (${result.error.hint})` : ""}`,
			);
			if (args.json) process.stdout.write(`${JSON.stringify({ type: "board", ...result })}\n`);
		};
		const failed = (key: string, error: unknown) =>
			finish({ device: key, label: label(key), ok: false, error: errorInfo(error) });
		out.line(`flashing ${image.source} into ${keys.length} board${keys.length === 1 ? "" : "s"}`);

		// Open every board (alt, transfer size, -c/-i held to each); one that cannot be opened fails alone.
		await Promise.all(
			keys.map(async (key) => {
				try {
					opened.push(await openTargetKey(ctx, args, key));
				} catch (error) {
					failed(key, error);
				}
			}),
		);
		// Plan each in bus order; boards of one chip share the inspector's verdict.
		const verdicts = new Map<string, Inspection>();
		const plans: BoardPlan[] = [];
		for (const key of keys) {
			const target = opened.find((t) => t.key === key);
			if (!target) continue;
			const say = (text: string) => out.line(`${label(key)}: ${text}`);
			const chip = state.devices[key]?.description?.chip?.name;
			const kind = chip ? `${chip}|${target.session.alt.name}` : undefined;
			try {
				const plan = await planBoard(ctx, args, image, target, say, {
					label: label(key),
					batch: "all-1",
					...(kind && verdicts.has(kind) ? { inspection: verdicts.get(kind)! } : {}),
				});
				const verdict = plan.proposal.inspection;
				if (verdict && !(kind && verdicts.has(kind))) {
					// The inspector's findings, once per kind of board (one board prints them as events).
					const who = chip ?? label(key);
					for (const f of verdict.findings)
						if (f.severity !== "info") out.line(`${who}: ${f.severity}: ${f.message}`);
					if (kind) verdicts.set(kind, verdict);
				}
				for (const check of plan.proposal.checks)
					if (check.status !== "pass") say(`${check.status}: ${check.message}`);
				plans.push(plan);
			} catch (error) {
				failed(key, error);
			}
		}
		const expected = expectedTime(plans);
		if (expected) out.line(`${expected}; the boards flash in parallel`);
		const confirmed = await confirmAll(confirmationsOf(plans), {
			yes: args.yes,
			...(args.dfuse.force ? { also: ["mass-erase"] } : {}),
		});

		const interrupt = interruptOnCtrlC(
			"every board stops after its current block (Ctrl-C again ends now)",
		);
		try {
			await Promise.all(
				plans.map(async (plan) => {
					const key = plan.target.key;
					const say = (text: string) => out.line(`${label(key)}: ${text}`);
					let outcome: BoardOutcome;
					try {
						outcome = await runBoard(ctx, args, plan, confirmed, interrupt.signal, say);
					} catch (error) {
						return failed(key, error);
					}
					finish({
						device: key,
						label: label(key),
						ok: true,
						verified: outcome.verified,
						skippedSectors: outcome.skippedSectors,
						elapsedMs: outcome.elapsedMs,
					});
				}),
			);
		} finally {
			interrupt.dispose();
		}
		const all = keys.flatMap((k) => results.get(k) ?? []);
		const failures = all.filter((r) => !r.ok).length;
		out.line(
			`${all.length - failures} of ${all.length} boards flashed${failures ? `, ${failures} failed` : ""}`,
		);
		out.result({
			ok: failures === 0,
			file: image.source,
			boards: all.length,
			failed: failures,
			results: all,
		});
		if (interrupt.signal.aborted) return 130;
		return Math.min(failures, 125);
	} finally {
		await Promise.all(opened.map((t) => t.session.close()));
		await ctx.close();
	}
}
