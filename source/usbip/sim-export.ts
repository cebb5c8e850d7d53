import type { Simulation } from "../sim/index.js";
import { SimDeviceGoneError } from "../sim/index.js";
import type { ExportableBoard } from "./exportable.js";
import {
	DEFAULT_USBIP_HOST,
	DEFAULT_USBIP_PORT,
	startUsbipExport,
	type UsbipServer,
} from "./server.js";

export { DEFAULT_USBIP_HOST, DEFAULT_USBIP_PORT, type UsbipServer } from "./server.js";

export interface UsbipServerOptions {
	simulation: Simulation;
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 3240; 0 picks a free port. */
	port?: number;
	log?: (line: string) => void;
}

/** The simulator's boards as the export sees them: same entry point, presence and descriptors. */
export function exportableBoards(simulation: Simulation): ExportableBoard[] {
	return simulation.boards.map((board) => ({
		name: board.name,
		handleSetup: (setup, dataOut) => board.handleSetup(setup, dataOut),
		isPresent: () => board.isPresent(),
		onPresenceChange: (listener) => board.onPresenceChange(listener),
		descriptors: () => board.board.function?.descriptors,
		isDeviceGone: (error) => error instanceof SimDeviceGoneError,
	}));
}

/**
 * Exports the simulation's boards over USB/IP (busid 1-1, 1-2, ... in board order), on
 * 127.0.0.1:3240 unless told otherwise. A chip reset drops the imported connection like an
 * unplug; whatever the scenario brings back is exported again under the same busid.
 */
export function startUsbipServer(options: UsbipServerOptions): Promise<UsbipServer> {
	return startUsbipExport({
		boards: exportableBoards(options.simulation),
		host: options.host ?? DEFAULT_USBIP_HOST,
		port: options.port ?? DEFAULT_USBIP_PORT,
		log: options.log,
	});
}
