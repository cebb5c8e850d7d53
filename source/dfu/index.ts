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
export { detach } from "./detach.js";
export {
	DEVICE_FEATURE_ADDRESS,
	setVoltageRange,
	VoltageRange,
	type VoltageRangeCode,
} from "./device-feature.js";
export { getCommands, writeDataBlock } from "./dfuse.js";
export { type ConfirmedOptions, massErase, readUnprotect } from "./erase-all.js";
export {
	ConfirmationRequiredError,
	DeviceBusyError,
	DeviceGoneError,
	DevicePermissionError,
	DfuBusyTimeoutError,
	DfuStatusError,
	DfuTransferError,
	DfuUnsupportedError,
	InterruptedError,
	OperationCancelledError,
	RangeRejectedError,
	VerifyError,
} from "./errors.js";
export {
	type FlashOptions,
	type FlashResult,
	flashImage,
	flashTargets,
	planFor,
	planTarget,
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
export { leave, leaveTo } from "./leave.js";
export { downloadPlain, type PlainDownloadOptions, uploadPlain } from "./plain-dfu.js";
export {
	compareRanges,
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
export { type ReadOptions, readMemory, readRange } from "./upload.js";
