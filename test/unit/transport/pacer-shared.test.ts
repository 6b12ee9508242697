/**
 * Pacing shared per key inside one process (transport/sharedPacers.ts): executions of the same key and API root
 * share one limiter, other keys never wait for them, the key is never kept in clear, and a key's state goes
 * when it is idle, so the registry does not grow with the number of keys ever seen.
 */
import { inspect } from 'node:util';

import { ManualExecutionCancelledError, type IExecuteFunctions } from 'n8n-workflow';

import { openSession } from '../../../nodes/Bitrix24/transport';

import { PacerRegistry, keyId, sharedPacers } from '../../../nodes/Bitrix24/transport/sharedPacers';

const ROOT = 'https://vibecode.bitrix24.tech';
const KEY = 'vibe_api_0123456789abcdef_secret';
const credentials = (apiKey = KEY, baseUrl = ROOT) => ({ apiKey, baseUrl });

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

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

test('openSession hands every execution of one credential a pacer of the same limiter, and none of another key', async () => {
	const context = (apiKey: string) =>
		({
			getCredentials: async () => ({ keyType: 'personal', apiKey, baseUrl: ROOT }),
			getNode: () => ({ name: 'Bitrix24' }),
		}) as unknown as IExecuteFunctions;
	const apiKey = 'vibe_api_open_session_test';
	const first = await openSession.call(context(apiKey));
	const second = await openSession.call(context(apiKey), { timeoutMs: 5_000 });
	const other = await openSession.call(context(`${apiKey}_other`));
	expect(second.pacer).not.toBe(first.pacer);
	expect(second.pacer.leaseMs).toBe(10_000);
	await first.pacer.ready();
	await first.pacer.ready();
	const waiting = [watch(second.pacer.ready()), watch(other.pacer.ready())];
	await flush();
	expect(waiting.map((state) => state.settled)).toEqual([false, true]);
	expect(sharedPacers.peek(credentials(apiKey))?.state()).toMatchObject({ inFlight: 2, waiting: 1 });
});

test('two executions of one key share one in-flight limit and one pause', async () => {
	const registry = new PacerRegistry();
	const first = registry.pacerFor(credentials());
	const second = registry.pacerFor(credentials());
	expect(registry.size).toBe(0);
	const started = [first.ready(), first.ready(), second.ready(), second.ready()].map(watch);
	await flush();
	expect(registry.size).toBe(1);
	expect(started.map((state) => state.settled)).toEqual([true, true, false, false]);
	// The first execution's answers: the second says the window is spent for 3 s, so the second execution waits.
	first.observe({ 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '3' });
	first.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' });
	await jest.advanceTimersByTimeAsync(2_900);
	expect(started.map((state) => state.settled)).toEqual([true, true, false, false]);
	// After the pause one request goes to ask how much the window has; the other waits for its answer.
	await jest.advanceTimersByTimeAsync(200);
	expect(started.map((state) => state.settled)).toEqual([true, true, true, false]);
	second.observe({ 'x-ratelimit-remaining': '100', 'x-ratelimit-reset': '60' });
	await flush();
	expect(started[3].settled).toBe(true);
});

test('every spelling of one API root is one key', async () => {
	const registry = new PacerRegistry();
	const spellings = [ROOT, `${ROOT}/`, `${ROOT}/v1`, `${ROOT}/v1/`, 'HTTPS://VibeCode.Bitrix24.tech', 'https://vibecode.bitrix24.tech:443'];
	expect(new Set(spellings.map((baseUrl) => keyId(credentials(KEY, baseUrl)))).size).toBe(1);
	// Each spelling's execution takes a place; the third finds the key's two places taken.
	const started = spellings.map((baseUrl) => watch(registry.pacerFor(credentials(KEY, baseUrl)).ready()));
	await flush();
	expect(started.map((state) => state.settled)).toEqual([true, true, false, false, false, false]);
	expect(registry.size).toBe(1);
});

test('different keys, or one key at different API roots, never wait for each other', async () => {
	const registry = new PacerRegistry();
	const busy = registry.pacerFor(credentials());
	await busy.ready();
	await busy.ready();
	busy.pause(60_000);
	const otherKey = watch(registry.pacerFor(credentials(`${KEY}_other`)).ready());
	const otherRoot = watch(registry.pacerFor(credentials(KEY, 'http://127.0.0.1:8787')).ready());
	const sameKey = watch(registry.pacerFor(credentials()).ready());
	await flush();
	expect([otherKey.settled, otherRoot.settled, sameKey.settled]).toEqual([true, true, false]);
	expect(registry.size).toBe(3);
});

