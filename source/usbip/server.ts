import { createServer, type Socket } from "node:net";
import { ExportTable } from "./export-table.js";
import type { ExportableBoard } from "./exportable.js";
import { ImportedSession } from "./imported-session.js";
import {
	BUSID_SIZE,
	decodeBusid,
	decodeOpHeader,
	encodeDevlistReply,
	encodeImportReply,
	OP_HEADER_SIZE,
	OP_REQ_DEVLIST,
	OP_REQ_IMPORT,
} from "./protocol.js";
import { ConnectionClosedError, SocketReader } from "./socket-reader.js";

export const DEFAULT_USBIP_HOST = "127.0.0.1";
export const DEFAULT_USBIP_PORT = 3240;
/** Probes start after this long without traffic; a dead peer is dropped about a minute later. */
const KEEPALIVE_MS = 15_000;

export interface UsbipExportOptions {
	boards: readonly ExportableBoard[];
	host?: string;
	/** 0 picks a free port (tests). */
	port?: number;
	log?: (line: string) => void;
	/**
	 * How long a connection may stay before it has imported a device or asked for the list, and
	 * how long the rest of a begun message may take (default 10 s). An imported connection may
	 * then idle as long as the device stays attached; TCP keepalive finds a peer that vanished.
	 */
	idleTimeoutMs?: number;
	/** Connections served at once (default 64); more are refused by the listening socket. */
	maxConnections?: number;
}

export interface UsbipServer {
	address: { host: string; port: number };
	close(): Promise<void>;
}

/**
 * A USB/IP server (protocol 0x0111) for simulated boards: `usbip list -r` / `usbip attach -r`
 * on the same machine (or a VM whose loopback it is) then see them as real USB devices, so
 * dfu-util, lsusb and node-usb talk to the simulator through the kernel.
 */
export async function startUsbipExport(options: UsbipExportOptions): Promise<UsbipServer> {
	const host = options.host ?? DEFAULT_USBIP_HOST;
	const log = options.log ?? (() => {});
	const table = new ExportTable(options.boards, log);
	const sockets = new Set<Socket>();
	const idleTimeoutMs = options.idleTimeoutMs ?? 10_000;

	const server = createServer((socket) => {
		sockets.add(socket);
		socket.setNoDelay(true);
		socket.setKeepAlive(true, KEEPALIVE_MS);
		socket.setTimeout(idleTimeoutMs, () => {
			log(`usbip: ${socket.remoteAddress}:${socket.remotePort} sent no request in time; closing`);
			socket.destroy();
		});
		socket.on("close", () => sockets.delete(socket));
		socket.on("error", () => {});
		void serveConnection(socket, table, log, idleTimeoutMs);
	});
	server.maxConnections = options.maxConnections ?? 64;
	try {
		await new Promise<void>((resolve, reject) => {
			server.once("error", reject);
			server.listen(options.port ?? DEFAULT_USBIP_PORT, host, () => {
				server.off("error", reject);
				resolve();
			});
		});
	} catch (error) {
		// Nothing was exported: no "busid gone" lines when the caller closes the simulation.
		table.close();
		throw error;
	}
	const bound = server.address();
	const port = typeof bound === "object" && bound ? bound.port : (options.port ?? 0);
	log(`usbip: listening on ${host}:${port}, exporting busid ${table.busids().join(", ")}`);

	return {
		address: { host, port },
		close: () =>
			new Promise<void>((resolve) => {
				table.close();
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

async function serveConnection(
	socket: Socket,
	table: ExportTable,
	log: (line: string) => void,
	partialTimeoutMs: number,
): Promise<void> {
	const reader = new SocketReader(socket, partialTimeoutMs);
	try {
		const header = decodeOpHeader(await reader.read(OP_HEADER_SIZE));
		if (header.code === OP_REQ_DEVLIST) {
			const devices = await table.list();
			socket.end(encodeDevlistReply(devices));
			log(`usbip: device list sent (${devices.length} device${devices.length === 1 ? "" : "s"})`);
			return;
		}
		if (header.code === OP_REQ_IMPORT) {
			const busid = decodeBusid(await reader.read(BUSID_SIZE));
			const claim = await table.claim(busid);
			if (!claim.ok) {
				log(`usbip: import of ${busid} refused: ${claim.reason}`);
				socket.end(encodeImportReply(undefined));
				return;
			}
			socket.write(encodeImportReply(claim.device));
			// Attached: the device may sit unused for hours, as a real one on a desk does.
			socket.setTimeout(0);
			log(`usbip: ${busid} imported by ${socket.remoteAddress}:${socket.remotePort}`);
			const session = new ImportedSession(socket, reader, claim.board, log);
			claim.bind(session);
			await session.finished;
			log(`usbip: ${busid} connection closed`);
			return;
		}
		log(`usbip: unsupported operation 0x${header.code.toString(16)}; closing`);
		socket.destroy();
	} catch (error) {
		if (!(error instanceof ConnectionClosedError))
			log(`usbip: ${error instanceof Error ? error.message : String(error)}`);
		socket.destroy();
	}
}
