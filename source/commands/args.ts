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
	/** Erase and write every touched sector, without reading back first to skip unchanged ones. */
	full: boolean;
	/** --voltage: the board's supply in volts (Device Feature range), or "none". */
	voltage?: string;
	/** --all: flash every matching DFU device, in parallel. */
	all: boolean;
	/** --boards N: how many simulated boards --sim attaches (default 1). */
	boards: number;
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
	/** The help text as meow lays it out. */
	help: string;
}

/**
 * The flag table, parsed by meow. Long names are dfu-util's where dfu-util has them; every string
 * flag takes its value as the next word or glued to a short flag (`-a0`, `-s0x08000000:leave`).
 */
const FLAGS = {
	device: { type: "string", shortFlag: "d" },
	// Repeatable: `flash` takes several, one board each (source/usb/select.ts).
	path: { type: "string", shortFlag: "p", isMultiple: true },
	serial: { type: "string", shortFlag: "S", isMultiple: true },
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
	verify: { type: "boolean" },
	full: { type: "boolean" },
	voltage: { type: "string" },
	all: { type: "boolean" },
	boards: { type: "string" },
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
} as const satisfies Record<
	string,
	{ type: "string" | "boolean"; shortFlag?: string; isMultiple?: boolean }
>;

type FlagName = keyof typeof FLAGS;
type FlagValues = {
	[K in FlagName]?: (typeof FLAGS)[K] extends { isMultiple: true }
		? string[]
		: (typeof FLAGS)[K]["type"] extends "string"
			? string
			: boolean;
};

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const SHORT = new Map<string, FlagName>(
	Object.entries(FLAGS).flatMap(([name, flag]) =>
		"shortFlag" in flag ? [[flag.shortFlag, name as FlagName]] : [],
	),
);
const LONG = new Map<string, FlagName>(
	Object.keys(FLAGS).map((name) => [kebab(name), name as FlagName]),
);

function optionalNumber(text: string | undefined, what: string): number | undefined {
	return text === undefined ? undefined : parseNumber(text, what);
}

/** --boards: 1 to 64 simulated boards. */
function boardCount(text: string | undefined): number {
	if (text === undefined) return 1;
	const n = Number(text);
	if (!Number.isInteger(n) || n < 1 || n > 64)
		throw new UsageError(`--boards ${text}: give a number of boards from 1 to 64`, { value: text });
	return n;
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

const unknownOption = (flag: string) =>
	new UsageError(`unknown option ${flag}`, { option: flag }, "See bringup --help.");

/**
 * Words as dfu-util users type them, made plain for meow: a value glued to a short flag is split
 * off (`-s0x08000000` is `-s 0x08000000`, `-Rs ADDR` is `-R -s ADDR`), unknown flags are refused
 * here (meow would print and exit the process), and a bare `--sim` gets an empty value so that it
 * never swallows the file after it.
 */
function normalise(argv: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const word = argv[i]!;
		// `npx bringup -- ARGS` and `npm start -- ARGS` can hand the `--` on: one in front of
		// everything separates nothing, so it is dropped rather than turning every flag into a file.
		if (word === "--" && i === 0) continue;
		if (word === "--") {
			out.push(...argv.slice(i));
			break;
		}
		if (word.startsWith("--")) {
			const name = word.slice(2).split("=")[0]!;
			const known =
				LONG.get(name) ?? (name.startsWith("no-") ? LONG.get(name.slice(3)) : undefined);
			if (!known || (name.startsWith("no-") && FLAGS[known].type !== "boolean"))
				throw unknownOption(`--${name}`);
			out.push(word === "--sim" ? "--sim=" : word);
			continue;
		}
		if (!/^-[^\d-]/.test(word)) {
			out.push(word);
			continue;
		}
		for (let at = 1; at < word.length; at++) {
			const name = SHORT.get(word[at]!);
			if (!name) throw unknownOption(`-${word[at]}`);
			out.push(`-${word[at]}`);
			if (FLAGS[name].type === "string") {
				const glued = word.slice(at + 1);
				if (glued) out.push(glued);
				else if (i + 1 < argv.length) out.push(argv[++i]!);
				else throw valueMissing(name);
				break;
			}
		}
	}
	return out;
}

/** A flag as its users type it: dfu-util's short form where there is one. */
function spell(name: FlagName): string {
	const flag = FLAGS[name];
	return "shortFlag" in flag ? `-${flag.shortFlag}` : `--${kebab(name)}`;
}

function valueMissing(name: FlagName): UsageError {
	const spelled = spell(name);
	return new UsageError(`${spelled} needs a value`, { option: spelled }, "See bringup --help.");
}

