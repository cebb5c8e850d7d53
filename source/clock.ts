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
 * Cancellable timers on some clock's time, for work nobody awaits: the screens' frame throttle,
 * the device poll. The real ones are setTimeout; a VirtualClock's run on its own time.
 */
export interface Timers {
	now(): number;
	set(callback: () => void, ms: number): unknown;
	clear(handle: unknown): void;
}

export const realTimers: Timers = {
	now: () => performance.now(),
	set: (callback, ms) => setTimeout(callback, ms),
	clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface VirtualClockOptions {
	/**
	 * Time moves only when the owner says so (step(), advance()), never by itself: a test that
	 * plays a user lets time pass between the keys, and whatever the program does in between
	 * happens at one instant, as on an infinitely fast machine.
	 */
	manual?: boolean;
}

interface Waiter {
	due: number;
	wake: () => void;
}

/**
 * A clock that only moves when someone sleeps on it. Sleeps resolve in due-time order, so two
 * concurrent sleepers see the same ordering they would on a real clock. A manual one moves only
 * when stepped (see VirtualClockOptions).
 */
export class VirtualClock implements Clock {
	private time: number;
	/** By due time; equal due times keep the order they were set in. */
	private readonly waiting: Waiter[] = [];
	private draining = false;
	private readonly manual: boolean;

	constructor(start = 0, options: VirtualClockOptions = {}) {
		this.time = start;
		this.manual = options.manual ?? false;
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
			this.add(ms, resolve);
		});
	}

	/** Calls `callback` once `ms` have passed on this clock, unless `clearTimer` came first. */
	setTimer(ms: number, callback: () => void): object {
		return this.add(ms, callback);
	}

	clearTimer(handle: unknown): void {
		const i = this.waiting.indexOf(handle as Waiter);
		if (i >= 0) this.waiting.splice(i, 1);
	}

	/** When the earliest sleeper or timer is due, if any is waiting. */
	nextDue(): number | undefined {
		return this.waiting[0]?.due;
	}

	/** Sleepers and timers waiting. */
	pending(): number {
		return this.waiting.length;
	}

	/**
	 * Wakes the earliest sleeper or timer, moving time to when it was due (never backwards).
	 * False when nothing waits. What it wakes runs from the microtask queue (a sleeper) or at
	 * once (a timer).
	 */
	step(): boolean {
		const next = this.waiting.shift();
		if (!next) return false;
		this.time = Math.max(this.time, next.due);
		next.wake();
		return true;
	}

	private add(ms: number, wake: () => void): Waiter {
		const waiter = { due: this.time + Math.max(0, ms), wake };
		// After every waiter due at the same time or earlier (binary search: polls and throttles
		// keep a few waiting, a flash on many boards a few dozen).
		let lo = 0;
		let hi = this.waiting.length;
		while (lo < hi) {
			const mid = (lo + hi) >>> 1;
			if (this.waiting[mid]!.due <= waiter.due) lo = mid + 1;
			else hi = mid;
		}
		this.waiting.splice(lo, 0, waiter);
		this.schedule();
		return waiter;
	}

	private schedule(): void {
		if (this.draining || this.manual) return;
		this.draining = true;
		// A macrotask boundary lets every sleeper that is about to be registered in this turn join
		// the queue before the earliest one wakes.
		setImmediate(() => {
			this.draining = false;
			this.step();
			if (this.waiting.length > 0) this.schedule();
		});
	}
}

/** Timers on a VirtualClock's time (or on any Clock's, through sleep, if it has no timers). */
export function timersFromClock(clock: Clock): Timers {
	if (clock instanceof VirtualClock)
		return {
			now: () => clock.now(),
			set: (callback, ms) => clock.setTimer(ms, callback),
			clear: (handle) => clock.clearTimer(handle),
		};
	return {
		now: () => clock.now(),
		set(callback, ms) {
			const handle = { cancelled: false };
			void clock.sleep(ms).then(() => {
				if (!handle.cancelled) callback();
			});
			return handle;
		},
		clear(handle) {
			(handle as { cancelled: boolean }).cancelled = true;
		},
	};
}
