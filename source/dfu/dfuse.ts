/**
 * ST DfuSe commands on the command channel (DNLOAD with wBlockNum 0): Set Address Pointer (0x21),
 * page erase and mass erase (0x41), Read Unprotect (0x92), and Get Commands (UPLOAD block 0).
 * A command runs when the host sends GETSTATUS: the first reply must be dfuDNBUSY, the host waits
 * the bwPollTimeout it carries, and the next reply gives the result (AN2662 §4.5).
 */
import { hex } from "../errors.js";
import { DfuStatusError, type FailureSite } from "./errors.js";
import type { DfuSession } from "./session.js";
import { WedgedError } from "./session.js";
import { DfuState, type DfuStatus } from "./status.js";

export const DfuseOpcode = {
	GET_COMMANDS: 0x00,
	SET_ADDRESS: 0x21,
	ERASE: 0x41,
	READ_UNPROTECT: 0x92,
} as const;

function withAddress(opcode: number, address: number): Uint8Array {
	const out = new Uint8Array(5);
	out[0] = opcode;
	new DataView(out.buffer).setUint32(1, address >>> 0, true);
	return out;
}

export function setAddressPayload(address: number): Uint8Array {
	return withAddress(DfuseOpcode.SET_ADDRESS, address);
}

export function erasePagePayload(address: number): Uint8Array {
	return withAddress(DfuseOpcode.ERASE, address);
}

export const MASS_ERASE_PAYLOAD = Uint8Array.of(DfuseOpcode.ERASE);
export const READ_UNPROTECT_PAYLOAD = Uint8Array.of(DfuseOpcode.READ_UNPROTECT);

/** How many times a wedged step is recovered (CLRSTATUS/ABORT to dfuIDLE) and sent again. */
const WEDGE_RETRIES = 1;

/**
 * Gets a wedged device (H7 Rev.V erase: dfuDNBUSY long after the reported delay) back to dfuIDLE:
 * CLRSTATUS (STM32CubeProgrammer's fix, the first answer is often dfuERROR/errUNKNOWN), then
 * whatever `ensureIdle` needs (another CLRSTATUS, or ABORT).
 */
export async function recoverWedge(
	session: DfuSession,
	site: FailureSite,
	waitedMs: number,
	retrying: boolean,
) {
	session.log(
		"warn",
		`${site.operation}${site.address !== undefined ? ` at ${hex(site.address)}` : ""}: device stayed dfuDNBUSY for ${Math.round(waitedMs)} ms; recovering with CLRSTATUS/ABORT${retrying ? " and retrying" : ""}`,
	);
	await session.clearStatusTolerant(site);
	// Loaders that stall CLRSTATUS outside dfuERROR (STM32C5) stay busy: ABORT ends that.
	const after = await session.transport.getStatus(site);
	if (after.state === DfuState.dfuDNBUSY || after.state === DfuState.dfuDNLOAD_SYNC)
		await session.transport.abort(site);
	await session.ensureIdle(site);
}

/**
 * Runs `attempt` and, if the device wedges in dfuDNBUSY, recovers and runs it again (once). A
 * second wedge is recovered too and then either handed to `afterRepeatedWedge` (erase: the H7
 * loader has erased the sector even though it never says so, and STM32CubeProgrammer treats it
 * as done) or reported as DfuBusyTimeoutError.
 */
export async function withWedgeRecovery<T>(
	session: DfuSession,
	site: FailureSite,
	attempt: () => Promise<T>,
	afterRepeatedWedge?: () => T,
	retries = WEDGE_RETRIES,
): Promise<T> {
	for (let tries = 0; ; tries++) {
		try {
			return await attempt();
		} catch (error) {
			if (!(error instanceof WedgedError)) throw error;
			const last = tries >= retries;
			if (last && !afterRepeatedWedge) throw error;
			await recoverWedge(session, site, error.waitedMs, !last);
			if (last && afterRepeatedWedge) return afterRepeatedWedge();
		}
	}
}

/** Sends one command and runs it with the GETSTATUS double poll; returns the final status. */
async function commandOnce(
	session: DfuSession,
	payload: Uint8Array,
	site: FailureSite,
	limitMs: number,
): Promise<DfuStatus> {
	const t = session.transport;
	await t.dnload(0, payload, site);
	const first = await t.getStatus(site);
	if (first.state === DfuState.dfuERROR || first.status !== 0)
		throw new DfuStatusError(site, first);
	if (first.state !== DfuState.dfuDNBUSY) throw new DfuStatusError(site, first, "dfuDNBUSY");
	const final = await session.pollWhileBusy(first, site, limitMs);
	if (final.state === DfuState.dfuERROR || final.status !== 0)
		throw new DfuStatusError(site, final);
	if (final.state !== DfuState.dfuDNLOAD_IDLE && final.state !== DfuState.dfuIDLE)
		throw new DfuStatusError(site, final, "dfuDNLOAD-IDLE");
	return final;
}

