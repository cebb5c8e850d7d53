/**
 * A small scripted DfuSe device for byte-level tests of the core, independent of the full
 * simulator: F4-style descriptors, the DfuSe command channel with the double GETSTATUS, a flash
 * array, and hooks to script odd replies. It implements only the USBDevice members the core uses.
 */
const LAYOUTS = [
	"@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg",
	"@Option Bytes  /0x1FFFC000/01*016 e",
];
const FLASH_BASE = 0x08000000;
const FLASH_SIZE = 1024 * 1024;

export interface FakeOptions {
	transferSize?: number;
	/** bwPollTimeout reported for a busy command or block. */
	busyMs?: number;
	/** Replace the reply to a GETSTATUS: return a 6-byte record, or undefined to answer normally. */
	statusHook?: (count: number, normal: Uint8Array) => Uint8Array | undefined;
	/** Start in dfuERROR/errFIRMWARE, like the captured F4 Discovery. */
	errorOnEntry?: boolean;
	/** The status that dfuERROR on entry carries (default errFIRMWARE, 0x0a). */
	entryStatus?: number;
	/** Make a transfer throw as if the device vanished; `n` counts every control transfer from 1. */
	goneAtTransfer?: number;
	dfuVersion?: number;
	/** This control transfer (counted from 1) never completes, like a hung device. */
	hangAtTransfer?: number;
	/** GETSTATUS numbers (from 1) answered with a STALL, as L4 loaders do while erasing. */
	stallGetStatus?: number[];
	/** Interface protocol: 2 DFU mode (default), 1 run-time. */
	protocol?: number;
	/** bmAttributes of the functional descriptor (default 0x0b, as the ST ROM). */
	attributes?: number;
}

function configuration(
	transferSize: number,
	dfuVersion: number,
	protocol: number,
	attributes: number,
): Uint8Array {
	const alts = LAYOUTS.map((_, i) => [9, 4, 0, i, 0, 0xfe, 0x01, protocol, 4 + i]);
	const functional = [
		9,
		0x21,
		attributes,
		0xff,
		0,
		transferSize & 0xff,
		transferSize >> 8,
		dfuVersion & 0xff,
		dfuVersion >> 8,
	];
	const body = [...alts.flat(), ...functional];
	const total = 9 + body.length;
	return Uint8Array.from([9, 2, total & 0xff, total >> 8, 1, 1, 0, 0xc0, 50, ...body]);
}

function stringDescriptor(text: string): Uint8Array {
	const out = new Uint8Array(2 + text.length * 2);
	out[0] = out.length;
	out[1] = 3;
	for (let i = 0; i < text.length; i++) out[2 + i * 2] = text.charCodeAt(i);
	return out;
}

export class FakeDfuseDevice {
	readonly flash = new Uint8Array(FLASH_SIZE).fill(0xff);
	readonly erased: number[] = [];
	opened = false;
	configuration: { configurationValue: number } | null = null;
	readonly vendorId = 0x0483;
	readonly productId = 0xdf11;
	readonly serialNumber = "FAKE";
	state = 2;
	status = 0;
	private pointer = FLASH_BASE;
	private pending?: { block: number; data: Uint8Array };
	private transfers = 0;
	private getStatusCount = 0;
	private readonly ts: number;
	private readonly config: Uint8Array;
	left?: number;
	readonly blocks: number[] = [];
	detachedWith?: number;
	resets = 0;

	private get tolerant(): boolean {
		return ((this.options.attributes ?? 0x0b) & 4) !== 0;
	}

	private get plain(): boolean {
		return (this.options.dfuVersion ?? 0x011a) !== 0x011a;
	}

	constructor(private readonly options: FakeOptions = {}) {
		this.ts = options.transferSize ?? 2048;
		this.config = configuration(
			this.ts,
			options.dfuVersion ?? 0x011a,
			options.protocol ?? 2,
			options.attributes ?? 0x0b,
		);
		if (options.protocol === 1) this.state = 0;
		if (options.errorOnEntry) {
			this.state = 10;
			this.status = options.entryStatus ?? 10;
		}
	}

	asUSBDevice(): USBDevice {
		return this as unknown as USBDevice;
	}

	async open() {
		this.opened = true;
	}
	async close() {
		this.opened = false;
	}
	async selectConfiguration(value: number) {
		this.configuration = { configurationValue: value };
	}
	async claimInterface() {}
	async releaseInterface() {}
	async selectAlternateInterface() {}
	async reset() {
		this.resets++;
	}

	private count(): Promise<never> | undefined {
		this.transfers++;
		if (this.options.hangAtTransfer === this.transfers) return new Promise<never>(() => {});
		if (this.options.goneAtTransfer === this.transfers) {
			this.opened = false;
			throw new Error("LIBUSB_ERROR_NO_DEVICE");
		}
		if (!this.opened) throw new Error("LIBUSB_ERROR_NO_DEVICE");
		return undefined;
	}

	private fail(): USBOutTransferResult & USBInTransferResult {
		this.state = 10;
		this.status = 0x0f;
		return { status: "stall", bytesWritten: 0 } as USBOutTransferResult & USBInTransferResult;
	}

	/** The timeout (third argument, as node-usb 3 takes it) each GETSTATUS came with. */
	readonly getStatusTimeouts: (number | undefined)[] = [];

