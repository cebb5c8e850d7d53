/**
 * `bringup flash FILE -s ADDR --all`: every DFU device the -d/-p/-S filters match, flashed in
 * parallel through the same flash service as one board, one job per board. A board failing never
 * stops the others; each gets its own result line (NDJSON: its own events, keyed by device, and a
 * `board` line), and the exit code is the number of boards that failed.
 */
import { proposeFlash, startFlash } from "../app/flash-service.js";
import { loadForFlash } from "../app/load-for-flash.js";
import { resolveGuess } from "../chips/index.js";
import { hasDeviceFeature } from "../dfu/device-feature.js";
import { openDfu } from "../dfu/index.js";
import { DeviceSelectionError, errorInfo } from "../errors.js";
import type { Image } from "../image/image.js";
import type { DeviceIdentity } from "../store/events.js";
import { matchingDevices } from "../usb/select.js";
import type { Args } from "./args.js";
import { type CommandContext, openContext } from "./context.js";
import { flashSettings } from "./flash-settings.js";
import { createOutput } from "./output.js";
import { chooseSupply } from "./supply.js";
import { scanFor } from "./target.js";

interface BoardResult {
	device: string;
	label: string;
	ok: boolean;
	skippedSectors?: number;
	elapsedMs?: number;
	error?: ReturnType<typeof errorInfo>;
}

/** Serial where it names one board, USB path where serials collide (STM32FxSTM32 loaders). */
function labels(identities: DeviceIdentity[]): Map<string, string> {
	const count = new Map<string, number>();
	for (const d of identities) if (d.serial) count.set(d.serial, (count.get(d.serial) ?? 0) + 1);
	return new Map(
		identities.map((d) => [
			d.key,
			d.serial && count.get(d.serial) === 1
				? `serial ${d.serial}`
				: d.path
					? `path ${d.path}`
					: d.key,
		]),
	);
}

async function flashOne(
	ctx: CommandContext,
	args: Args,
	image: Image,
	identity: DeviceIdentity,
	label: string,
	sameSerial: boolean,
	signal: AbortSignal,
): Promise<BoardResult> {
	const key = identity.key;
	try {
		const device = ctx.watch.device(key);
		if (!device) throw new DeviceSelectionError(`${label} is gone`, { device: key });
		const session = await openDfu(device, {
			clock: ctx.clock,
			store: ctx.store,
			deviceKey: key,
			...(args.select.alt !== undefined ? { alt: args.select.alt } : {}),
			...(args.select.transferSize !== undefined ? { transferSize: args.select.transferSize } : {}),
		});
		try {
			const supply = chooseSupply({
				...(args.voltage !== undefined ? { given: args.voltage } : {}),
				identity,
				sameSerialAttached: sameSerial,
				hasDeviceFeature: hasDeviceFeature(session),
				say: (text) => session.log("info", `${label}: ${text}`),
			});
			const chip = await resolveGuess(ctx.store.getState().devices[key]?.description?.chip);
			const proposal = proposeFlash(
				session,
				image,
				flashSettings(args, supply),
				chip ? { chip } : {},
			);
			// Confirmations cannot be asked of N boards at once: --yes gives them, else the board fails.
			const confirmed = args.yes ? proposal.confirmations.map((c) => c.id) : [];
			const results = await startFlash(session, proposal, { confirmed, signal });
			return {
				device: key,
				label,
				ok: true,
				skippedSectors: results.flatMap((r) => r.plan?.sectors.filter((s) => s.unchanged) ?? [])
					.length,
				elapsedMs: results.reduce((sum, r) => sum + r.stats.elapsedMs, 0),
			};
		} finally {
			await session.close();
		}
	} catch (error) {
		return { device: key, label, ok: false, error: errorInfo(error) };
	}
}

export async function runFlashAll(args: Args): Promise<number> {
	const out = createOutput(args.json);
	const file = args.download ?? args.inputs[0];
	const image = await loadForFlash(file, args.dfuse.address);
	for (const warning of image.warnings ?? []) out.line(`note: ${warning}`);
	const ctx = await openContext(args, {});
	const interrupt = new AbortController();
	const onInterrupt = () => {
		if (interrupt.signal.aborted) process.exit(130);
		process.stderr.write("\nCtrl-C: every board stops after its current block\n");
		interrupt.abort();
	};
	process.on("SIGINT", onInterrupt);
	try {
		await scanFor(ctx, args, out.line);
		const state = ctx.store.getState();
		const keys = matchingDevices(state, args.select, false);
		if (keys.length === 0)
			throw new DeviceSelectionError(
				"--all: no DFU device matches",
				{},
				"Check bringup list; put the boards in DFU mode (BOOT0 + reset).",
			);
		const identities = keys.map((k) => state.devices[k]!.identity);
		const names = labels(identities);
		out.line(`flashing ${image.source} into ${keys.length} board${keys.length === 1 ? "" : "s"}`);
		const results = await Promise.all(
			identities.map(async (identity) => {
				const label = names.get(identity.key)!;
				const sameSerial = identities.some(
					(o) => o.key !== identity.key && !!identity.serial && o.serial === identity.serial,
				);
				const result = await flashOne(
					ctx,
					args,
					image,
					identity,
					label,
					sameSerial,
					interrupt.signal,
				);
				out.line(
					result.ok
						? `${label}: flashed${result.skippedSectors ? ` (${result.skippedSectors} sectors unchanged)` : ""}, verified: ${args.verify ? "yes" : "no"}`
						: `${label}: FAILED: ${result.error?.message}${result.error?.hint ? ` (${result.error.hint})` : ""}`,
				);
				if (args.json) process.stdout.write(`${JSON.stringify({ type: "board", ...result })}\n`);
				return result;
			}),
		);
		const failed = results.filter((r) => !r.ok).length;
		out.line(
			`${results.length - failed} of ${results.length} boards flashed${failed ? `, ${failed} failed` : ""}`,
		);
		out.result({
			ok: failed === 0,
			file: image.source,
			boards: results.length,
			failed,
			results,
		});
		if (interrupt.signal.aborted) return 130;
		return Math.min(failed, 125);
	} finally {
		process.off("SIGINT", onInterrupt);
		await ctx.close();
	}
}
