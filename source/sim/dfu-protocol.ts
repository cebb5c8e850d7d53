/** DFU 1.1 numbers as the ST loader uses them (docs/dfuse-protocol.md §1a). */

export const DfuRequest = {
	DETACH: 0,
	DNLOAD: 1,
	UPLOAD: 2,
	GETSTATUS: 3,
	CLRSTATUS: 4,
	GETSTATE: 5,
	ABORT: 6,
} as const;

export const DfuState = {
	appIDLE: 0,
	appDETACH: 1,
	dfuIDLE: 2,
	dfuDNLOAD_SYNC: 3,
	dfuDNBUSY: 4,
	dfuDNLOAD_IDLE: 5,
	dfuMANIFEST_SYNC: 6,
	dfuMANIFEST: 7,
	dfuMANIFEST_WAIT_RESET: 8,
	dfuUPLOAD_IDLE: 9,
	dfuERROR: 10,
} as const;
export type DfuStateValue = (typeof DfuState)[keyof typeof DfuState];

export const DfuStatus = {
	OK: 0x00,
	errTARGET: 0x01,
	errFILE: 0x02,
	errWRITE: 0x03,
	errERASE: 0x04,
	errCHECK_ERASED: 0x05,
	errPROG: 0x06,
	errVERIFY: 0x07,
	errADDRESS: 0x08,
	errNOTDONE: 0x09,
	errFIRMWARE: 0x0a,
	errVENDOR: 0x0b,
	errUSBR: 0x0c,
	errPOR: 0x0d,
	errUNKNOWN: 0x0e,
	errSTALLEDPKT: 0x0f,
} as const;
export type DfuStatusValue = (typeof DfuStatus)[keyof typeof DfuStatus];
export type DfuStatusName = keyof typeof DfuStatus;

export function dfuStatusByName(name: string): DfuStatusValue | undefined {
	return (DfuStatus as Record<string, DfuStatusValue>)[name];
}

/** DfuSe command opcodes, first byte of a DNLOAD with wBlockNum 0 (AN3156 / AN2662 §4.5). */
export const DfuseCommand = {
	GET_COMMANDS: 0x00,
	SET_ADDRESS_POINTER: 0x21,
	ERASE: 0x41,
	READ_UNPROTECT: 0x92,
} as const;

/** What the loader answers to "Get commands" (AN2662 p.70: F105/107 returns these four). */
export const SUPPORTED_COMMANDS = Uint8Array.of(0x00, 0x21, 0x41, 0x92);

export const DFU_CLASS_REQUEST_OUT = 0x21;
export const DFU_CLASS_REQUEST_IN = 0xa1;
