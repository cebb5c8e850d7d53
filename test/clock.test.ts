import { describe, expect, it } from "vitest";
import { timersFromClock, VirtualClock } from "../source/clock.js";

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("VirtualClock", () => {
	it("wakes sleepers by due time, equal due times in the order they slept", async () => {
		const clock = new VirtualClock(100);
		const woke: string[] = [];
		const sleep = (ms: number, name: string) =>
			clock.sleep(ms).then(() => woke.push(`${name}@${clock.now()}`));
		await Promise.all([sleep(30, "a"), sleep(10, "b"), sleep(30, "c"), sleep(0, "d")]);
		expect(woke).toEqual(["d@100", "b@110", "a@130", "c@130"]);
	});

	it("a cleared timer never fires and does not move time", async () => {
		const clock = new VirtualClock(0);
		let fired = 0;
		const handle = clock.setTimer(1_000, () => fired++);
		clock.clearTimer(handle);
		await clock.sleep(5);
		await turn();
		expect(fired).toBe(0);
		expect(clock.now()).toBe(5);
		expect(clock.pending()).toBe(0);
	});

	it("a manual clock stands still until stepped, then wakes one waiter at a time", async () => {
		const clock = new VirtualClock(0, { manual: true });
		const woke: string[] = [];
		void clock.sleep(50).then(() => woke.push(`sleep@${clock.now()}`));
		clock.setTimer(20, () => woke.push(`timer@${clock.now()}`));
		for (let i = 0; i < 5; i++) await turn();
		expect(woke).toEqual([]);
		expect(clock.now()).toBe(0);
		expect(clock.nextDue()).toBe(20);
		expect(clock.step()).toBe(true);
		expect(woke).toEqual(["timer@20"]);
		expect(clock.step()).toBe(true);
		await turn();
		expect(woke).toEqual(["timer@20", "sleep@50"]);
		expect(clock.step()).toBe(false);
		expect(clock.nextDue()).toBeUndefined();
	});

	it("advance() moves a manual clock without waking anyone; a late waiter wakes at the new time", () => {
		const clock = new VirtualClock(0, { manual: true });
		const at: number[] = [];
		clock.setTimer(10, () => at.push(clock.now()));
		clock.advance(25);
		expect(at).toEqual([]);
		clock.step();
		expect(at).toEqual([25]);
	});

	it("timersFromClock runs set/clear on the clock's time", () => {
		const clock = new VirtualClock(1_000, { manual: true });
		const timers = timersFromClock(clock);
		const fired: number[] = [];
		const kept = timers.set(() => fired.push(timers.now()), 66);
		const dropped = timers.set(() => fired.push(-1), 33);
		timers.clear(dropped);
		expect(clock.pending()).toBe(1);
		while (clock.step());
		expect(fired).toEqual([1_066]);
		expect(kept).toBeDefined();
	});
});
