/**
 * The chip's memories as the loader sees them: flash (erased = 0xFF, programming can only clear
 * bits), option bytes, OTP (program only), the Device Feature word, RAM and the read-only system
 * memory holding the bootloader ID byte. No protocol here; the loader decides what is allowed.
 */
import { type RdpLevel, rdpLevelOf } from "./option-bytes.js";
import {
	type AddressRun,
	type ChipProfile,
	flashSize,
	type Parallelism,
	sectorAt,
} from "./profiles.js";

export type MemoryKind =
	| "flash"
	| "option-bytes"
	| "otp"
	| "device-feature"
	| "eeprom"
	| "ram"
	| "system";

export interface Location {
	kind: MemoryKind;
	/** Which run of that memory (dual-bank OB/OTP, several RAMs). */
	run: number;
	/** Offset of the address inside that run. */
	offset: number;
	/** Bytes from the address to the end of the run. */
	remaining: number;
}

function locate(runs: readonly AddressRun[], address: number) {
	for (let run = 0; run < runs.length; run++) {
		const r = runs[run]!;
		if (address >= r.address && address < r.address + r.size)
			return { run, offset: address - r.address, remaining: r.address + r.size - address };
	}
	return undefined;
}

export class Chip {
	readonly profile: ChipProfile;
	readonly uid: [number, number, number];
	readonly flash: Uint8Array;
	optionBytes: Uint8Array[];
	readonly otp: Uint8Array[];
	/** L0 data EEPROM: erased bytes read 0x00 (RM0377 §3.3.4). */
	readonly eeprom: Uint8Array[];
	readonly deviceFeature = Uint8Array.of(0x00, 0xff, 0xff, 0xff);
	private readonly ram: (Uint8Array | undefined)[];
	private readonly system: Uint8Array;

	constructor(profile: ChipProfile, uid: [number, number, number] = profile.uid.words) {
		this.profile = profile;
		this.uid = uid;
		this.flash = new Uint8Array(flashSize(profile)).fill(this.erasedByte);
		this.optionBytes = profile.optionBytes.defaults();
		this.otp = this.runsOf("otp").map((r) => new Uint8Array(r.size).fill(0xff));
		this.eeprom = this.runsOf("eeprom").map((r) => new Uint8Array(r.size));
		this.ram = profile.ram.map(() => undefined);
		this.system = systemMemoryImage(profile);
	}

	runsOf(kind: MemoryKind): readonly AddressRun[] {
		switch (kind) {
			case "flash":
				return [{ address: this.profile.flash.base, size: this.flash.length }];
			case "ram":
				return this.profile.ram;
			case "system":
				return [this.profile.systemMemory];
			default:
				return this.profile.alts.find((a) => a.kind === kind)?.runs ?? [];
		}
	}

	/** Where `address` lives, or undefined if no memory is mapped there. */
	locate(address: number): Location | undefined {
		for (const kind of [
			"flash",
			"ram",
			"system",
			"option-bytes",
			"otp",
			"device-feature",
			"eeprom",
		] as MemoryKind[]) {
			const at = locate(this.runsOf(kind), address);
			if (at) return { kind, ...at };
		}
		return undefined;
	}

	private bytesOf(location: Location): Uint8Array {
		switch (location.kind) {
			case "flash":
				return this.flash;
			case "option-bytes":
				return this.optionBytes[location.run]!;
			case "otp":
				return this.otp[location.run]!;
			case "device-feature":
				return this.deviceFeature;
			case "eeprom":
				return this.eeprom[location.run]!;
			case "system":
				return this.system;
			case "ram": {
				let bytes = this.ram[location.run];
				if (!bytes) {
					// SRAM content at power-up is undefined; zero keeps runs reproducible.
					bytes = new Uint8Array(this.profile.ram[location.run]!.size);
					this.ram[location.run] = bytes;
				}
				return bytes;
			}
		}
	}

	/** Raw read, no protection applied: what the memory holds. Unmapped bytes read as 0x00. */
	read(address: number, length: number): Uint8Array {
		const out = new Uint8Array(length);
		let done = 0;
		while (done < length) {
			const at = this.locate(address + done);
			if (!at) {
				done++;
				continue;
			}
			const count = Math.min(at.remaining, length - done);
			out.set(this.bytesOf(at).subarray(at.offset, at.offset + count), done);
			done += count;
		}
		return out;
	}

	/**
	 * Programs `data` at `address` inside one memory. Flash and OTP can only clear bits (the
	 * result is old AND new); write-protected flash sectors keep their content. RAM and the
	 * Device Feature word are plain writes. Returns the bytes that went to unprotected flash.
	 */
	program(address: number, data: Uint8Array): { programmedBytes: number } {
		const at = this.locate(address);
		if (!at || at.remaining < data.length) throw new RangeError("program outside one memory");
		const bytes = this.bytesOf(at);
		if (at.kind === "otp") {
			for (let i = 0; i < data.length; i++) bytes[at.offset + i]! &= data[i]!;
			return { programmedBytes: data.length };
		}
		if (at.kind === "flash") {
			let programmedBytes = 0;
			let i = 0;
			while (i < data.length) {
				const sector = sectorAt(this.profile, address + i)!;
				const end = Math.min(data.length, sector.start + sector.size - address);
				if (!this.profile.optionBytes.isWriteProtected(this.optionBytes, sector.index)) {
					if (this.erasedByte === 0)
						for (let j = i; j < end; j++) bytes[at.offset + j]! |= data[j]!;
					else for (let j = i; j < end; j++) bytes[at.offset + j]! &= data[j]!;
					programmedBytes += end - i;
				}
				i = end;
			}
			return { programmedBytes };
		}
		bytes.set(data, at.offset);
		return { programmedBytes: 0 };
	}