/** A DfuSe command with wedge recovery; `limitMs` bounds how long dfuDNBUSY is plausible. */
export function dfuseCommand(
	session: DfuSession,
	payload: Uint8Array,
	site: FailureSite,
	limitMs = session.busyLimits.command,
	afterRepeatedWedge?: () => DfuStatus,
): Promise<DfuStatus> {
	return withWedgeRecovery(
		session,
		site,
		() => commandOnce(session, payload, site, limitMs),
		afterRepeatedWedge,
	);
}

export function setAddress(session: DfuSession, address: number): Promise<DfuStatus> {
	return dfuseCommand(session, setAddressPayload(address), { operation: "set address", address });
}

/**
 * Page erase. A device whose erase wedged even after a retry has the H7 Rev.V quirk; from then on
 * its wedged erases are recovered and accepted at once instead of paying for a retry each time.
 */
export function erasePage(
	session: DfuSession,
	address: number,
	site: FailureSite = { operation: "erase of sector", address },
	/** Told when the erase is taken as done without the device confirming it. */
	onAssumed?: () => void,
): Promise<DfuStatus> {
	const accept = (): DfuStatus => {
		session.log(
			"warn",
			`${site.operation} at ${hex(address)}: treated as erased after the device wedged${session.eraseWedges ? "" : " twice"}; what is written there is read back`,
		);
		session.eraseWedges = true;
		onAssumed?.();
		return { status: 0, pollTimeout: 0, state: DfuState.dfuIDLE, iString: 0 };
	};
	return withWedgeRecovery(
		session,
		site,
		() => commandOnce(session, erasePagePayload(address), site, session.busyLimits.erase),
		accept,
		session.eraseWedges ? 0 : WEDGE_RETRIES,
	);
}

export function massEraseCommand(session: DfuSession): Promise<DfuStatus> {
	return dfuseCommand(
		session,
		MASS_ERASE_PAYLOAD,
		{ operation: "mass erase" },
		session.busyLimits.massErase,
	);
}

/**
 * Read Unprotect: after the first GETSTATUS (dfuDNBUSY) the chip mass-erases and resets by
 * itself, so the host does not poll again. A device that is already gone at that GETSTATUS has
 * done the same.
 */
export async function readUnprotectCommand(session: DfuSession): Promise<DfuStatus | undefined> {
	const site = { operation: "read unprotect" };
	const t = session.transport;
	await t.dnload(0, READ_UNPROTECT_PAYLOAD, site);
	const first = await t.getStatus(site);
	if (first.state === DfuState.dfuERROR || first.status !== 0)
		throw new DfuStatusError(site, first);
	if (first.state !== DfuState.dfuDNBUSY) throw new DfuStatusError(site, first, "dfuDNBUSY");
	return first;
}

/** Get Commands (UPLOAD wBlockNum 0 from dfuIDLE): the opcodes the loader supports. */
export async function getCommands(session: DfuSession): Promise<number[]> {
	const site = { operation: "get commands" };
	await session.ensureIdle(site);
	const bytes = await session.transport.upload(0, session.transferSize, site);
	await session.ensureIdle(site);
	return [...bytes];
}

/**
 * One data block (wBlockNum >= 2): DNLOAD then GETSTATUS until it leaves dfuDNBUSY. With
 * `resetsAfter` (option bytes) it returns at the dfuDNBUSY reply: the chip resets after that.
 */
export async function writeDataBlock(
	session: DfuSession,
	blockNum: number,
	data: Uint8Array,
	site: FailureSite,
	resetsAfter = false,
): Promise<void> {
	const t = session.transport;
	await t.dnload(blockNum, data, site);
	const first = await t.getStatus(site);
	if (resetsAfter && first.state === DfuState.dfuDNBUSY) return;
	const final = await session.pollWhileBusy(first, site, session.busyLimits.command);
	if (final.state === DfuState.dfuERROR || final.status !== 0)
		throw new DfuStatusError(site, final);
	if (final.state !== DfuState.dfuDNLOAD_IDLE)
		throw new DfuStatusError(site, final, "dfuDNLOAD-IDLE");
}
