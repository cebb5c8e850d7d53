import type { NewEvent } from "../../source/store/events.js";

export const PLAN_FILE = "build/blinky.bin";

/** A 36 KiB image at 0x08000000 on an F405: sectors 0-2 (16 KiB each) erased, written, verified. */
export function plannedEvent(job = "j1", device = "usb-1", file = PLAN_FILE): NewEvent {
	return {
		type: "flash.planned",
		source: "dfu",
		job,
		device,
		plan: {
			operation: "download",
			alt: 0,
			altName: "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
			ranges: [{ address: 0x08000000, size: 36 * 1024 }],
			sectors: [0, 1, 2].map((i) => ({
				address: 0x08000000 + i * 0x4000,
				size: 0x4000,
				erase: true,
			})),
			totalBytes: 36 * 1024,
			transferSize: 2048,
			file,
			verify: true,
			leave: true,
		},
	};
}

const SECTORS = [0x08000000, 0x08004000, 0x08008000];
const TOTAL = 36 * 1024;

/** Everything the DfuSe core emits for that plan, in its documented order, 1 s of session time apart per phase. */
export function runEvents(job = "j1", device = "usb-1", start = 10_000): NewEvent[] {
	let at = start;
	const out: NewEvent[] = [];
	const status = (stateName: string): NewEvent => ({
		type: "dfu.status",
		source: "dfu",
		device,
		job,
		at,
		status: {
			status: 0,
			statusName: "OK",
			state: stateName === "dfuDNBUSY" ? 4 : 5,
			stateName,
			pollTimeout: stateName === "dfuDNBUSY" ? 20 : 0,
		},
	});
	out.push({
		type: "flash.phase",
		source: "dfu",
		job,
		phase: "erase",
		status: "started",
		total: 3 * 0x4000,
		at,
	});
	SECTORS.forEach((address, i) => {
		at += 300;
		out.push(status("dfuDNBUSY"));
		out.push({
			type: "flash.sector",
			source: "dfu",
			job,
			address,
			size: 0x4000,
			state: "erased",
			at,
		});
		out.push({
			type: "flash.progress",
			source: "dfu",
			job,
			phase: "erase",
			done: (i + 1) * 0x4000,
			total: 3 * 0x4000,
			at,
		});
	});
	out.push({ type: "flash.phase", source: "dfu", job, phase: "erase", status: "finished", at });
	out.push({
		type: "flash.phase",
		source: "dfu",
		job,
		phase: "program",
		status: "started",
		total: TOTAL,
		at,
	});
	for (let done = 2048; done <= TOTAL; done += 2048) {
		at += 50;
		out.push({
			type: "flash.progress",
			source: "dfu",
			job,
			phase: "program",
			done,
			total: TOTAL,
			address: 0x08000000 + done - 2048,
			at,
		});
		if (done % 0x4000 === 0 || done === TOTAL)
			out.push({
				type: "flash.sector",
				source: "dfu",
				job,
				address: SECTORS[Math.ceil(done / 0x4000) - 1]!,
				size: 0x4000,
				state: "written",
				at,
			});
	}
	out.push(status("dfuDNLOAD-IDLE"));
	out.push({ type: "flash.phase", source: "dfu", job, phase: "program", status: "finished", at });
	out.push({
		type: "flash.phase",
		source: "dfu",
		job,
		phase: "verify",
		status: "started",
		total: TOTAL,
		at,
	});
	for (let done = 2048; done <= TOTAL; done += 2048) {
		at += 20;
		out.push({
			type: "flash.progress",
			source: "dfu",
			job,
			phase: "verify",
			done,
			total: TOTAL,
			at,
		});
		if (done % 0x4000 === 0 || done === TOTAL)
			out.push({
				type: "flash.sector",
				source: "dfu",
				job,
				address: SECTORS[Math.ceil(done / 0x4000) - 1]!,
				size: 0x4000,
				state: "verified",
				at,
			});
	}
	out.push({ type: "flash.phase", source: "dfu", job, phase: "verify", status: "finished", at });
	at += 10;
	out.push({ type: "flash.phase", source: "dfu", job, phase: "leave", status: "started", at });
	out.push({ type: "flash.phase", source: "dfu", job, phase: "leave", status: "finished", at });
	out.push({
		type: "flash.finished",
		source: "dfu",
		job,
		ok: true,
		stats: { controlTransfers: 80, getStatus: 60, elapsedMs: at - start },
		at,
	});
	return out;
}

/** The same run cut short: program fails on the second sector with a hint. */
export function failingEvents(job = "j1", device = "usb-1", start = 10_000): NewEvent[] {
	const all = runEvents(job, device, start);
	const cut = all.findIndex(
		(e) => e.type === "flash.progress" && e.phase === "program" && e.done === 20 * 1024,
	);
	const at = start + 2000;
	const error = {
		kind: "device",
		message: "the device reported errWRITE after block 10 at 0x08004800",
		hint: "check that the sector is not write-protected (Devices: option bytes), then try again",
		details: { state: "dfuERROR", status: "errWRITE", address: 0x08004800 },
	};
	return [
		...all.slice(0, cut),
		{
			type: "flash.sector",
			source: "dfu",
			job,
			address: 0x08004000,
			size: 0x4000,
			state: "failed",
			at,
		},
		{
			type: "dfu.status",
			source: "dfu",
			device,
			job,
			at,
			status: {
				status: 3,
				statusName: "errWRITE",
				state: 10,
				stateName: "dfuERROR",
				pollTimeout: 0,
			},
		},
		{ type: "flash.phase", source: "dfu", job, phase: "program", status: "failed", error, at },
		{ type: "flash.finished", source: "dfu", job, ok: false, error, at },
	];
}