	/** Test hook: sets bytes directly (flash included), bypassing program/erase rules. */
	poke(address: number, data: Uint8Array): void {
		let done = 0;
		while (done < data.length) {
			const at = this.locate(address + done);
			if (!at) throw new RangeError(`nothing mapped at 0x${(address + done).toString(16)}`);
			const count = Math.min(at.remaining, data.length - done);
			this.bytesOf(at).set(data.subarray(done, done + count), at.offset);
			done += count;
		}
	}

	/**
	 * G4/L4 rule (RM0440 §3.3.7, PROGERR): a double word can only be programmed while it still
	 * reads all 0xFF, unless the new value is all zeros. True when `data` at `address` would break it.
	 */
	wouldFailVirginCheck(address: number, data: Uint8Array): boolean {
		const unit = this.profile.flash.programUnitMustBeErased;
		if (!unit) return false;
		const first = address - (address % unit);
		for (let start = first; start < address + data.length; start += unit) {
			const old = this.read(start, unit);
			if (old.every((b) => b === 0xff)) continue;
			const from = Math.max(start, address);
			const to = Math.min(start + unit, address + data.length);
			if (!data.subarray(from - address, to - address).every((b) => b === 0)) return true;
		}
		return false;
	}

	isWriteProtected(address: number): boolean {
		const sector = sectorAt(this.profile, address);
		return sector
			? this.profile.optionBytes.isWriteProtected(this.optionBytes, sector.index)
			: false;
	}

	/** Erases one sector unless it is write-protected; returns whether it was erased. */
	eraseSector(index: number): boolean {
		if (this.profile.optionBytes.isWriteProtected(this.optionBytes, index)) return false;
		let start = 0;
		for (let i = 0; i < index; i++) start += this.profile.flash.sectors[i]!;
		this.flash.fill(this.erasedByte, start, start + this.profile.flash.sectors[index]!);
		return true;
	}

	/** Erases every sector that is not write-protected. */
	massErase(): void {
		for (let index = 0; index < this.profile.flash.sectors.length; index++) this.eraseSector(index);
	}

	/**
	 * What an erased flash byte reads: 0xFF, or 0x00 on L0 (RM0377 §3.3.4), where programming
	 * can then only set bits.
	 */
	get erasedByte(): number {
		return this.profile.flash.erasedValue ?? 0xff;
	}

	/** Erases the whole flash, write protection or not (RDP 1 → 0). */
	eraseAll(): void {
		this.flash.fill(this.erasedByte);
	}

	rdpLevel(): RdpLevel {
		return rdpLevelOf(this.profile.optionBytes.rdpByte(this.optionBytes));
	}

	hardwareWatchdog(): boolean {
		return this.profile.optionBytes.hardwareWatchdog(this.optionBytes);
	}

	/**
	 * Program/erase parallelism: on F4/F7 the loader programs byte-wise until the host writes the
	 * voltage range to the Device Feature word (AN2606 Table 4: 0x00 1.8-2.1 V, 0x01 2.1-2.4 V,
	 * 0x02 2.4-2.7 V, 0x03 2.7-3.6 V, 0x04 2.7-3.6 V with VPP), mapped to RM0090 Table 8.
	 */
	parallelism(): Parallelism {
		const timing = this.profile.timing;
		if (this.profile.family !== "F4" && this.profile.family !== "F7")
			return timing.defaultParallelism;
		const wanted: Parallelism[] = [8, 16, 16, 32, 64];
		let p = wanted[this.deviceFeature[0]!] ?? timing.defaultParallelism;
		// Fall back to the widest parallelism the timing table knows.
		while (!timing.rows[p] && p > 8) p = (p / 2) as Parallelism;
		return timing.rows[p] ? p : timing.defaultParallelism;
	}
}

/**
 * A stand-in for the ROM code: deterministic bytes (so reads are reproducible) with the
 * bootloader ID at its AN2606 location.
 */
function systemMemoryImage(profile: ChipProfile): Uint8Array {
	const bytes = new Uint8Array(profile.systemMemory.size);
	let seed = 0x2545f491;
	for (let i = 0; i < bytes.length; i++) {
		seed ^= seed << 13;
		seed ^= seed >>> 17;
		seed ^= seed << 5;
		bytes[i] = seed & 0xff;
	}
	const id = profile.bootloaderId;
	const at = id ? id.address - profile.systemMemory.address : -1;
	if (id && at >= 0 && at < bytes.length) bytes[at] = id.value;
	return bytes;
}
