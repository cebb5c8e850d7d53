import { kib } from "../format.js";
import { describeEvent } from "../store/describe-event.js";
import type { BringupEvent } from "../store/events.js";

export interface PrinterOptions {
	line: (text: string) => void;
	/** Where a live progress line goes (stderr when it is a terminal); none: phase lines only. */
	progress?: (text: string) => void;
	/** Print device attach/detach lines (list-like commands print devices their own way). */
	devices?: boolean;
}

/** Events → plain lines for a person reading a terminal or a log file. */
export function plainPrinter(options: PrinterOptions): (event: BringupEvent) => void {
	let live = false;
	const phaseStart = new Map<string, number>();
	const endLive = () => {
		if (live) options.progress?.("\n");
		live = false;
	};
	return (event) => {
		switch (event.type) {
			case "flash.progress": {
				if (!options.progress) return;
				const pct = event.total ? Math.floor((event.done / event.total) * 100) : 100;
				options.progress(
					`\r  ${event.phase.padEnd(10)} ${String(pct).padStart(3)}%  ${kib(event.done)} of ${kib(event.total)}   `,
				);
				live = true;
				return;
			}
			case "flash.phase": {
				endLive();
				const key = `${event.job}/${event.phase}`;
				if (event.status === "started") {
					phaseStart.set(key, event.at);
					return;
				}
				const took = event.at - (phaseStart.get(key) ?? event.at);
				if (event.status === "finished")
					options.line(`${event.phase} done (${(took / 1000).toFixed(2)} s)`);
				else options.line(describeEvent(event) ?? "");
				return;
			}
			case "device.attached":
			case "device.detached":
			case "device.described":
				if (options.devices) options.line(describeEvent(event) ?? "");
				return;
			case "backend.status":
			case "inspect.result":
				return;
			case "log.message":
				// Debug lines stay in recordings and --json; a terminal gets the news only.
				if (event.level === "debug") return;
				endLive();
				options.line(describeEvent(event) ?? "");
				return;
			case "flash.finished":
				endLive();
				return;
			default: {
				const text = describeEvent(event);
				if (text) {
					endLive();
					options.line(text);
				}
			}
		}
	};
}
