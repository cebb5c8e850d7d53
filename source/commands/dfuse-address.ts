import { UsageError } from "../errors.js";
import type { DeviceFilter } from "../usb/select.js";

/** dfu-util's `-s ADDR[:modifier...]`: an address plus leave/mass-erase/unprotect/force/will-reset/LEN. */
export interface DfuseAddress {
	address?: number;
	length?: number;
	leave: boolean;
	massErase: boolean;
	unprotect: boolean;
	force: boolean;
	willReset: boolean;
}

export function parseNumber(text: string, what: string): number {
	const t = text.trim();
	const value = /^0x[0-9a-f]+$/i.test(t)
		? Number.parseInt(t, 16)
		: /^\d+$/.test(t)
			? Number(t)
			: NaN;
	if (!Number.isSafeInteger(value) || value < 0 || value > 0xffffffff) {
		throw new UsageError(`${what} "${text}" is not a number (use decimal or 0x-hex)`, {
			value: text,
		});
	}
	return value;
}

export function parseDfuseAddress(text: string): DfuseAddress {
	const [head = "", ...mods] = text.split(":");
	const result: DfuseAddress = {
		leave: false,
		massErase: false,
		unprotect: false,
		force: false,
		willReset: false,
	};
	if (head !== "") result.address = parseNumber(head, "-s address");
	for (const mod of mods) {
		switch (mod) {
			case "leave":
				result.leave = true;
				break;
			case "mass-erase":
				result.massErase = true;
				break;
			case "unprotect":
				result.unprotect = true;
				break;
			case "force":
				result.force = true;
				break;
			case "will-reset":
				result.willReset = true;
				break;
			default:
				if (/^(0x[0-9a-f]+|\d+)$/i.test(mod)) {
					result.length = parseNumber(mod, "-s length");
					if (result.length === 0)
						throw new UsageError(
							`-s ${text}: a length of 0 reads nothing`,
							{ value: text },
							"Give the number of bytes, e.g. -s 0x08000000:0x4000, or leave :LEN out to read the whole segment.",
						);
				} else
					throw new UsageError(
						`unknown -s modifier "${mod}": expected leave, mass-erase, unprotect, force, will-reset or a length`,
						{ modifier: mod },
					);
		}
	}
	return result;
}

/** dfu-util's `-d [VID]:[PID][,[VID]:[PID]]`: run-time and DFU-mode ids; we match either. */
export function parseDeviceIds(text: string): DeviceFilter[] {
	return text
		.split(",")
		.filter((part) => part !== "")
		.map((part) => {
			const [vid = "", pid = ""] = part.split(":");
			const hexId = (v: string, what: string) => {
				if (v === "" || v === "*") return undefined;
				const n = Number.parseInt(v.replace(/^0x/i, ""), 16);
				if (!/^(0x)?[0-9a-f]{1,4}$/i.test(v) || Number.isNaN(n))
					throw new UsageError(`-d ${text}: "${v}" is not a hex ${what}`, { value: text });
				return n;
			};
			return { vendorId: hexId(vid, "vendor id"), productId: hexId(pid, "product id") };
		});
}
