/**
 * Time as a seam: the simulator and the DfuSe core both take a Clock, so tests and benchmarks run
 * datasheet timings on a virtual clock in microseconds of real time, and the demo runs them live.
 */
export interface Clock {
	/** Milliseconds; may be fractional. */
	now(): number;
	sleep(ms: number): Promise<void>;
}

export const realClock: Clock = {
	now: () => performance.timeOrigin + performance.now(),
	sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
};

/**
 * A clock that only moves when someone sleeps on it. Sleeps resolve in due-time order, so two
 * concurrent sleepers see the same ordering they would on a real clock.
 */
export class VirtualClock implements Clock {
	private time: number;
	private readonly waiting: { due: number; resolve: () => void }[] = [];
	private draining = false;

	constructor(start = 0) {
		this.time = start;
	}

	now(): number {
		return this.time;
	}

	/** Moves time forward without waking sleepers early; used for modelled bus time. */
	advance(ms: number): void {
		if (ms > 0) this.time += ms;
	}

	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			this.waiting.push({ due: this.time + Math.max(0, ms), resolve });
			this.waiting.sort((a, b) => a.due - b.due);
			this.schedule();
		});
	}

	private schedule(): void {
		if (this.draining) return;
		this.draining = true;
		// A macrotask boundary lets every sleeper that is about to be registered in this turn join
		// the queue before the earliest one wakes.
		setImmediate(() => {
			this.draining = false;
			const next = this.waiting.shift();
			if (!next) return;
			this.time = Math.max(this.time, next.due);
			next.resolve();
			if (this.waiting.length > 0) this.schedule();
		});
	}
}
