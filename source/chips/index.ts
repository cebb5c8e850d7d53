export {
	allParts,
	bootloaderIdAddress,
	chipByName,
	chipCore,
	chipFlashBase,
	chipFpu,
	chipMaxFlash,
	chipNames,
	chipOf,
	chipPeripheralAddress,
	chipRam,
	chipVectorCount,
	chipWriteSize,
	FAMILIES,
	familyByName,
} from "./catalog.js";
export { chipForGuess, resolveGuess } from "./chip-for-guess.js";
export { chipParts } from "./generated-facts.js";
export { type IdentifyInput, identify } from "./identify.js";
export { layoutSignature, layoutStart, readLayout, sameLayoutText } from "./layout-signature.js";
export { resolveChip } from "./resolve-chip.js";
export {
	chipData,
	chipDataIfLoaded,
	loadChipData,
	type Stm32Data,
	type Stm32DataSource,
	type Stm32Selection,
} from "./stm32-data.js";
export { type ChipIndex, type IndexedPart, loadChipIndex } from "./stm32-index.js";
export type * from "./stm32-part.js";
export { coreRegisters, peripheralAt } from "./stm32-part.js";
export type * from "./types.js";
export { UnknownChipError } from "./unknown-chip-error.js";
export { DEFAULT_WRITE_UNIT, flashWriteUnit } from "./write-unit.js";
