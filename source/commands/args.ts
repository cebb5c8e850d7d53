import meow from "meow";
import { UsageError } from "../errors.js";
import type { DeviceSelection } from "../usb/select.js";
import {
	type DfuseAddress,
	parseDeviceIds,
	parseDfuseAddress,
	parseNumber,
} from "./dfuse-address.js";
import { HELP } from "./help.js";

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

const FLAGS = {
	device: { type: "string", shortFlag: "d" },
	path: { type: "string", shortFlag: "p" },
	serial: { type: "string", shortFlag: "S" },
	cfg: { type: "string", shortFlag: "c" },
	intf: { type: "string", shortFlag: "i" },
	alt: { type: "string", shortFlag: "a" },
	dfuseAddress: { type: "string", shortFlag: "s" },
	transferSize: { type: "string", shortFlag: "t" },
	download: { type: "string", shortFlag: "D" },
	upload: { type: "string", shortFlag: "U" },
	list: { type: "boolean", shortFlag: "l" },
	detach: { type: "boolean", shortFlag: "e" },
	reset: { type: "boolean", shortFlag: "R" },
	wait: { type: "boolean", shortFlag: "w" },
	verify: { type: "boolean", default: true },
	json: { type: "boolean" },
	sim: { type: "string" },
	fault: { type: "string" },
	realtime: { type: "boolean" },
	boardFile: { type: "string" },
	record: { type: "string" },
	replay: { type: "string" },
	force: { type: "boolean" },
	yes: { type: "boolean" },
	chip: { type: "string" },
	address: { type: "string" },
	image: { type: "string" },
	sha256: { type: "string" },
	report: { type: "string" },
	output: { type: "string", shortFlag: "o" },
	vid: { type: "string" },
	pid: { type: "string" },
	bcd: { type: "string" },
	usbip: { type: "boolean" },
	listen: { type: "string" },
	version: { type: "boolean", shortFlag: "V" },
	help: { type: "boolean", shortFlag: "h" },
} as const;

function optionalNumber(text: string | undefined, what: string): number | undefined {
	return text === undefined ? undefined : parseNumber(text, what);
}

export function parseArgs(argv: string[]): Args {
	const cli = meow(HELP, {
		importMeta: import.meta,
		// `--sim` takes a value only as `--sim=SPEC`: a bare `--sim` must not swallow the file after it.
		argv: argv.map((a) => (a === "--sim" ? "--sim=" : a)),
		autoHelp: false,
		autoVersion: false,
		allowUnknownFlags: true,
		flags: FLAGS,
	});
	const f = cli.flags;
	const unknown = Object.keys(f).filter(
		(k) =>
			!(k in FLAGS) &&
			![
				"d",
				"p",
				"S",
				"c",
				"i",
				"a",
				"s",
				"t",
				"D",
				"U",
				"l",
				"e",
				"R",
				"w",
				"o",
				"V",
				"h",
			].includes(k),
	);
	if (unknown.length > 0)
		throw new UsageError(
			`unknown option ${unknown.map((k) => `--${k}`).join(", ")}`,
			{},
			"See bringup --help.",
		);

	const [first, ...rest] = cli.input;
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
			transferSize: optionalNumber(f.transferSize, "-t"),
			wait: f.wait ?? false,
		},
		dfuse: f.dfuseAddress
			? parseDfuseAddress(f.dfuseAddress)
			: { leave: false, massErase: false, unprotect: false, force: false, willReset: false },
		download: f.download,
		upload: f.upload,
		detach: f.detach ?? false,
		reset: f.reset ?? false,
		verify: f.verify,
		json: f.json ?? false,
		sim: f.sim,
		fault: f.fault,
		realtime: f.realtime ?? false,
		boardFile: f.boardFile,
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
		vid:
			f.vid === undefined
				? undefined
				: parseNumber(f.vid.startsWith("0x") ? f.vid : `0x${f.vid}`, "--vid"),
		pid:
			f.pid === undefined
				? undefined
				: parseNumber(f.pid.startsWith("0x") ? f.pid : `0x${f.pid}`, "--pid"),
		bcd:
			f.bcd === undefined
				? undefined
				: parseNumber(f.bcd.startsWith("0x") ? f.bcd : `0x${f.bcd}`, "--bcd"),
		usbip: f.usbip ?? false,
		listen: f.listen,
	};
}
