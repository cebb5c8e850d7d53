/**
 * Ink 6 keeps two module-level caches that never forget: measure-text.js (a Map from every text
 * it ever measured) and wrap-text.js (an object from every text and width it ever wrapped). Every
 * distinct string the assistant draws (a clock, a progress line, a byte count) stays for the life
 * of the process: a lab machine that flashes boards all day grows without end. Ink 8 bounds them
 * (vadimdemedes/ink#986), but needs Node 22. Until then the bundle bounds them: when a cache
 * holds LIMIT entries it starts again empty (recomputing a width is cheap).
 */
export const LIMIT = 4096;

const EDITS = {
	"measure-text.js": [
		[
			"cache.set(text, dimensions);",
			`if (cache.size >= ${LIMIT}) cache.clear();\n    cache.set(text, dimensions);`,
		],
	],
	"wrap-text.js": [
		["const cache = {};", "let cache = {};\nlet cacheSize = 0;"],
		[
			"cache[cacheKey] = wrappedText;",
			`if (++cacheSize > ${LIMIT}) {\n        cache = {};\n        cacheSize = 1;\n    }\n    cache[cacheKey] = wrappedText;`,
		],
	],
};

/** The files of ink/build this bounds, by name. */
export const BOUNDED_FILES = Object.keys(EDITS);

/** The file's text with its cache bounded; throws when Ink's text is not what the edit expects. */
export function boundInkCache(fileName, text) {
	const edits = EDITS[fileName];
	if (!edits) return text;
	let out = text;
	for (const [from, to] of edits) {
		if (!out.includes(from))
			throw new Error(
				`ink/build/${fileName} changed: '${from}' is not there, so its cache cannot be bounded`,
			);
		out = out.replace(from, to);
	}
	return out;
}
