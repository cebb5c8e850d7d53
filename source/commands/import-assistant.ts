/**
 * Imports the assistant's module (Ink, React and the screens).
 *
 * yoga-layout, Ink's layout engine, carries its WebAssembly inline and loads it with fetch() of a
 * data: URL whenever a global fetch exists. In Node that first call loads the whole HTTP client
 * (undici), about 35 ms of the assistant's first frame. Without fetch, yoga decodes the same bytes
 * itself. bringup never uses fetch, and puts it back once the module has loaded.
 */
export async function importAssistant(): Promise<typeof import("./app.js")> {
	const fetch = Object.getOwnPropertyDescriptor(globalThis, "fetch");
	Reflect.deleteProperty(globalThis, "fetch");
	try {
		return await import("./app.js");
	} finally {
		if (fetch) Object.defineProperty(globalThis, "fetch", fetch);
	}
}
