import { createServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";

let busy: Server | undefined;
afterEach(async () => {
	await new Promise((resolve) => (busy ? busy.close(resolve) : resolve(undefined)));
	busy = undefined;
});

describe("bringup sim --usbip --listen", () => {
	it("says a port in use is in use, and which flag picks another (exit 2)", async () => {
		const server = createServer();
		busy = server;
		await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
		const port = (server.address() as { port: number }).port;
		const r = await runCli("sim", "--usbip", "--listen", `127.0.0.1:${port}`);
		expect(r.code).toBe(2);
		expect(r.stderr).toContain(
			`error: cannot listen on 127.0.0.1:${port}: another program already uses that port (EADDRINUSE)`,
		);
		expect(r.stderr).toContain(`--listen 127.0.0.1:${port + 1}`);
	});

	it("says an address this machine does not have is not one of its addresses, and nothing else (exit 2)", async () => {
		const r = await runCli("sim", "--usbip", "--listen", "192.0.2.1:3240");
		expect(r.code).toBe(2);
		expect(r.stderr).toBe(
			'error: --listen 192.0.2.1:3240: "192.0.2.1" is not an address of this machine (EADDRNOTAVAIL)\n  what to try: Give HOST:PORT with an address this machine has, e.g. --listen 127.0.0.1:3240.\n',
		);
	});

	it("says a host name this machine does not have is not an address (exit 2)", async () => {
		const r = await runCli("sim", "--usbip", "--listen", "garbage.invalid:0");
		expect(r.code).toBe(2);
		expect(r.stderr).toMatch(
			/^error: --listen garbage\.invalid:0: "garbage\.invalid" is not an address of this machine \((ENOTFOUND|EAI_AGAIN)\)$/m,
		);
	}, 60_000); // a name lookup, which a machine without DNS answers only after its resolver's timeout
});