function parse(argv: string[]): { flags: FlagValues; inputs: string[]; help: string } {
	let cli: ReturnType<typeof meow<typeof FLAGS>>;
	try {
		cli = meow(HELP, {
			importMeta: import.meta,
			argv: normalise(argv),
			flags: FLAGS,
			// meow would read package.json from disk and exit the process on --help or --version;
			// main() answers those, and the help text is ours.
			pkg: { name: "bringup" },
			description: false,
			autoHelp: false,
			autoVersion: false,
			booleanDefault: undefined,
		});
	} catch (error) {
		if (error instanceof UsageError) throw error;
		const message = error instanceof Error ? error.message : String(error);
		const once = /The flag --(\w+) can only be set once/.exec(message)?.[1] as FlagName | undefined;
		throw new UsageError(
			once && once in FLAGS ? `${spell(once)} is given twice: give it once` : message,
			{},
			"See bringup --help.",
		);
	}
	const flags = cli.flags as FlagValues;
	// A string flag that met another flag instead of its value: `-s -D x.bin`.
	for (const name of Object.keys(FLAGS) as FlagName[]) {
		const value = flags[name];
		if (
			FLAGS[name].type === "string" &&
			name !== "sim" &&
			(value === "" || (Array.isArray(value) && value.includes("")))
		)
			throw valueMissing(name);
	}
	return { flags, inputs: cli.input, help: cli.help };
}

/**
 * Flags that mean nothing in this combination are refused rather than ignored: a user who typed
 * them expected something to happen.
 */
function checkCombination(
	command: CommandName,
	inputs: string[],
	f: FlagValues,
	dfuse: DfuseAddress,
): void {
	if (f.sim === undefined && !["help", "version", "sim"].includes(command)) {
		const simOnly = (["fault", "boardFile", "realtime"] as const).find((name) => f[name]);
		if (simOnly)
			throw new UsageError(
				`--${kebab(simOnly)} works only with the simulated board: add --sim`,
				{ option: `--${kebab(simOnly)}` },
				`e.g. bringup ${command === "app" ? "" : `${command} `}--sim --${kebab(simOnly)} ...`,
			);
	}
	if (command !== "flash") {
		// Several -p/-S name several boards, which only a flash can work on.
		const repeated = (["path", "serial"] as const).find((name) => (f[name]?.length ?? 0) > 1);
		if (repeated)
			throw new UsageError(
				`${spell(repeated)} is given ${f[repeated]!.length} times: ${command === "app" ? "the assistant" : command} works on one board`,
				{ option: spell(repeated) },
				`Give ${spell(repeated)} once; only bringup flash takes several (it flashes each board).`,
			);
		return;
	}
	const files = [...(f.download ? [f.download] : []), ...inputs];
	if (files.length > 1)
		throw new UsageError(
			`flash takes one image file; got ${files.length}: ${files.join(", ")}`,
			{ files: files.join(", ") },
			"Pack several into one .dfu first: bringup convert a.bin@0x08000000 b.bin@0x08020000 -o both.dfu",
		);
	if (dfuse.unprotect)
		throw new UsageError(
			"-s ...:unprotect removes read protection, which erases the whole chip; flash does not do it",
			{ modifier: "unprotect" },
			"Run bringup unprotect --yes first (dfu-util: -s :unprotect:force), then flash.",
		);
}

export function parseArgs(argv: string[]): Args {
	const { flags: f, inputs: positionals, help } = parse(argv);
	const [first, ...rest] = positionals;
	const dfuse = f.dfuseAddress
		? parseDfuseAddress(f.dfuseAddress)
		: { leave: false, massErase: false, unprotect: false, force: false, willReset: false };
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
								: // dfu-util's `-s :mass-erase:force` with no file erases; so does ours.
									dfuse.unprotect
									? "unprotect"
									: dfuse.massErase
										? "erase"
										: "app";
	}
	if (f.help) command = "help";
	checkCombination(command, inputs, f, dfuse);

	const alt = f.alt === undefined ? undefined : /^\d+$/.test(f.alt) ? Number(f.alt) : f.alt;
	return {
		command,
		inputs,
		select: {
			ids: f.device ? parseDeviceIds(f.device) : [],
			paths: f.path ?? [],
			serials: f.serial ?? [],
			config: optionalNumber(f.cfg, "-c"),
			interface: optionalNumber(f.intf, "-i"),
			alt,
			transferSize: transferSize(f.transferSize),
			wait: f.wait ?? false,
		},
		dfuse,
		download: f.download,
		upload: f.upload,
		detach: f.detach ?? false,
		reset: f.reset ?? false,
		verify: f.verify ?? true,
		full: f.full ?? false,
		voltage: f.voltage,
		all: f.all ?? false,
		boards: boardCount(f.boards),
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
		vid: hexId(f.vid, "--vid"),
		pid: hexId(f.pid, "--pid"),
		bcd: hexId(f.bcd, "--bcd"),
		usbip: f.usbip ?? false,
		listen: f.listen,
		help,
	};
}