	async controlTransferIn(
		setup: USBControlTransferParameters,
		length: number,
		timeoutMs?: number,
	): Promise<USBInTransferResult> {
		if (setup.requestType === "class" && setup.request === 3)
			this.getStatusTimeouts.push(timeoutMs);
		const hung = this.count();
		if (hung) return hung;
		const reply = (bytes: Uint8Array): USBInTransferResult => ({
			status: "ok",
			data: new DataView(bytes.buffer, bytes.byteOffset, Math.min(length, bytes.length)),
		});
		if (setup.requestType === "standard" && setup.request === 6) {
			const type = setup.value >> 8;
			const index = setup.value & 0xff;
			if (type === 2) return reply(this.config);
			if (type === 3)
				return reply(stringDescriptor(index >= 4 ? LAYOUTS[index - 4]! : "STM32  BOOTLOADER"));
			return this.fail();
		}
		if (setup.request === 3) {
			if (this.options.stallGetStatus?.includes(this.getStatusCount + 1)) {
				this.getStatusCount++;
				return { status: "stall" };
			}
			return reply(this.getStatus());
		}
		if (setup.request === 5) return reply(Uint8Array.of(this.state));
		if (setup.request === 2) {
			if (this.state !== 2 && this.state !== 9) return this.fail();
			if (setup.value === 0 && !this.plain) return reply(Uint8Array.of(0x00, 0x21, 0x41, 0x92));
			const address = this.plain
				? setup.value * this.ts
				: (setup.value - 2) * this.ts + this.pointer - FLASH_BASE;
			this.state = 9;
			const data = this.flash.slice(address, Math.min(FLASH_SIZE, address + length));
			if (data.length < length) this.state = 2;
			return reply(data);
		}
		return this.fail();
	}

	private record(busy: boolean): Uint8Array {
		const ms = busy ? (this.options.busyMs ?? 5) : 0;
		return Uint8Array.of(this.status, ms & 0xff, (ms >> 8) & 0xff, ms >> 16, this.state, 0);
	}

	private getStatus(): Uint8Array {
		this.getStatusCount++;
		let normal: Uint8Array;
		if (this.state === 3) {
			this.state = 4;
			normal = this.record(true);
		} else if (this.state === 4) {
			this.execute();
			normal = this.record(false);
		} else if (this.state === 6) {
			this.state = 7;
			normal = this.record(false);
			if (!this.tolerant) {
				this.left = this.pointer;
				this.opened = false;
			}
		} else if (this.state === 7) {
			this.state = 2;
			normal = this.record(false);
		} else normal = this.record(false);
		const hooked = this.options.statusHook?.(this.getStatusCount, normal);
		if (hooked) {
			this.state = hooked[4]!;
			this.status = hooked[0]!;
			return hooked;
		}
		return normal;
	}

	private execute() {
		const p = this.pending;
		this.pending = undefined;
		this.state = 5;
		// A scripted extra dfuDNBUSY has nothing left to run.
		if (!p) return;
		if (this.plain) {
			this.flash.set(p.data, p.block * this.ts);
			this.blocks.push(p.block);
			return;
		}
		if (p.block === 0) {
			const op = p.data[0];
			const address =
				p.data.length === 5
					? new DataView(p.data.buffer, p.data.byteOffset).getUint32(1, true)
					: undefined;
			if (op === 0x21 && address !== undefined) this.pointer = address;
			else if (op === 0x41 && address !== undefined) {
				this.erased.push(address);
				const sector = sectorOf(address);
				if (sector)
					this.flash.fill(0xff, sector[0] - FLASH_BASE, sector[0] + sector[1] - FLASH_BASE);
			} else if (op === 0x41) this.flash.fill(0xff);
			return;
		}
		const at = (p.block - 2) * this.ts + this.pointer - FLASH_BASE;
		for (let i = 0; i < p.data.length; i++) this.flash[at + i]! &= p.data[i]!;
	}

	async controlTransferOut(
		setup: USBControlTransferParameters,
		data?: ArrayBuffer | ArrayBufferView,
	): Promise<USBOutTransferResult> {
		const hung = this.count();
		if (hung) return hung;
		const ok: USBOutTransferResult = {
			status: "ok",
			bytesWritten: data ? (data as Uint8Array).byteLength : 0,
		};
		switch (setup.request) {
			case 1: {
				const bytes = data ? new Uint8Array((data as Uint8Array).slice()) : new Uint8Array(0);
				if (this.state !== 2 && this.state !== 5) return this.fail();
				if (bytes.length === 0) {
					this.state = 6;
					return ok;
				}
				this.pending = { block: setup.value, data: bytes };
				this.state = 3;
				return ok;
			}
			case 4:
				if (this.state === 10) {
					this.state = 2;
					this.status = 0;
				}
				return ok;
			case 6:
				this.state = 2;
				this.status = 0;
				return ok;
			case 0:
				this.detachedWith = setup.value;
				this.state = 1;
				return ok;
			default:
				return this.fail();
		}
	}
}

function sectorOf(address: number): [number, number] | undefined {
	const off = address - FLASH_BASE;
	if (off < 0 || off >= FLASH_SIZE) return undefined;
	if (off < 0x10000) return [FLASH_BASE + (off & ~0x3fff), 0x4000];
	if (off < 0x20000) return [FLASH_BASE + 0x10000, 0x10000];
	return [FLASH_BASE + (off & ~0x1ffff), 0x20000];
}
