import { parseArgs as nodeParseArgs, type ParseArgsConfig } from "node:util";
import { UsageError } from "../errors.js";
import type { DeviceSelection } from "../usb/select.js";
import {
	type DfuseAddress,
	parseDeviceIds,
	parseDfuseAddress,
	parseNumber,
} from "./dfuse-address.js";

export const COMMANDS = [
	"list",
	"flash",
	"read",
	"inspect",
	"doctor",
	"convert",
	"erase",
	"unprotect",
	"replay",
	"sim",
	"help",
] as const;
export type CommandName = (typeof COMMANDS)[number] | "app" | "version";

export interface Args {
	command: CommandName;
	/** Positional arguments after the command word. */
	inputs: string[];
	select: DeviceSelection;
	dfuse: DfuseAddress;
	download?: string;
	upload?: string;
	detach: boolean;
	reset: boolean;
	verify: boolean;
	/** Erase and write every touched sector, without reading back first to skip unchanged ones. */
	full: boolean;
	json: boolean;
	/** undefined: real USB; otherwise the --sim spec ("" = default board). */
	sim?: string;
	/** Simulator fault injection, e.g. "unplug-at-block=40" (see source/sim/faults.ts). */
	fault?: string;
	realtime: boolean;
	boardFile?: string;
	record?: string;
	replay?: string;
	force: boolean;
	yes: boolean;
	chip?: string;
	address?: number;
	image?: string;
	sha256?: string;
	report?: string;
	output?: string;
	vid?: number;
	pid?: number;
	bcd?: number;
	usbip: boolean;
	listen?: string;
}

/**
 * Node's own parser (node:util parseArgs), not meow: meow's bundled dependencies cost about 40 ms
 * of every start (the cold-start budget is 150 ms), and parseArgs does all this table needs.
 * Long names are dfu-util's where dfu-util has them.
 */
const OPTIONS = {
	device: { type: "string", short: "d" },
	path: { type: "string", short: "p" },
	serial: { type: "string", short: "S" },
	cfg: { type: "string", short: "c" },
	intf: { type: "string", short: "i" },
	alt: { type: "string", short: "a" },
	"dfuse-address": { type: "string", short: "s" },
	"transfer-size": { type: "string", short: "t" },
	download: { type: "string", short: "D" },
	upload: { type: "string", short: "U" },
	list: { type: "boolean", short: "l" },
	detach: { type: "boolean", short: "e" },
	reset: { type: "boolean", short: "R" },
	wait: { type: "boolean", short: "w" },
	verify: { type: "boolean" },
	full: { type: "boolean" },
	json: { type: "boolean" },
	sim: { type: "string" },
	fault: { type: "string" },
	realtime: { type: "boolean" },
	"board-file": { type: "string" },
	record: { type: "string" },
	replay: { type: "string" },
	force: { type: "boolean" },
	yes: { type: "boolean" },
	chip: { type: "string" },
	address: { type: "string" },
	image: { type: "string" },
	sha256: { type: "string" },
	report: { type: "string" },
	output: { type: "string", short: "o" },
	vid: { type: "string" },
	pid: { type: "string" },
	bcd: { type: "string" },
	usbip: { type: "boolean" },
	listen: { type: "string" },
	version: { type: "boolean", short: "V" },
	help: { type: "boolean", short: "h" },
} as const satisfies ParseArgsConfig["options"];

function optionalNumber(text: string | undefined, what: string): number | undefined {
	return text === undefined ? undefined : parseNumber(text, what);
}

/** -t: a whole number of bytes per block; 0 would make every transfer empty. */
function transferSize(text: string | undefined): number | undefined {
	const size = optionalNumber(text, "-t");
	if (size === 0)
		throw new UsageError("-t 0: the transfer size must be at least 1 byte", {
			value: text ?? null,
		});
	return size;
}

function hexId(text: string | undefined, what: string): number | undefined {
	if (text === undefined) return undefined;
	return parseNumber(/^0x/i.test(text) ? text : `0x${text}`, what);
}

function parse(argv: string[]) {
	// `--sim` takes a value only as `--sim=SPEC`: a bare `--sim` must not swallow the file after it.
	const args = argv.filter((a) => a !== "--no-verify").map((a) => (a === "--sim" ? "--sim=" : a));
	try {
		return {
			...nodeParseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true }),
			noVerify: args.length !== argv.length,
		};
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		const unknown = /Unknown option '([^']+)'/.exec(message)?.[1];
		throw new UsageError(
			unknown ? `unknown option ${unknown}` : message.replace(/\. To specify.*$/s, ""),
			{},
			"See bringup --help.",
		);
	}
}

export function parseArgs(argv: string[]): Args {
	const { values: f, positionals, noVerify } = parse(argv);
	const [first, ...rest] = positionals;
	let command: CommandName;
	let inputs: string[];
	if (first && (COMMANDS as readonly string[]).includes(first)) {
		command = first as CommandName;
		inputs = rest;
	} else if (first) {
		throw new UsageError(`unknown command "${first}"`, { command: first }, "See bringup --help.");
	} else {
		inputs = [];
		command = f.version
			? "version"
			: f.help
				? "help"
				: f.list
					? "list"
					: f.download
						? "flash"
						: f.upload
							? "read"
							: f.detach
								? "flash"
								: "app";
	}
	if (f.help) command = "help";

	const alt = f.alt === undefined ? undefined : /^\d+$/.test(f.alt) ? Number(f.alt) : f.alt;
	return {
		command,
		inputs,
		select: {
			ids: f.device ? parseDeviceIds(f.device) : [],
			path: f.path,
			serial: f.serial,
			config: optionalNumber(f.cfg, "-c"),
			interface: optionalNumber(f.intf, "-i"),
			alt,
			transferSize: transferSize(f["transfer-size"]),
			wait: f.wait ?? false,
		},
		dfuse: f["dfuse-address"]
			? parseDfuseAddress(f["dfuse-address"])
			: { leave: false, massErase: false, unprotect: false, force: false, willReset: false },
		download: f.download,
		upload: f.upload,
		detach: f.detach ?? false,
		reset: f.reset ?? false,
		verify: !noVerify && (f.verify ?? true),
		full: f.full ?? false,
		json: f.json ?? false,
		sim: f.sim,
		fault: f.fault,
		realtime: f.realtime ?? false,
		boardFile: f["board-file"],
		record: f.record,
		replay: f.replay,
		force: f.force ?? false,
		yes: f.yes ?? false,
		chip: f.chip,
		address: optionalNumber(f.address, "--address"),
		image: f.image,
		sha256: f.sha256,
		report: f.report,
		output: f.output,
		vid: hexId(f.vid, "--vid"),
		pid: hexId(f.pid, "--pid"),
		bcd: hexId(f.bcd, "--bcd"),
		usbip: f.usbip ?? false,
		listen: f.listen,
	};
}
