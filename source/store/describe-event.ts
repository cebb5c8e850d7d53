import { hex } from "../errors.js";
import { kib, vidPid } from "../format.js";
import type { BringupEvent, DeviceIdentity } from "./events.js";
import { stoppedBy } from "./stopped.js";

export function describeDevice(d: DeviceIdentity): string {
	const id = vidPid(d);
	const parts = [id, d.mode === "dfu" ? "DFU" : d.mode === "runtime" ? "run-time DFU" : "app"];
	if (d.product) parts.push(`"${d.product}"`);
	if (d.serial) parts.push(`serial ${d.serial}`);
	if (d.path) parts.push(`path ${d.path}`);
	return parts.join("  ");
}

/** One human line per event, or undefined for events too frequent to print as lines. */
export function describeEvent(e: BringupEvent): string | undefined {
	switch (e.type) {
		case "backend.status":
			return e.available ? `${e.backend}: ready` : `${e.backend}: ${e.message ?? "unavailable"}`;
		case "device.attached":
			return `attached ${e.device.key}: ${describeDevice(e.device)}`;
		case "device.described": {
			const chip = e.description.chip;
			const alts = e.description.alts.map((a) => `${a.alt} ${a.name.trim()}`).join(" | ");
			return `described ${e.key}: ${chip ? `${chip.name} (${chip.confidence}) ` : ""}${alts}`;
		}
		case "device.detached":
			return `detached ${e.key}`;
		case "device.selected":
			return e.key ? `selected ${e.key}` : "no device selected";
		case "flash.planned": {
			const p = e.plan;
			if (p.operation === "leave")
				return `plan: leave DFU mode, jump to ${hex(p.ranges[0]?.address ?? 0)}`;
			if (p.operation === "detach") return "plan: detach into DFU mode";
			const erase = p.sectors.filter((s) => s.erase).length;
			const at = p.ranges[0] ? ` at ${hex(p.ranges[0].address)}` : "";
			return `plan: ${p.operation} ${kib(p.totalBytes)}${at}, alt ${p.alt}${erase ? `, erase ${erase} sector${erase === 1 ? "" : "s"}` : ""}${p.verify ? ", verify" : ""}${p.leave ? ", leave" : ""}`;
		}
		case "flash.phase":
			return e.status === "failed"
				? `${e.phase} ${stoppedBy(e.error) ? "stopped" : "failed"}: ${e.error?.message ?? "unknown error"}`
				: `${e.phase} ${e.status}`;
		case "flash.progress":
		case "flash.sector":
		case "dfu.status":
			return undefined;
		case "flash.finished":
			return e.ok
				? "done"
				: `${stoppedBy(e.error) ? "stopped" : "failed"}: ${e.error?.message ?? "unknown error"}`;
		case "inspect.result":
			return `inspect ${e.subject}: ${e.format}, ${e.segments.length} segment${e.segments.length === 1 ? "" : "s"}${e.guess ? `, built for ${e.guess.part ?? e.guess.family}` : ""}`;
		case "inspect.finding":
			return `${e.finding.severity}: ${e.finding.message}`;
		case "check.started":
			return `check ${e.step}...`;
		case "check.result":
			return `check ${e.step}: ${e.status}${e.summary ? ` - ${e.summary}` : ""}`;
		case "checklist.answer":
			return `answer ${e.step}: ${e.answer}${e.value !== undefined ? ` (${e.value})` : ""}`;
		case "log.message":
			return `${e.level === "info" ? "" : `${e.level}: `}${e.text}`;
	}
}
