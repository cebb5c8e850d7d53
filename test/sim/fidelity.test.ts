import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROFILES } from "../../source/sim/index.js";
import type { ChipProfile } from "../../source/sim/profiles.js";
import { bytes, sim } from "./helpers.js";

/**
 * Every profile against the real captures it names (test/fixtures/captures/real/): the
 * `dfu-util -l` lines (ver, alt names byte for byte, serial), the lsusb fields where a capture
 * has them, and the GETSTATUS answers of a download where a log shows them. The simulator is read
 * through setup packets, the way a host sees it; nothing of the client is used.
 */
const CAPTURES = join(import.meta.dirname, "..", "fixtures", "captures", "real");
const profiles = [...new Set(Object.values(PROFILES))];

interface Capture {
	file: string;
	/** The paste's own text after its source header. */
	body: string;
	/** The header says runs of spaces were collapsed: names compare with single spaces. */
	collapsed: boolean;
}

function capture(file: string): Capture {
	const text = readFileSync(join(CAPTURES, file), "utf8");
	const header = text.split("\n").filter((l) => l.startsWith("# "));
	const trust = header.find((l) => l.startsWith("# TRUST:")) ?? "";
	const body = text.slice(text.indexOf("---- verbatim below"));
	return { file, body, collapsed: /normalis|collapsed/i.test(trust) };
}

/** "Found DFU:" (and pydfuutil's "Found Runtime: [0483:df11]") lines, by alt. */
function listed(c: Capture) {
	const out: { alt: number; ver?: string; name: string; serial?: string }[] = [];
	for (const line of c.body.split("\n")) {
		if (!/Found (DFU|Runtime): \[0483:df11\]/.test(line)) continue;
		const alt = /\balt=(\d+)/.exec(line);
		const name = /name="([^"]*)"/.exec(line);
		if (!alt || !name) continue;
		out.push({
			alt: Number(alt[1]),
			name: name[1]!,
			ver: /\bver=([0-9a-fA-F]{4})/.exec(line)?.[1],
			serial: /serial="([^"]*)"/.exec(line)?.[1],
		});
	}
	return out;
}

/** lsusb -v fields: name → value text (first occurrence), and the iInterface strings in order. */
function lsusbFields(c: Capture) {
	const fields = new Map<string, string>();
	const interfaces: string[] = [];
	for (const raw of c.body.split("\n")) {
		const m = /^\s*(\w+)\s+(\S+)(?:\s+(.*))?$/.exec(raw);
		if (!m) continue;
		const [, name, value, rest] = m as unknown as [string, string, string, string | undefined];
		if (name === "iInterface" && rest) interfaces.push(rest);
		const field = ["iManufacturer", "iProduct", "iSerial"].includes(name) ? (rest ?? "") : value;
		if (!fields.has(name)) fields.set(name, field);
	}
	const status = /Device Status:\s+(0x[0-9a-f]+)/i.exec(c.body)?.[1];
	return { fields, interfaces, status, hasDescriptor: c.body.includes("Device Descriptor:") };
}

const collapse = (s: string) => s.replace(/ {2,}/g, " ");

/** What the simulated loader answers to the host's standard requests. */
async function seen(profile: ChipProfile) {
	const { board, simulation } = sim({ profile, raw: true });
	const get = async (wValue: number, wLength: number, wIndex = 0) => {
		const r = await board.handleSetup({
			bmRequestType: 0x80,
			bRequest: 6,
			wValue,
			wIndex,
			wLength,
		});
		if (r.status !== "ok" || !r.data)
			throw new Error(`descriptor 0x${wValue.toString(16)} stalled`);
		return r.data;
	};
	const text = async (index: number) => {
		const d = await get(0x0300 | index, 255, 0x0409);
		return Buffer.from(d.subarray(2, d[0])).toString("utf16le");
	};
	const device = await get(0x0100, 18);
	const head = await get(0x0200, 9);
	const config = await get(0x0200, head[2]! | (head[3]! << 8));
	const alts: string[] = [];
	const functional: number[] = [];
	for (let at = 0; at < config.length; at += config[at]!) {
		if (config[at + 1] === 4) alts.push(await text(config[at + 8]!));
		if (config[at + 1] === 0x21) functional.push(...config.subarray(at, at + 9));
	}
	const status = await board.handleSetup({
		bmRequestType: 0x80,
		bRequest: 0,
		wValue: 0,
		wIndex: 0,
		wLength: 2,
	});
	const u16 = (b: ArrayLike<number>, at: number) => b[at]! | (b[at + 1]! << 8);
	const bcd = (v: number) => `${(v >> 8).toString(16)}.${(v & 0xff).toString(16).padStart(2, "0")}`;
	const seenByHost = {
		ver: u16(device, 12).toString(16).padStart(4, "0"),
		bcdUSB: bcd(u16(device, 2)),
		bcdDevice: bcd(u16(device, 12)),
		maxPacketSize0: device[7]!,
		manufacturer: await textOf(device[14]!),
		product: await textOf(device[15]!),
		serial: await textOf(device[16]!),
		totalLength: config.length,
		attributes: config[7]!,
		maxPowerMa: config[8]! * 2,
		alts,
		transferSize: u16(functional, 5),
		detachTimeout: u16(functional, 3),
		dfuAttributes: functional[2]!,
		deviceStatus: status.status === "ok" && status.data ? u16(status.data, 0) : -1,
	};
	simulation.close();
	return seenByHost;
	async function textOf(index: number) {
		return index ? text(index) : "";
	}
}

