import { describeExport } from "./describe.js";
import type { ExportableBoard } from "./exportable.js";
import type { ImportedSession } from "./imported-session.js";
import type { ExportedDevice } from "./protocol.js";

export const USBIP_BUSNUM = 1;

interface Slot {
	board: ExportableBoard;
	busid: string;
	devnum: number;
	session: ImportedSession | null;
	unsubscribe: () => void;
}

/**
 * Which simulated devices are on the exported bus now. Board i sits at busid 1-(i+1), like a
 * device on root port i+1; each enumeration gets a fresh device number, as a real host gives.
 */
export class ExportTable {
	private readonly slots: Slot[];
	private nextDevnum = 2;

	constructor(boards: readonly ExportableBoard[], log: (line: string) => void) {
		this.slots = boards.map((board, index) => {
			const slot: Slot = {
				board,
				busid: `${USBIP_BUSNUM}-${index + 1}`,
				devnum: 0,
				session: null,
				unsubscribe: () => {},
			};
			if (board.isPresent()) slot.devnum = this.nextDevnum++;
			slot.unsubscribe = board.onPresenceChange((present) => {
				if (present) {
					slot.devnum = this.nextDevnum++;
					log(`usbip: ${board.name} enumerated; exported as busid ${slot.busid}`);
				} else {
					log(`usbip: ${board.name} left the bus; busid ${slot.busid} gone`);
					slot.session?.deviceGone();
					slot.session = null;
				}
			});
			return slot;
		});
	}

	busids(): string[] {
		return this.slots.map((s) => s.busid);
	}

	/** Records of the devices present now, for OP_REP_DEVLIST. */
	async list(): Promise<ExportedDevice[]> {
		const present = this.slots.filter((s) => s.board.isPresent());
		return Promise.all(present.map((s) => this.describe(s)));
	}

	/**
	 * Claims a present, not yet imported device. Returns its record and a `bind` to hand the
	 * session over, or a reason the import is refused.
	 */
	async claim(busid: string): Promise<
		| {
				ok: true;
				board: ExportableBoard;
				device: ExportedDevice;
				bind: (s: ImportedSession) => void;
		  }
		| { ok: false; reason: string }
	> {
		const slot = this.slots.find((s) => s.busid === busid);
		if (!slot) return { ok: false, reason: `no busid ${busid}` };
		if (!slot.board.isPresent()) return { ok: false, reason: `nothing on ${busid} right now` };
		if (slot.session) return { ok: false, reason: `${busid} is already imported` };
		const device = await this.describe(slot);
		const bind = (session: ImportedSession) => {
			slot.session = session;
			void session.finished.then(() => {
				if (slot.session === session) slot.session = null;
			});
		};
		return { ok: true, board: slot.board, device, bind };
	}

	close(): void {
		for (const slot of this.slots) {
			slot.unsubscribe();
			slot.session?.deviceGone();
		}
	}

	private describe(slot: Slot): Promise<ExportedDevice> {
		return describeExport(slot.board, {
			busid: slot.busid,
			busnum: USBIP_BUSNUM,
			devnum: slot.devnum,
		});
	}
}
