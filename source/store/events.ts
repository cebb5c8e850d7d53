/**
 * The closed set of things that can happen in a bringup session.
 *
 * Producers (USB watcher, DfuSe core, inspector, checklist) append these; the reducer in
 * reduce.ts is the only reader that turns them into state. Every payload is plain JSON so a
 * session can be recorded as NDJSON and replayed byte for byte.
 *
 * Order guarantees for one flash job (the DfuSe core keeps them):
 *   flash.planned → (flash.phase started → flash.progress* / flash.sector* → flash.phase
 *   finished | failed)* per phase in plan order → flash.finished (exactly once).
 */

/** Where a device came from: the real `usb` backend or the in-process simulator. */
export type Backend = "usb" | "sim";

/** What the device is doing, as seen from its USB interface descriptors. */
export type DeviceMode = "dfu" | "runtime" | "app";

/** Plain description of one enumerated USB device; `key` is stable for the device's lifetime. */
export interface DeviceIdentity {
	key: string;
	backend: Backend;
	vendorId: number;
	productId: number;
	bcdDevice: number;
	manufacturer?: string;
	product?: string;
	serial?: string;
	/** Bus/port path where the backend knows it (dfu-util's `-p`). */
	path?: string;
	mode: DeviceMode;
}

/** One group of equal pages inside a memory-layout string: `count` pages of `pageSize` bytes. */
export interface MemorySegment {
	start: number;
	count: number;
	pageSize: number;
	readable: boolean;
	erasable: boolean;
	writable: boolean;
}

/** A parsed DfuSe memory-layout string such as `@Internal Flash  /0x08000000/04*016Kg,...`. */
export interface MemoryLayout {
	name: string;
	segments: MemorySegment[];
}

export interface AltSettingInfo {
	alt: number;
	/** The interface string exactly as the device reports it. */
	name: string;
	layout?: MemoryLayout;
}

export interface DfuFunctional {
	attributes: number;
	canDownload: boolean;
	canUpload: boolean;
	manifestationTolerant: boolean;
	willDetach: boolean;
	detachTimeout: number;
	transferSize: number;
	dfuVersion: number;
}

export interface ChipGuess {
	/** Most specific name known, e.g. "STM32F405/407" or "STM32F4". */
	name: string;
	family: string;
	confidence: "high" | "medium" | "low";
	evidence: string[];
	flashSize?: number;
}

export interface DeviceDescription {
	interfaceNumber: number;
	functional?: DfuFunctional;
	alts: AltSettingInfo[];
	chip?: ChipGuess;
	/** Bootloader version from bcdDevice, e.g. "2.2". */
	bootloaderVersion?: string;
}

export type Severity = "error" | "warning" | "info";

export interface Finding {
	id: string;
	severity: Severity;
	message: string;
	evidence?: Record<string, string | number | boolean | null>;
}

import type { ErrorInfo } from "../errors.js";

export type { ErrorInfo };

export type FlashPhase =
	| "compare"
	| "erase"
	| "mass-erase"
	| "unprotect"
	| "program"
	| "verify"
	| "read"
	| "leave"
	| "detach";

/** `unchanged`: a delta flash read it back and found the image there (no erase, no write). */
export type SectorState = "planned" | "unchanged" | "erased" | "written" | "verified" | "failed";

export interface PlannedSector {
	address: number;
	size: number;
	/** Whether the plan erases this sector (false for sectors only read or verified). */
	erase: boolean;
	/** A delta flash read it back and found it already holds the image: skipped. */
	unchanged?: boolean;
}

export interface FlashPlanSummary {
	operation: "download" | "upload" | "erase" | "unprotect" | "leave" | "detach";
	alt: number;
	altName?: string;
	/** Address ranges written or read, in order. */
	ranges: { address: number; size: number }[];
	sectors: PlannedSector[];
	totalBytes: number;
	transferSize: number;
	file?: string;
	verify: boolean;
	leave: boolean;
	/**
	 * Delta flash: the touched sectors are read back first ("compare" phase) and the ones that
	 * already hold the image are skipped (flash.sector "unchanged").
	 */
	compare?: boolean;
	/** AN2606 Device Feature voltage range written before erasing (e.g. "2.7-3.6V"). */
	voltageRange?: string;
	/** What was checked before anything was written (a flash proposal: every job of it). */
	checks?: FlashCheckInfo[];
	/** Destructive writes the user has to confirm before the flash starts. */
	confirmations?: ConfirmationInfo[];
	/** The jobs of one flash of a multi-target file, in the order they run. */
	group?: string[];
	/**
	 * Expected time on a loader with the Device Feature word: byte-wise (no range given) and with
	 * the 2.7-3.6 V range (32-bit words), and with the range asked for (`ranged`, when one
	 * was); see docs/flash-timing.md.
	 */
	estimateMs?: { bytewise: number; word: number; ranged?: number };
	/** The board's supply in volts, given or remembered for it, that set `voltageRange`. */
	supplyVolts?: number;
	/** A flash of many boards at once: its id, carried by the job of every board in it. */
	batch?: string;
	/** The board as people tell it apart: "serial X", or "path 1-3" where serials collide. */
	board?: string;
}

