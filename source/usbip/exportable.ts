import type { SetupPacket } from "./protocol.js";

/** The simulator's answer to one control request, the same one the in-process WebUSB fake gets. */
export type SetupResult = { status: "ok"; data?: Uint8Array } | { status: "stall" };

/**
 * What the USB/IP export needs from one simulated board: the setup-packet-level entry point, and
 * whether a device is on the bus right now (a chip reset takes it away; the scenario decides what
 * comes back). source/usbip/sim-adapter.ts fits the simulator to this.
 */
export interface ExportableBoard {
	/** A short name for log lines. */
	readonly name: string;
	handleSetup(setup: SetupPacket, dataOut?: Uint8Array): SetupResult | Promise<SetupResult>;
	isPresent(): boolean;
	/** Called with true when a device enumerates, false when it leaves; returns an unsubscribe. */
	onPresenceChange(listener: (present: boolean) => void): () => void;
}