/** The serial the profile's UID was chosen to give ("... to read 05's serial 3574364C3034"). */
function chosenSerial(profile: ChipProfile): string | undefined {
	return /serial ([0-9A-F]{12})\b/.exec(profile.sources.serial)?.[1];
}

describe("every profile against its real captures", () => {
	it("every capture a profile names exists, and every profile says where each fact comes from", () => {
		for (const profile of profiles) {
			for (const file of profile.captures) expect(() => capture(file), file).not.toThrow();
			for (const [field, source] of Object.entries(profile.sources))
				expect(source.length, `${profile.id}.${field}`).toBeGreaterThan(0);
		}
	});

	for (const profile of profiles.filter((p) => p.captures.length > 0)) {
		it(`${profile.id}: the dfu-util -l lines of ${profile.captures.join(", ")}`, async () => {
			const ours = await seen(profile);
			for (const file of profile.captures) {
				const c = capture(file);
				for (const line of listed(c)) {
					const name = ours.alts[line.alt];
					expect(name, `${file} alt ${line.alt}`).toBeDefined();
					if (c.collapsed) expect(collapse(name!), file).toBe(collapse(line.name));
					else expect(name, `${file} alt ${line.alt}`).toBe(line.name);
					if (line.ver) expect(ours.ver, `${file} ver`).toBe(line.ver.toLowerCase());
					if (!line.serial || line.serial.startsWith("<")) continue;
					if (profile.usb.serial.kind === "uid") {
						// A UID-derived serial belongs to one chip: the rule's shape, and the chip the
						// profile's UID was chosen from.
						expect(line.serial, file).toMatch(/^[0-9A-F]{12}$/);
						expect(ours.serial).toMatch(/^[0-9A-F]{12}$/);
						expect(ours.serial).toBe(chosenSerial(profile));
					} else expect(ours.serial, `${file} serial`).toBe(line.serial);
				}
			}
		});
	}

	for (const profile of profiles) {
		const withLsusb = profile.captures.filter((f) => lsusbFields(capture(f)).hasDescriptor);
		if (withLsusb.length === 0) continue;
		it(`${profile.id}: the lsusb fields of ${withLsusb.join(", ")}`, async () => {
			const ours = await seen(profile);
			for (const file of withLsusb) {
				const c = capture(file);
				const { fields, interfaces, status } = lsusbFields(c);
				const want = (name: string) => fields.get(name);
				const number = (text: string | undefined) =>
					text === undefined
						? undefined
						: Number(text.startsWith("0x") ? Number.parseInt(text, 16) : text);
				const text = (t: string | undefined) =>
					t === undefined ? undefined : c.collapsed ? collapse(t) : t;
				const got = (t: string) => (c.collapsed ? collapse(t) : t);
				expect(ours.bcdUSB, `${file} bcdUSB`).toBe(want("bcdUSB"));
				expect(ours.bcdDevice, `${file} bcdDevice`).toBe(want("bcdDevice"));
				expect(ours.maxPacketSize0).toBe(number(want("bMaxPacketSize0")));
				expect(got(ours.manufacturer)).toBe(text(want("iManufacturer")) ?? got(ours.manufacturer));
				expect(got(ours.product), `${file} iProduct`).toBe(text(want("iProduct")));
				if (want("wTotalLength")) expect(ours.totalLength).toBe(number(want("wTotalLength")));
				if (want("bmAttributes") && want("wTransferSize")) {
					expect(ours.transferSize, `${file} wTransferSize`).toBe(number(want("wTransferSize")));
					expect(ours.detachTimeout).toBe(number(want("wDetachTimeout")));
				}
				if (want("MaxPower")) expect(`${ours.maxPowerMa}mA`).toBe(want("MaxPower"));
				interfaces.forEach((name, alt) => {
					expect(got(ours.alts[alt] ?? ""), `${file} iInterface ${alt}`).toBe(text(name));
				});
				if (status)
					expect(ours.deviceStatus, `${file} Device Status`).toBe(Number.parseInt(status, 16));
				const serial = want("iSerial");
				if (serial && !serial.startsWith("<")) {
					if (profile.usb.serial.kind === "uid") expect(ours.serial).toBe(chosenSerial(profile));
					else expect(ours.serial).toBe(serial);
				}
			}
		});
	}
});

