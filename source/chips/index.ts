export {
	allParts,
	bootloaderIdAddress,
	chipByName,
	chipFpu,
	chipMaxFlash,
	chipNames,
	chipOf,
	chipRam,
	chipVectorCount,
	FAMILIES,
	familyByName,
	peripheralAddress,
} from "./catalog.js";
export { chipForGuess } from "./chip-for-guess.js";
export { type DeviceInfoAddresses, deviceInfoAddresses } from "./device-info.js";
export { type IdentifyInput, identify } from "./identify.js";
export { layoutSignature, layoutStart, readLayout, sameLayoutText } from "./layout-signature.js";
export type * from "./types.js";
