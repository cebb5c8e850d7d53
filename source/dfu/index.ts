/**
 * The DfuSe core's public surface: open a DFU interface on any WebUSB USBDevice (node-usb's or
 * the simulator's), then flash, read, erase, unprotect, leave or detach. Everything reports
 * through the store as events (events.ts) and waits only on the given Clock.
 */
export {
	DescriptorParseError,
	type DfuInterfaceInfo,
	describeDfuInterface,
	parseConfiguration,
	parseFunctional,
	readConfigurationBytes,
	readString,
} from "./descriptor.js";
export { getCommands } from "./dfuse.js";
export {
	ConfirmationRequiredError,
	DeviceGoneError,
	DfuBusyTimeoutError,
	DfuStatusError,
	DfuTransferError,
	DfuUnsupportedError,
	OperationCancelledError,
	RangeRejectedError,
	VerifyError,
} from "./errors.js";
export {
	type ConfirmedOptions,
	type FlashOptions,
	type FlashResult,
	flashImage,
	flashTargets,
	leave,
	massErase,
	planFor,
	readUnprotect,
} from "./flash.js";
export type { JobStats } from "./job.js";
export {
	attributeLetters,
	contiguousEnd,
	isErasable,
	isReadable,
	isWritable,
	LayoutParseError,
	layoutSize,
	type Page,
	pageAt,
	pagesTouching,
	parseLayout,
	segmentAt,
	segmentEnd,
} from "./layout.js";
export {
	type FlashPlan,
	PlanError,
	type PlanOptions,
	planDownload,
	type WriteBlock,
} from "./plan.js";
export { DfuStallError, DfuTransport } from "./requests.js";
export {
	type BusyLimits,
	DEFAULT_BUSY_LIMITS,
	DfuSession,
	type OpenOptions,
	openDfu,
} from "./session.js";
export {
	DfuState,
	type DfuStatus,
	DfuStatusCode,
	describeStatus,
	parseStatus,
	stateName,
	statusMessage,
	statusName,
} from "./status.js";
export { detach, downloadPlain, type ReadOptions, readMemory, uploadPlain } from "./upload.js";