/** "Determining device status: state = dfuERROR, status = 10" → the first answer a log shows. */
function firstStatus(c: Capture) {
	const m = /Determining device status: state = (\w+), status = (\d+)/.exec(c.body);
	return m ? { state: m[1]!, status: Number(m[2]) } : undefined;
}

const STATE_NAMES: Record<number, string> = { 2: "dfuIDLE", 10: "dfuERROR" };

describe("GETSTATUS answers of a download, as the logs show them", () => {
	for (const profile of profiles) {
		const logs = profile.captures.filter((f) => firstStatus(capture(f)));
		if (logs.length === 0) continue;
		it(`${profile.id}: the first GETSTATUS is the one ${logs.join(", ")} shows`, async () => {
			for (const file of logs) {
				const { dfu, simulation } = sim({ profile, raw: true });
				const first = await dfu.getStatus();
				simulation.close();
				expect({ state: STATE_NAMES[first.state], status: first.status }, file).toEqual(
					firstStatus(capture(file)),
				);
			}
		});
	}

	it("f401: the poll timeouts of 06, as dfu-util 0.9 prints them for a 2060-byte download", async () => {
		const log = capture("06_f401xc_modm_docs_polltimeouts.txt");
		const want = [...log.body.matchAll(/Poll timeout (\d+) ms/g)].map((m) => Number(m[1]));
		const { dfu, clock } = sim({ profile: "f401", scenario: "blank", raw: true });
		const timeouts: number[] = [];
		// dfu-util 0.9 dfuse_special_command: DNLOAD the command, then GETSTATUS, print the
		// poll timeout and sleep it, until the state is no longer dfuDNBUSY.
		const special = async (command: number[]) => {
			await dfu.dnload(0, Uint8Array.from(command));
			let s = await dfu.getStatus();
			timeouts.push(s.pollTimeout);
			await clock.sleep(s.pollTimeout);
			while (s.state === 4) {
				s = await dfu.getStatus();
				timeouts.push(s.pollTimeout);
				await clock.sleep(s.pollTimeout);
			}
			return s;
		};
		const at = (a: number) => [a & 0xff, (a >> 8) & 0xff, (a >> 16) & 0xff, a >>> 24];
		const chunk = async (address: number, length: number) => {
			expect((await special([0x21, ...at(address)])).state).toBe(5);
			await dfu.dnload(2, new Uint8Array(length).fill(0x5a));
			while ((await dfu.getStatus()).state !== 5) await clock.sleep(1);
		};
		expect((await dfu.getStatus()).state).toBe(2); // dfuIDLE, as 06 shows
		await special([0x41, ...at(0x08000000)]);
		await chunk(0x08000000, 2048);
		await chunk(0x08000800, 12);
		await special([0x21, ...at(0x08000000)]); // before the leave request
		expect(timeouts).toEqual(want);
	});

	it("f446: a mass erase reports 100 ms first, which makes dfu-util 0.9 say 'Setting timeout to 35 seconds' (12)", async () => {
		expect(capture("12_f446_spider_voron_notes_masserase.txt").body).toContain(
			"Setting timeout to 35 seconds",
		);
		const { dfu } = sim({ profile: "f446" });
		await dfu.dnload(0, bytes(0x41));
		expect(await dfu.getStatus()).toMatchObject({ state: 4, pollTimeout: 100 });
	});
});
