import { ManualExecutionCancelledError } from 'n8n-workflow';

import { Pacer } from '../../../nodes/Bitrix24/transport/pacer';

test('waits for the window to reset when no requests remain, and not otherwise', async () => {
	const pacer = new Pacer();
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
