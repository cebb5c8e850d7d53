import { realClock } from "../clock.js";
import { UsageError } from "../errors.js";
import { createSimulation, parseSimSpec } from "../sim/index.js";
import { DEFAULT_USBIP_HOST, DEFAULT_USBIP_PORT, startUsbipServer } from "../usbip/sim-export.js";
import type { Args } from "./args.js";
import { reportAtEnd } from "./late-errors.js";

export function parseListen(text: string | undefined): { host: string; port: number } {
	if (!text) return { host: DEFAULT_USBIP_HOST, port: DEFAULT_USBIP_PORT };
	const at = text.lastIndexOf(":");
	const host = at >= 0 ? text.slice(0, at) || DEFAULT_USBIP_HOST : text;
	const port = at >= 0 ? Number(text.slice(at + 1)) : DEFAULT_USBIP_PORT;
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new UsageError(`--listen: "${text}" is not HOST:PORT`, { listen: text });
	return { host, port };
}

/** Why the export could not listen, in words and with the flag that fixes it. */
function listenError(text: string, host: string, port: number, error: unknown): UsageError {
	const code = (error as NodeJS.ErrnoException).code ?? "";
	const details = { listen: text, ...(code ? { code } : {}) };
	if (code === "EADDRINUSE")
		return new UsageError(
			`cannot listen on ${host}:${port}: another program already uses that port (EADDRINUSE)`,
			details,
			`Stop the other USB/IP server (usbipd, another bringup sim), or pick a free port: --listen ${host}:${port + 1}`,
		);
	if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EADDRNOTAVAIL")
		return new UsageError(
			`--listen ${text}: "${host}" is not an address of this machine (${code})`,
			details,
			"Give HOST:PORT with an address this machine has, e.g. --listen 127.0.0.1:3240.",
		);
	if (code === "EACCES")
		return new UsageError(
			`cannot listen on ${host}:${port}: permission denied (EACCES)`,
			details,
			"Ports below 1024 need root: use 3240 or another port above 1023.",
		);
	return new UsageError(`cannot listen on ${host}:${port}: ${(error as Error).message}`, details);
}

/**
 * `bringup sim --usbip`: the simulated board as a USB/IP export, so that the kernel (usbip attach)
 * and any DFU tool see it as a real device. It runs in real time, since the importing kernel and
 * its tools do.
 */
export async function runSim(args: Args): Promise<number> {
	if (!args.usbip)
		throw new UsageError(
			"bringup sim needs --usbip (export the simulated board over USB/IP)",
			{},
			"bringup sim --usbip [--listen HOST:PORT] [--sim=f407/healthy]",
		);
	// --sim=f407,g0b1/blank exports one board per spec, busid 1-1, 1-2, ... in that order; the
	// board file and the faults belong to the first.
	const [spec, ...more] = (args.sim ?? "").split(",").map((text) => parseSimSpec(text));
	if (!spec) throw new UsageError("--sim: no board", { sim: args.sim ?? "" });
	// Listen for the end before the board file is locked and before saying where to attach: whoever
	// reads that line may stop the export at once, and a signal with no handler yet would end the
	// process with the board file still locked.
	const stopped = new Promise<void>((resolve) => {
		process.once("SIGINT", resolve);
		process.once("SIGTERM", resolve);
	});
	const simulation = createSimulation({
		profile: spec.profile,
		scenario: spec.scenario,
		clock: realClock,
		busTime: args.realtime ? "sleep" : "none",
		...(args.boardFile ? { boardFile: args.boardFile } : {}),
		...(args.fault ? { faults: args.fault } : {}),
	});
	for (const next of more) simulation.plug(next);
	const { host, port } = parseListen(args.listen);
	const log = (line: string) => process.stderr.write(`${line}\n`);
	let server: Awaited<ReturnType<typeof startUsbipServer>>;
	try {
		server = await startUsbipServer({ simulation, host, port, log });
	} catch (error) {
		simulation.close();
		throw listenError(args.listen ?? `${host}:${port}`, host, port, error);
	}
	log(
		`simulating ${[spec, ...more].map((s) => `${s.profile}/${s.scenario}`).join(", ")}${args.fault ? ` with faults ${args.fault}` : ""}; attach with: usbip attach -r ${server.address.host} -b 1-1${more.length ? ` (to 1-${more.length + 1})` : ""}`,
	);
	if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1")
		log(`note: listening on ${host}, reachable from other machines on that network`);
	await stopped;
	await server.close();
	simulation.close();
	if (simulation.saveError) reportAtEnd(simulation.saveError);
	return 0;
}
