import { DEFAULT_SETTINGS, OPTION_DEFAULTS, readSettings } from '../../../nodes/Bitrix24/transport/settings';

test('the defaults are batches of 500, 2 in flight, 4 retries, 60 s longest wait, 35 s timeout, unknown outcomes not retried', () => {
	expect(OPTION_DEFAULTS).toEqual({ batchSize: 500, maxParallel: 2, maxRetries: 4, maxWait: 60, timeout: 35 });
	expect(DEFAULT_SETTINGS).toEqual({ maxRetries: 4, maxWaitMs: 60_000, timeoutMs: 35_000, retryUnknownOutcome: false });
	expect(readSettings({})).toEqual({ batchSize: 500, maxParallel: 2, ...DEFAULT_SETTINGS });
});

test('options set by the user become settings, seconds in milliseconds', () => {
	expect(readSettings({ batchSize: 200, maxParallel: 5, maxRetries: 0, maxWait: 2, timeout: 1.5, retryUnknownOutcome: true })).toEqual({
		batchSize: 200,
		maxParallel: 5,
		maxRetries: 0,
		maxWaitMs: 2000,
		timeoutMs: 1500,
		retryUnknownOutcome: true,
	});
});

test('a value an expression made unusable falls back to the default', () => {
	expect(readSettings({ maxParallel: 0, maxRetries: -1, maxWait: '10', timeout: NaN, retryUnknownOutcome: 'yes' })).toEqual(readSettings({}));
	expect(readSettings({ maxParallel: 2.7, maxRetries: 3.9 })).toMatchObject({ maxParallel: 2, maxRetries: 3 });
	// A batch holds at most what POST /v1/{entity}/batch takes.
	expect(readSettings({ batchSize: 10_000 }).batchSize).toBe(500);
	expect(readSettings({ batchSize: 0 }).batchSize).toBe(500);
});
