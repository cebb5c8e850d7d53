import { LoadAddressRequiredError } from "../image/errors.js";
import type { Image } from "../image/image.js";
import { loadImageBytes } from "../image/load.js";
import { type LinkAddress, rawImageAddress } from "./link-address.js";

/**
 * Pure: an image ready to inspect. A raw binary without an address is placed where its vector
 * table says it was linked (or at 0 when it has none, so that it can still be named); `inferred`
 * says so, and the inspection reports it.
 */
export function inspectableImage(
	bytes: Uint8Array,
	name: string,
	address?: number,
): { image: Image; inferred?: LinkAddress } {
	try {
		return { image: loadImageBytes(bytes, name, address === undefined ? {} : { address }) };
	} catch (error) {
		if (!(error instanceof LoadAddressRequiredError)) throw error;
		const probe = loadImageBytes(bytes, name, { address: 0 });
		const inferred = rawImageAddress(probe.segments[0]!.data);
		return { image: loadImageBytes(bytes, name, { address: inferred.address }), inferred };
	}
}
