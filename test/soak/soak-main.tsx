/**
 * The soak in a process of its own, as the CLI runs the assistant (React's production build, the
 * compiled screens): node --expose-gc soak-main.mjs SEED KEYS [EVERY]. Prints one JSON line per
 * progress report, every EVERY actions ({"progress": figures}), and a last one, {"ok": true,
 * figures} or {"ok": false, error, figures}. SOAK_DEBUG=1 shows on stderr the frame of every
 * flash the soak gave up on.
 */
import { SoakFailure, soak } from "./soak-run.js";

const [seed, keys, every] = process.argv.slice(2).map(Number);
const line = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
try {
	const figures = await soak({
		seed: seed!,
		keys: keys!,
		...(every ? { every, progress: (f) => line({ progress: f }) } : {}),
	});
	line({ ok: true, figures });
} catch (error) {
	line({
		ok: false,
		error: error instanceof Error ? error.message : String(error),
		...(error instanceof SoakFailure ? { figures: error.figures } : {}),
	});
	process.exitCode = 1;
}
