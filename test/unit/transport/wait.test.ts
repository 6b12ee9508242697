/**
 * Waits on every n8n version: n8n-workflow up to 2.33 exports `sleepWithAbort(ms, signal)`; from 2.34 on it
 * is gone and `sleep(ms, signal)` (from @n8n/utils) takes the signal. The second shape is built here from the
 * real n8n-workflow without `sleepWithAbort` plus the real `@n8n/utils` sleep that n8n-workflow 2.41 re-exports.
 */
type Shape = 'up to 2.33' | 'from 2.34';

function n8nWorkflowShaped(shape: Shape): Record<string, unknown> {
	const actual = jest.requireActual('n8n-workflow');
	if (shape === 'up to 2.33') return actual;
	const { sleepWithAbort: _gone, ...rest } = actual;
	return { ...rest, sleep: jest.requireActual('@n8n/utils/sleep').sleep };
}

/** Loads a node module with n8n-workflow replaced by the given shape. */
function loadWith<T extends object>(shape: Shape, modulePath: string): T {
	let loaded: T | undefined;
	jest.isolateModules(() => {
		jest.doMock('n8n-workflow', () => n8nWorkflowShaped(shape));
		loaded = jest.requireActual<T>(modulePath);
	});
	jest.dontMock('n8n-workflow');
	return loaded as T;
}

const PACER = '../../../nodes/Bitrix24/transport/pacer';
const WAIT = '../../../nodes/Bitrix24/transport/wait';

test('abortableSleepOf takes sleepWithAbort where it exists, else sleep', () => {
	const sleepWithAbort = async () => {};
	const sleep = async () => {};
	const { abortableSleepOf } = jest.requireActual(WAIT);
	expect(abortableSleepOf({ sleep, sleepWithAbort })).toBe(sleepWithAbort);
	expect(abortableSleepOf({ sleep })).toBe(sleep);
});

describe.each<Shape>(['up to 2.33', 'from 2.34'])('n8n-workflow %s', (shape) => {
	test('the module shape is the one named', () => {
		expect(typeof n8nWorkflowShaped(shape).sleepWithAbort).toBe(shape === 'up to 2.33' ? 'function' : 'undefined');
	});

	test('the pacer waits out a rate-limit window', async () => {
		const { Pacer } = loadWith<typeof import('../../../nodes/Bitrix24/transport/pacer')>(shape, PACER);
		const pacer = new Pacer();
		pacer.observe({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '0.3' });
		const started = Date.now();
		await pacer.ready(new AbortController().signal);
		expect(Date.now() - started).toBeGreaterThanOrEqual(280);
	});

	test('a stopped execution ends the wait at once, as a cancellation', async () => {
		const { wait } = loadWith<typeof import('../../../nodes/Bitrix24/transport/wait')>(shape, WAIT);
		const controller = new AbortController();
		const started = Date.now();
		const waiting = wait(30_000, controller.signal);
		setTimeout(() => controller.abort(), 20);
		await expect(waiting).rejects.toHaveProperty('constructor.name', 'ManualExecutionCancelledError');
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	test('an already stopped execution does not wait at all', async () => {
		const { wait } = loadWith<typeof import('../../../nodes/Bitrix24/transport/wait')>(shape, WAIT);
		const controller = new AbortController();
		controller.abort();
		await expect(wait(30_000, controller.signal)).rejects.toHaveProperty('constructor.name', 'ManualExecutionCancelledError');
	});
});