test('the key is kept only as a SHA-256 hash', async () => {
	const registry = new PacerRegistry();
	const pacer = registry.pacerFor(credentials());
	await pacer.ready();
	expect(registry.ids()).toEqual([keyId(credentials())]);
	expect(registry.ids()[0]).toMatch(/^[0-9a-f]{64}$/);
	expect(registry.ids()[0]).not.toContain(KEY);
	const everything = inspect({ registry, pacer }, { depth: 20, showHidden: true });
	expect(everything).toContain(registry.ids()[0]);
	expect(everything).not.toContain(KEY);
});

test('a key is forgotten when idle: 10,000 keys seen, none kept', async () => {
	const registry = new PacerRegistry();
	for (let i = 0; i < 10_000; i++) {
		const pacer = registry.pacerFor(credentials(`${KEY}_${i}`));
		await pacer.ready();
		await pacer.ready();
		expect(registry.size).toBe(1);
		pacer.observe({ 'x-ratelimit-remaining': '100' });
		pacer.observe({ 'x-ratelimit-remaining': '99' });
	}
	expect(registry.size).toBe(0);
});

test('a pause holds the executions running when it was announced; one started later asks VibeCode itself', async () => {
	const registry = new PacerRegistry();
	const running = registry.pacerFor(credentials());
	const alsoRunning = registry.pacerFor(credentials());
	await running.ready();
	running.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5' });
	const held = watch(alsoRunning.ready());
	// Started after the pause (say, after the execution that saw it failed on its Max Wait): one request goes.
	const later = registry.pacerFor(credentials());
	const asks = watch(later.ready());
	const second = watch(later.ready());
	await flush();
	expect([held.settled, asks.settled, second.settled]).toEqual([false, true, false]);
	// Its answer: still limited (429, Retry-After 3). The newest word replaces the pause, and holds everyone.
	later.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' });
	later.pause(3_000);
	await jest.advanceTimersByTimeAsync(2_900);
	expect([held.settled, second.settled]).toEqual([false, false]);
	// Then one request asks how much room the window has (the budget is spent), in the order they asked.
	await jest.advanceTimersByTimeAsync(100);
	expect([held.settled, second.settled]).toEqual([true, false]);
});

test('a key paused with nothing in flight is kept while the pause lasts, then swept when another key comes', async () => {
	const registry = new PacerRegistry();
	for (let i = 0; i < 100; i++) {
		const pacer = registry.pacerFor(credentials(`${KEY}_${i}`));
		await pacer.ready();
		pacer.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '5' });
	}
	expect(registry.size).toBe(100);
	await jest.advanceTimersByTimeAsync(5_000);
	// The pauses are over: the next key to arrive sweeps the quiet ones.
	await registry.pacerFor(credentials('vibe_api_newcomer')).ready();
	expect(registry.size).toBe(1);
	expect(jest.getTimerCount()).toBe(0);
});

test('keys whose requests were never answered are swept too, once those stop counting', async () => {
	const registry = new PacerRegistry();
	for (let i = 0; i < 100; i++) await registry.pacerFor(credentials(`${KEY}_${i}`)).ready();
	expect(registry.size).toBe(100);
	await jest.advanceTimersByTimeAsync(2_000);
	await registry.pacerFor(credentials('vibe_api_newcomer')).ready();
	expect(registry.size).toBe(1);
});

test("a stopped execution never stalls the other executions of its key", async () => {
	const registry = new PacerRegistry();
	const stopped = new AbortController();
	const cancelled = registry.pacerFor(credentials());
	const other = registry.pacerFor(credentials());
	await cancelled.ready(stopped.signal);
	await cancelled.ready(stopped.signal);
	const waiting = [other.ready(), other.ready()].map(watch);
	await flush();
	expect(waiting.map((state) => state.settled)).toEqual([false, false]);
	stopped.abort();
	await flush();
	expect(waiting.map((state) => state.settled)).toEqual([true, true]);
	// And its own later requests do not queue at all.
	await cancelled.ready(stopped.signal);
	expect(registry.peek(credentials())?.state()).toMatchObject({ inFlight: 2, waiting: 0 });
	// A stop while waiting rejects with the cancellation n8n expects.
	other.pause(10_000);
	const stopping = new AbortController();
	const queued = watch(registry.pacerFor(credentials()).ready(stopping.signal));
	await flush();
	stopping.abort();
	await flush();
	expect(queued.rejected).toBeInstanceOf(ManualExecutionCancelledError);
});
