import { EventEmitter } from "node:events";
import { render } from "ink";
import type { ReactElement } from "react";
import type { CheckAnswer, FlashRequest, IntentResult, Intents } from "../../source/app/intents.js";
import type {
	BringupEvent,
	DeviceDescription,
	DeviceIdentity,
	NewEvent,
} from "../../source/store/events.js";
import { createStore, type Store } from "../../source/store/store.js";
import type { AppProps } from "../../source/ui/app.js";
import { Root } from "../../source/ui/root.js";
import {
	createStoreView,
	type StoreView,
	type StoreViewOptions,
} from "../../source/ui/store-view.js";
import { defaultTheme, type Theme } from "../../source/ui/theme.js";
import type { ListDir } from "../../source/ui/use-path-completion.js";

/** A terminal of a given size that keeps every frame Ink writes (debug mode writes whole frames). */
export class FakeStdout extends EventEmitter {
	readonly frames: string[] = [];
	isTTY = true;
	constructor(
		public columns = 80,
		public rows = 24,
	) {
		super();
	}
	write = (frame: string) => {
		this.frames.push(frame);
		return true;
	};
	lastFrame = () => this.frames.at(-1) ?? "";
}

export class FakeStdin extends EventEmitter {
	isTTY = true;
	private data: string | null = null;
	write = (data: string) => {
		this.data = data;
		this.emit("readable");
		this.emit("data", data);
	};
	read = () => {
		const d = this.data;
		this.data = null;
		return d;
	};
	setEncoding() {}
	setRawMode() {}
	resume() {}
	pause() {}
	ref() {}
	unref() {}
}

export type Call = [name: string, ...args: unknown[]];

/**
 * Intents that record every call and answer the way a controller would, by appending events.
 * `planResult` decides what prepareFlash does; by default it plans job "j1" on the selected device.
 */
export class FakeIntents implements Intents {
	readonly calls: Call[] = [];
	readOnly?: boolean;
	planResult?: (request: FlashRequest) => IntentResult;
	constructor(readonly store: Store) {}
	private record(name: string, ...args: unknown[]) {
		this.calls.push([name, ...args]);
	}
	named(name: string): Call[] {
		return this.calls.filter((c) => c[0] === name);
	}
	selectDevice(key: string) {
		this.record("selectDevice", key);
		this.store.append({ type: "device.selected", key, source: "ui" });
	}
	useSimulator() {
		this.record("useSimulator");
		this.store.append({ type: "backend.status", backend: "sim", available: true, source: "sim" });
	}
	private simCount = 0;
	plugSim(profile?: string, count?: number) {
		if (count === undefined) this.record("plugSim", profile);
		else this.record("plugSim", profile, count);
		for (let i = 0; i < (count ?? 1); i++) {
			this.simCount++;
			const key = `sim-${this.simCount}`;
			this.store.append({
				type: "device.attached",
				source: "sim",
				device: f405Identity(key, "sim"),
			});
			this.store.append({
				type: "device.described",
				source: "sim",
				key,
				description: f405Description(),
			});
		}
	}
	unplugSim(key: string) {
		this.record("unplugSim", key);
		this.store.append({ type: "device.detached", source: "sim", key });
	}
	async prepareFlash(request: FlashRequest): Promise<IntentResult> {
		this.record("prepareFlash", request);
		return this.planResult ? this.planResult(request) : { ok: true, job: "j1" };
	}
	confirmFlash(job: string, confirmed?: readonly string[]) {
		if (confirmed) this.record("confirmFlash", job, confirmed);
		else this.record("confirmFlash", job);
	}
	cancelFlash(job: string) {
		this.record("cancelFlash", job);
	}
	async setSupply(job: string, volts: number | null): Promise<IntentResult> {
		this.record("setSupply", job, volts);
		return { ok: true, job };
	}
	async massErase(key: string): Promise<IntentResult> {
		this.record("massErase", key);
		return { ok: true, job: "erase-1" };
	}
	async unprotect(key: string): Promise<IntentResult> {
		this.record("unprotect", key);
		return { ok: true, job: "unprotect-1" };
	}
	startChecklist() {
		this.record("startChecklist");
	}
	answerCheck(step: string, answer: CheckAnswer, value?: number | string) {
		this.record("answerCheck", step, answer, value);
		this.store.append({
			type: "checklist.answer",
			source: "ui",
			step,
			answer,
			...(value !== undefined ? { value } : {}),
		});
	}
	async writeReport(path: string) {
		this.record("writeReport", path);
		return { ok: true as const, path };
	}
	quit() {
		this.record("quit");
	}
}

export function f405Identity(key: string, backend: "usb" | "sim" = "usb"): DeviceIdentity {
	return {
		key,
		backend,
		vendorId: 0x0483,
		productId: 0xdf11,
		bcdDevice: 0x2200,
		manufacturer: "STMicroelectronics",
		product: "STM32  BOOTLOADER",
		serial: "3574364C3034",
		mode: "dfu",
	};
}

