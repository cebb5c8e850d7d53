/**
 * A recording wrapper around any WebUSB USBDevice: every control transfer is logged as the setup
 * packet the wire would carry (bmRequestType, bRequest, wValue, wIndex, wLength) plus its payload.
 */
export interface Transfer {
	bmRequestType: number;
	bRequest: number;
	wValue: number;
	wIndex: number;
	wLength: number;
	/** OUT payload, or the IN reply. */
	data: Uint8Array;
	status: string;
}

const TYPES = { standard: 0, class: 1, vendor: 2 } as const;
const RECIPIENTS = { device: 0, interface: 1, endpoint: 2, other: 3 } as const;

function requestType(setup: USBControlTransferParameters, deviceToHost: boolean): number {
	return (
		(deviceToHost ? 0x80 : 0) |
		(TYPES[setup.requestType as keyof typeof TYPES] << 5) |
		RECIPIENTS[setup.recipient as keyof typeof RECIPIENTS]
	);
}

function bytesOf(data: ArrayBuffer | ArrayBufferView | undefined): Uint8Array {
	if (!data) return new Uint8Array(0);
	if (data instanceof ArrayBuffer) return new Uint8Array(data.slice(0));
	return new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
}

export function recordTransfers(device: USBDevice): { device: USBDevice; log: Transfer[] } {
	const log: Transfer[] = [];
	const proxy = new Proxy(device, {
		get(target, property) {
			if (property === "controlTransferOut") {
				return async (
					setup: USBControlTransferParameters,
					data?: ArrayBuffer | ArrayBufferView,
				) => {
					// node-usb 3 dereferences the data even for zero-length requests (ABORT,
					// CLRSTATUS, leave): hold the core to that, as the real backend does.
					if (data === undefined)
						throw new TypeError("Cannot read properties of undefined (reading 'buffer')");
					const payload = bytesOf(data);
					const entry: Transfer = {
						bmRequestType: requestType(setup, false),
						bRequest: setup.request,
						wValue: setup.value,
						wIndex: setup.index,
						wLength: payload.length,
						data: payload,
						status: "pending",
					};
					log.push(entry);
					const result = await target.controlTransferOut(setup, data);
					entry.status = result.status;
					return result;
				};
			}
			if (property === "controlTransferIn") {
				return async (setup: USBControlTransferParameters, length: number, timeoutMs?: number) => {
					const entry: Transfer = {
						bmRequestType: requestType(setup, true),
						bRequest: setup.request,
						wValue: setup.value,
						wIndex: setup.index,
						wLength: length,
						data: new Uint8Array(0),
						status: "pending",
					};
					log.push(entry);
					// node-usb 3's timeout argument passes through, as to the real backend.
					const result = await (
						target.controlTransferIn as (
							s: USBControlTransferParameters,
							l: number,
							t?: number,
						) => Promise<USBInTransferResult>
					).call(target, setup, length, timeoutMs);
					entry.status = result.status;
					if (result.data) entry.data = bytesOf(result.data);
					return result;
				};
			}
			const value = Reflect.get(target, property, target);
			return typeof value === "function" ? value.bind(target) : value;
		},
	});
	return { device: proxy, log };
}

const hex2 = (n: number) => n.toString(16).padStart(2, "0");
const hex4 = (n: number) => n.toString(16).padStart(4, "0");

/** "21 01 0000 0000 [21 00 00 00 08]" — the form the byte-level tests compare. */
export function formatTransfer(t: Transfer, maxPayload = 8): string {
	const payload = Array.from(t.data.subarray(0, maxPayload), hex2).join(" ");
	const more = t.data.length > maxPayload ? `${payload ? " " : ""}…${t.data.length}` : "";
	const isIn = (t.bmRequestType & 0x80) !== 0;
	return `${hex2(t.bmRequestType)} ${hex2(t.bRequest)} ${hex4(t.wValue)} ${hex4(t.wIndex)}${isIn ? ` len ${t.wLength}` : ""}${t.data.length || !isIn ? ` [${payload}${more}]` : ""}`;
}

/** Only the DFU class requests, formatted (descriptor reads left out). */
export function dfuRequests(log: Transfer[], maxPayload = 8): string[] {
	return log
		.filter((t) => ((t.bmRequestType >> 5) & 3) === 1)
		.map((t) => formatTransfer(t, maxPayload));
}
