import { ManualExecutionCancelledError } from 'n8n-workflow';

import { KEY_CONCURRENCY, KeyLimiter, Pacer } from '../../../nodes/Bitrix24/transport/pacer';

/** Whether a promise has settled, after the microtasks that are due have run. */
function watch(promise: Promise<unknown>) {
	const state = { settled: false, rejected: undefined as unknown };
	promise.then(
		() => (state.settled = true),
		(error) => {
			state.settled = true;
			state.rejected = error;
		},
	);
	return state;
}
const flush = () => jest.advanceTimersByTimeAsync(0);

describe('timing against the rate-limit headers (real time)', () => {
	test('waits for the window to reset when no requests remain, and not otherwise', async () => {
		const pacer = new Pacer();
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '30' });
		let started = Date.now();
		await pacer.ready();
		expect(Date.now() - started).toBeLessThan(50);
		pacer.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		started = Date.now();
		await pacer.ready();
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	test('a pause (429 Retry-After) holds every caller; a stopped execution ends the wait as a cancellation', async () => {
		const pacer = new Pacer();
		pacer.pause(10_000);
		const controller = new AbortController();
		const started = Date.now();
		const waiting = Promise.allSettled([pacer.ready(controller.signal), pacer.ready(controller.signal)]);
		controller.abort();
		const outcomes = await waiting;
		expect(outcomes.map((outcome) => outcome.status === 'rejected' && outcome.reason instanceof ManualExecutionCancelledError)).toEqual([true, true]);
		expect(Date.now() - started).toBeLessThan(5_000);
	});
});

describe('one execution (fake timers)', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => {
		jest.useRealTimers();
	});

	test('the in-flight limit follows the largest number of requests one execution has at once (Max Parallel 4)', async () => {
		const pacer = new Pacer();
		const four = [pacer.ready(), pacer.ready(), pacer.ready(), pacer.ready()].map(watch);
		await flush();
		expect(four.map((state) => state.settled)).toEqual([true, true, true, true]);
	});

	test('X-RateLimit-Remaining is a budget: with it spent, no new request starts until an answer says more', async () => {
		const pacer = new Pacer();
		await pacer.ready();
		await pacer.ready();
		// One answer: 1 left in the window, and one request still in flight that will take it.
		pacer.observe({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '10' });
		const next = watch(pacer.ready());
		await flush();
		expect(next.settled).toBe(false);
		// The other answer says the window has room again.
		pacer.observe({ 'x-ratelimit-remaining': '50', 'x-ratelimit-reset': '10' });
		await flush();
		expect(next.settled).toBe(true);
	});

	test('a batch costs its units: the budget must hold its cost before it starts', async () => {
		const pacer = new Pacer();
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': '25' });
		// A batch of 500 records is 10 units: two fit in 25; the third does not fit in the 5 left.
		await pacer.ready(undefined, 10);
		await pacer.ready(undefined, 10);
		const third = watch(pacer.ready(undefined, 10));
		await flush();
		expect(third.settled).toBe(false);
		// One batch answered: 20 left in the window, 10 of them for the batch still in flight.
		pacer.observe({ 'x-ratelimit-remaining': '20' });
		await flush();
		expect(third.settled).toBe(true);
	});

	test('with the budget spent and nothing in flight, one request goes to ask', async () => {
		const pacer = new Pacer();
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': '0' }); // no Reset: no pause to take
		const probe = watch(pacer.ready());
		const second = watch(pacer.ready());
		await flush();
		expect([probe.settled, second.settled]).toEqual([true, false]);
		pacer.observe({ 'x-ratelimit-remaining': '10' });
		await flush();
		expect(second.settled).toBe(true);
	});

	test('Reset as an epoch time is read as one', async () => {
		jest.setSystemTime(Date.UTC(2026, 10, 1, 9, 0, 0));
		const pacer = new Pacer();
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': 0, 'x-ratelimit-reset': String(Date.UTC(2026, 10, 1, 9, 0, 3) / 1000) });
		const next = watch(pacer.ready());
		await jest.advanceTimersByTimeAsync(1_500);
		expect(next.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(1_500);
		expect(next.settled).toBe(true);
	});

	test('headers without numbers change nothing', async () => {
		const pacer = new Pacer();
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': '', 'x-ratelimit-reset': 'soon' });
		pacer.observe(undefined);
		const next = watch(pacer.ready());
		await flush();
		expect(next.settled).toBe(true);
	});

	test('a stopped execution sends nothing more: ready() returns at once and holds no place', async () => {
		const pacer = new Pacer();
		const controller = new AbortController();
		controller.abort();
		pacer.pause(60_000);
		await pacer.ready(controller.signal);
		expect(jest.getTimerCount()).toBe(0);
	});

	test('no timer is left running once nobody waits', async () => {
		const pacer = new Pacer();
		pacer.pause(30_000);
		const controller = new AbortController();
		const waiting = watch(pacer.ready(controller.signal));
		await flush();
		expect(jest.getTimerCount()).toBe(1);
		controller.abort();
		await flush();
		expect(waiting.rejected).toBeInstanceOf(ManualExecutionCancelledError);
		expect(jest.getTimerCount()).toBe(0);
	});

	test('a pause longer than a timer can hold is waited out in steps', async () => {
		const pacer = new Pacer();
		pacer.pause(30 * 86_400_000); // 30 days: beyond setTimeout's 24.8-day maximum
		const next = watch(pacer.ready());
		await jest.advanceTimersByTimeAsync(25 * 86_400_000);
		expect(next.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(5 * 86_400_000 + 1);
		expect(next.settled).toBe(true);
	});
});