const F405_FLASH = "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg";

export function f405Description(): DeviceDescription {
	const rew = { readable: true, erasable: true, writable: true };
	return {
		interfaceNumber: 0,
		functional: {
			attributes: 0x0b,
			canDownload: true,
			canUpload: true,
			manifestationTolerant: true,
			willDetach: false,
			detachTimeout: 255,
			transferSize: 2048,
			dfuVersion: 0x011a,
		},
		alts: [
			{
				alt: 0,
				name: F405_FLASH,
				layout: {
					name: "Internal Flash",
					segments: [
						{ start: 0x08000000, count: 4, pageSize: 16384, ...rew },
						{ start: 0x08010000, count: 1, pageSize: 65536, ...rew },
						{ start: 0x08020000, count: 7, pageSize: 131072, ...rew },
					],
				},
			},
			{
				alt: 1,
				name: "@Option Bytes  /0x1FFFC000/01*016 e",
				layout: {
					name: "Option Bytes",
					segments: [
						{
							start: 0x1fffc000,
							count: 1,
							pageSize: 16,
							readable: true,
							erasable: false,
							writable: true,
						},
					],
				},
			},
			{ alt: 2, name: "@OTP Memory /0x1FFF7800/01*512 e,01*016 e" },
			{ alt: 3, name: "@Device Feature/0xFFFF0000/01*004 e" },
		],
		chip: {
			name: "STM32F405/407",
			family: "STM32F4",
			confidence: "high",
			evidence: ["PID df11 + F4 layout"],
			flashSize: 1024 * 1024,
		},
		bootloaderVersion: "2.2",
	};
}

export interface Mounted {
	store: Store;
	intents: FakeIntents;
	view: StoreView;
	stdout: FakeStdout;
	stdin: FakeStdin;
	/** The last frame Ink wrote (live region, after any Static output). */
	frame(): string;
	append(event: NewEvent): BringupEvent;
	/** Appends the events, then lets React render what was published. */
	emit(...events: NewEvent[]): Promise<void>;
	press(...keys: string[]): Promise<void>;
	type(text: string): Promise<void>;
	unmount(): void;
}

export const keys = {
	up: "\u001b[A",
	down: "\u001b[B",
	left: "\u001b[D",
	right: "\u001b[C",
	enter: "\r",
	escape: "\u001b",
	tab: "\t",
	backspace: "\u007f",
	pageUp: "\u001b[5~",
	pageDown: "\u001b[6~",
	home: "\u001b[H",
	end: "\u001b[F",
};

/**
 * Lets Ink's input handling and React's passive effects run: a render inside a key handler
 * re-registers the input handlers in an effect a few macrotask turns later. No clock involved.
 */
export async function settle(): Promise<void> {
	for (let i = 0; i < 4; i++) await new Promise((resolve) => setImmediate(resolve));
}

export interface MountOptions extends AppProps {
	columns?: number;
	rows?: number;
	theme?: Theme;
	listDir?: ListDir;
	view?: StoreViewOptions;
	readOnly?: boolean;
	intents?: (store: Store) => Intents;
	/** Mount on this store instead of a fresh one (a replay store, say). */
	store?: Store;
}

/** Mounts the whole App on a fresh store at 80x24 (or the size asked), publishing every event. */
export async function mountApp(options: MountOptions = {}): Promise<Mounted> {
	let clock = 1_000;
	const store = options.store ?? createStore({ now: () => clock++ });
	const intents = new FakeIntents(store);
	if (options.readOnly) intents.readOnly = true;
	const view = createStoreView(store, options.view ?? { minIntervalMs: 0 });
	const stdout = new FakeStdout(options.columns ?? 80, options.rows ?? 24);
	const stdin = new FakeStdin();
	const {
		columns: _c,
		rows: _r,
		theme,
		listDir,
		view: _v,
		readOnly: _ro,
		intents: make,
		store: _s,
		...app
	} = options;
	const tree: ReactElement = (
		<Root
			view={view}
			intents={make ? make(store) : intents}
			theme={theme ?? { ...defaultTheme, color: false }}
			listDir={listDir}
			{...app}
		/>
	);
	const instance = render(tree, {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	await settle();
	return {
		store,
		intents,
		view,
		stdout,
		stdin,
		frame: () => stdout.lastFrame(),
		append: (event) => store.append(event),
		async emit(...events) {
			for (const e of events) store.append(e);
			await settle();
		},
		async press(...ks) {
			for (const k of ks) {
				stdin.write(k);
				await settle();
			}
		},
		async type(text) {
			for (const ch of text) {
				stdin.write(ch);
				await settle();
			}
		},
		unmount() {
			instance.unmount();
			instance.cleanup();
			view.dispose();
		},
	};
}

/** Lines of a frame, with trailing spaces cut (Ink pads boxes). */
export function lines(frame: string): string[] {
	return frame.split("\n").map((l) => l.replace(/\s+$/, ""));
}