/** One pre-flight check of a flash: passed, a note, forced past, or blocking. */
export interface FlashCheckInfo {
	id: string;
	status: "pass" | "note" | "forced" | "blocked";
	message: string;
}

/** A destructive write that needs an explicit yes, e.g. "option bytes write at 0x1FFFC000 (...)". */
export interface ConfirmationInfo {
	id: string;
	message: string;
}

export interface DfuStatusInfo {
	status: number;
	statusName: string;
	state: number;
	stateName: string;
	pollTimeout: number;
}

export type CheckStatus = "pending" | "running" | "pass" | "fail" | "warn" | "skip";

interface Base {
	/** Milliseconds on the session's clock (virtual in tests and benchmarks). */
	at: number;
	/** Who produced it: "usb", "sim", "dfu", "inspect", "checklist", "cli", "ui", ... */
	source: string;
}

export type BringupEvent =
	| (Base & {
			type: "backend.status";
			backend: Backend;
			available: boolean;
			message?: string;
			hint?: string;
	  })
	| (Base & { type: "device.attached"; device: DeviceIdentity })
	| (Base & { type: "device.described"; key: string; description: DeviceDescription })
	| (Base & { type: "device.detached"; key: string })
	| (Base & { type: "device.selected"; key: string | null })
	| (Base & { type: "flash.planned"; job: string; device: string; plan: FlashPlanSummary })
	| (Base & {
			type: "flash.phase";
			job: string;
			phase: FlashPhase;
			status: "started" | "finished" | "failed";
			total?: number;
			error?: ErrorInfo;
	  })
	| (Base & {
			type: "flash.progress";
			job: string;
			phase: FlashPhase;
			done: number;
			total: number;
			address?: number;
	  })
	| (Base & {
			type: "flash.sector";
			job: string;
			address: number;
			size: number;
			state: SectorState;
	  })
	| (Base & { type: "dfu.status"; device: string; job?: string; status: DfuStatusInfo })
	| (Base & {
			type: "flash.finished";
			job: string;
			ok: boolean;
			error?: ErrorInfo;
			stats?: { controlTransfers: number; getStatus: number; elapsedMs: number };
	  })
	| (Base & {
			type: "inspect.result";
			subject: string;
			format: string;
			segments: { address: number; size: number }[];
			vectorTable?: { address: number; initialSp: number; reset: number; length: number };
			guess?: { family: string; part?: string; confidence: number; evidence: string[] };
			target?: string;
	  })
	| (Base & { type: "inspect.finding"; subject: string; finding: Finding })
	| (Base & { type: "check.started"; step: string })
	| (Base & {
			type: "check.result";
			step: string;
			status: CheckStatus;
			summary?: string;
			findings: Finding[];
	  })
	| (Base & {
			type: "checklist.answer";
			step: string;
			answer: string;
			value?: number | string;
	  })
	| (Base & {
			type: "log.message";
			level: "debug" | "info" | "warn" | "error";
			text: string;
	  });

export type EventType = BringupEvent["type"];

/** An event as a producer hands it over: the store stamps `at` when it is missing. */
export type NewEvent = BringupEvent extends infer E
	? E extends BringupEvent
		? Omit<E, "at"> & { at?: number }
		: never
	: never;

export type EventOf<T extends EventType> = Extract<BringupEvent, { type: T }>;

const EVENT_TYPES: ReadonlySet<string> = new Set<EventType>([
	"backend.status",
	"device.attached",
	"device.described",
	"device.detached",
	"device.selected",
	"flash.planned",
	"flash.phase",
	"flash.progress",
	"flash.sector",
	"dfu.status",
	"flash.finished",
	"inspect.result",
	"inspect.finding",
	"check.started",
	"check.result",
	"checklist.answer",
	"log.message",
]);

/** Shape check for events read back from a recording; it trusts payloads of known types. */
export function isBringupEvent(value: unknown): value is BringupEvent {
	if (typeof value !== "object" || value === null) return false;
	const v = value as Record<string, unknown>;
	return (
		typeof v.type === "string" &&
		EVENT_TYPES.has(v.type) &&
		typeof v.at === "number" &&
		typeof v.source === "string"
	);
}