describe('executions sharing one limiter (fake timers)', () => {
	beforeEach(() => jest.useFakeTimers());
	afterEach(() => jest.useRealTimers());

	const executions = (count: number, timeoutMs?: number) => {
		const limiter = new KeyLimiter();
		return { limiter, pacers: Array.from({ length: count }, () => new Pacer(() => limiter, timeoutMs)) };
	};

	test(`at most ${KEY_CONCURRENCY} requests in flight across executions with the default Max Parallel; the next starts when an answer comes`, async () => {
		const { limiter, pacers: [a, b] } = executions(2);
		const started = [a.ready(), a.ready(), b.ready(), b.ready()].map(watch);
		await flush();
		expect(started.map((state) => state.settled)).toEqual([true, true, false, false]);
		expect(limiter.state()).toMatchObject({ inFlight: 2, waiting: 2, limit: 2 });
		a.observe({ 'x-ratelimit-remaining': '100' });
		await flush();
		expect(started.map((state) => state.settled)).toEqual([true, true, true, false]);
	});

	test('an execution asking for more at once (Max Parallel 4) raises the limit for the key to that', async () => {
		const { limiter, pacers: [a, b] } = executions(2);
		const started = [b.ready(), a.ready(), a.ready(), a.ready(), a.ready()].map(watch);
		await flush();
		expect(limiter.state().limit).toBe(4);
		expect(started.map((state) => state.settled)).toEqual([true, true, true, true, false]);
	});

	test('requests start in the order they asked, so executions take turns', async () => {
		const { pacers } = executions(3);
		const order: string[] = [];
		const run = async (name: string, pacer: Pacer, requests: number) => {
			// A pool of 2, as Max Parallel 2 runs items.
			let next = 0;
			const worker = async () => {
				while (next < requests) {
					next++;
					await pacer.ready();
					order.push(name);
					await Promise.resolve();
					pacer.observe({ 'x-ratelimit-remaining': '1000' });
				}
			};
			await Promise.all([worker(), worker()]);
		};
		const done = Promise.all([run('a', pacers[0], 12), run('b', pacers[1], 12), run('c', pacers[2], 12)]);
		await flush();
		await done;
		expect(order).toHaveLength(36);
		// Every third of the run has requests of each execution: none waits for the others to finish.
		for (const third of [order.slice(0, 12), order.slice(12, 24), order.slice(24)]) {
			expect(new Set(third)).toEqual(new Set(['a', 'b', 'c']));
		}
	});

	test('a pause seen by one execution holds the others too', async () => {
		const { pacers: [a, b] } = executions(2);
		await a.ready();
		a.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' });
		const other = watch(b.ready());
		await jest.advanceTimersByTimeAsync(1_900);
		expect(other.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(200);
		expect(other.settled).toBe(true);
	});

	test('a shorter wait announced later by an execution that knew of the pause does not shorten it', async () => {
		const { pacers: [a, b] } = executions(2);
		await a.ready();
		await a.ready();
		a.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '10' });
		// The other answer, sent earlier, was counted in an older window.
		a.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		const other = watch(b.ready());
		await jest.advanceTimersByTimeAsync(9_900);
		expect(other.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(100);
		expect(other.settled).toBe(true);
	});

	test('a request never answered (a broken connection) stops counting after 4 × the slowest recent answer, at least 2 s', async () => {
		const { limiter, pacers: [a, b] } = executions(2);
		await a.ready();
		await a.ready();
		// Neither got an answer (no observe); b waits for a place.
		const waiting = watch(b.ready());
		await jest.advanceTimersByTimeAsync(1_900);
		expect(waiting.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(100);
		expect(waiting.settled).toBe(true);
		expect(limiter.state()).toMatchObject({ inFlight: 1, waiting: 0 });
	});

	test('when answers are slow, an unanswered request counts longer: 4 × the slowest, up to its timeout and 5 s', async () => {
		const { pacers: [a, b] } = executions(2, 10_000);
		await a.ready();
		await jest.advanceTimersByTimeAsync(3_000);
		a.observe({ 'x-ratelimit-remaining': '100' }); // a 3-second answer
		await a.ready();
		await a.ready();
		const waiting = watch(b.ready());
		await jest.advanceTimersByTimeAsync(11_900);
		expect(waiting.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(100);
		expect(waiting.settled).toBe(true);

		// Slower still (10 s): capped at the 10 s timeout and 5 s.
		const { pacers: [c, d] } = executions(2, 10_000);
		await c.ready();
		await jest.advanceTimersByTimeAsync(10_000);
		c.observe({ 'x-ratelimit-remaining': '100' });
		await c.ready();
		await c.ready();
		const later = watch(d.ready());
		await jest.advanceTimersByTimeAsync(14_900);
		expect(later.settled).toBe(false);
		await jest.advanceTimersByTimeAsync(100);
		expect(later.settled).toBe(true);
	});

	test('a stopped execution stalls nobody: its requests in flight stop counting, its waiting ones leave the queue', async () => {
		const { limiter, pacers: [a, b] } = executions(2);
		const stop = new AbortController();
		await a.ready(stop.signal);
		await a.ready(stop.signal);
		const bWaiting = [b.ready(), b.ready()].map(watch);
		await flush();
		expect(limiter.state()).toMatchObject({ inFlight: 2, waiting: 2 });
		// n8n aborts a's requests in flight: they will never be answered.
		stop.abort();
		await flush();
		expect(bWaiting.map((state) => state.settled)).toEqual([true, true]);
		expect(limiter.state()).toMatchObject({ inFlight: 2, waiting: 0 });
		// A late answer to one of a's aborted requests frees nothing of b's.
		a.observe({ 'x-ratelimit-remaining': '100' });
		expect(limiter.state()).toMatchObject({ inFlight: 2 });

		// Waiting in the queue (here behind a pause): the stopped execution's request leaves it, the others stay.
		b.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		b.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		const again = new AbortController();
		const first = watch(a.ready(again.signal));
		const second = watch(b.ready());
		await flush();
		again.abort();
		await flush();
		expect(first.rejected).toBeInstanceOf(ManualExecutionCancelledError);
		expect(limiter.state()).toMatchObject({ waiting: 1 });
		await jest.advanceTimersByTimeAsync(1_000);
		expect(second.settled).toBe(true);
	});

	test('idle once nothing is in flight, nobody waits and no pause is pending', async () => {
		const idle: KeyLimiter[] = [];
		const limiter = new KeyLimiter((which) => idle.push(which));
		const pacer = new Pacer(() => limiter);
		await pacer.ready();
		expect(limiter.idle()).toBe(false);
		pacer.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1' });
		expect(limiter.idle()).toBe(false);
		expect(idle).toEqual([]);
		await jest.advanceTimersByTimeAsync(1_000);
		expect(limiter.idle()).toBe(true);
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': '10' });
		expect(idle).toEqual([limiter]);
	});
});
