/**
 * A small entry point for the USB rig until `bringup sim --usbip` wraps the same call:
 *   node dist/source/usbip/serve.js [--listen HOST:PORT] [--sim=PROFILE/SCENARIO]
 *        [--board-file PATH] [--fault SPEC] [--realtime]
 * The simulator runs on the real clock (the importing kernel and its tools live in real time).
 * --realtime also spends the modelled full-speed wire time of each control transfer, so that a
 * benchmark through the kernel is not flattered by a loopback faster than a real USB cable.
 */
import { parseArgs } from "node:util";
import { realClock } from "../clock.js";
import { BringupError } from "../errors.js";
import { createSimulation, parseSimSpec } from "../sim/index.js";
import { DEFAULT_USBIP_HOST, DEFAULT_USBIP_PORT, startUsbipServer } from "./sim-export.js";

function parseListen(text: string | undefined): { host: string; port: number } {
	if (!text) return { host: DEFAULT_USBIP_HOST, port: DEFAULT_USBIP_PORT };
	const at = text.lastIndexOf(":");
	const host = at >= 0 ? text.slice(0, at) || DEFAULT_USBIP_HOST : text;
	const port = at >= 0 ? Number(text.slice(at + 1)) : DEFAULT_USBIP_PORT;
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error(`--listen: "${text}" is not HOST:PORT`);
	return { host, port };
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			listen: { type: "string" },
			sim: { type: "string" },
			"board-file": { type: "string" },
			fault: { type: "string" },
			realtime: { type: "boolean" },
		},
	});
	const spec = parseSimSpec(values.sim);
	const simulation = createSimulation({
		profile: spec.profile,
		scenario: spec.scenario,
		faults: values.fault,
		boardFile: values["board-file"],
		clock: realClock,
		busTime: values.realtime ? "sleep" : "none",
	});
	const { host, port } = parseListen(values.listen);
	const log = (line: string) => console.error(line);
	const server = await startUsbipServer({ simulation, host, port, log });
	log(
		`usbip: simulating ${spec.profile}/${spec.scenario}${values.fault ? ` with ${values.fault}` : ""}`,
	);
	const stop = async () => {
		await server.close();
		simulation.close();
		process.exit(0);
	};
	process.once("SIGTERM", stop);
	process.once("SIGINT", stop);
}

main().catch((error: unknown) => {
	console.error(
		error instanceof BringupError || error instanceof Error ? `usbip: ${error.message}` : error,
	);
	process.exit(2);
});
