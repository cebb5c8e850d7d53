import type { SetupPacket, SetupResult } from "../sim/setup.js";

export type { SetupPacket, SetupResult } from "../sim/setup.js";

/**
 * What the USB/IP export needs from one simulated board: the setup-packet-level entry point, and
 * whether a device is on the bus right now (a chip reset takes it away; the scenario decides what
 * comes back). The simulator's boards fit this as they are.
 */
export interface ExportableBoard {
	/** A short name for log lines. */
	readonly name: string;
	handleSetup(setup: SetupPacket, dataOut?: Uint8Array): SetupResult | Promise<SetupResult>;
	isPresent(): boolean;
	/** Called with true when a device enumerates, false when it leaves; returns an unsubscribe. */
	onPresenceChange(listener: (present: boolean) => void): () => void;
	/**
	 * The descriptors of the device on the bus now, read without a transfer: listing the bus must
	 * not count as (or take the time of) control traffic in the simulator. Without it, the export
	 * asks through handleSetup.
	 */
	descriptors?(): { device: Uint8Array; configuration: Uint8Array } | undefined;
	/**
	 * True for the error handleSetup rejects with when the device left the bus during that
	 * transfer: such a request gets no answer; the closing connection says the rest.
	 */
	isDeviceGone?(error: unknown): boolean;
}
