/**
 * The fault matrix: every fault the sandbox can produce, in normal and continue-on-fail mode, through
 * n8n-core's engine. For each: the VibeCode code the user sees, how many requests were sent (retries), and
 * the sandbox journal proving no fire was lost silently or sent twice. A summary is printed for the README.
 */
import { ERROR_TABLE, SESSION_CODES, withSignInLink } from '../../../nodes/Bitrix24/errors';
import { CONTRACT_CODES } from '../../helpers/contract';
import { runNode } from '../../helpers/engine';
import { askSandbox, fireParameters, oauthApp, recordParameters, serialise } from '../../helpers/fixtures';
import { createSandbox, type Fault } from '../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const firePath = '/v1/triggers/fire';
const RETRIED = new Set(['RATE_LIMITED', 'BITRIX_UNAVAILABLE', 'QUEUE_TIMEOUT']);

interface Case {
	name: string;
	fault: Fault;
	code: string;
	/** Requests sent for the item (1 = not retried). The fault happens once; a retry then succeeds. */
	requests: number;
	/** The trigger ran although the node reports an error (the outcome was unknown to the node). */
	ranUnseen?: boolean;
}

const cases: Case[] = [
	...Object.entries(CONTRACT_CODES).map(([code, status]) => ({
		name: `${code} (${status})`,
		fault: { kind: 'error' as const, status, code, message: `Sandbox says ${code}`, retryAfter: RETRIED.has(code) ? 0 : undefined },
		code,
		requests: RETRIED.has(code) ? 2 : 1,
	})),
	{ name: '402 without a code', fault: { kind: 'html', status: 402 }, code: 'PAYMENT_REQUIRED', requests: 1 },
	{ name: '503 without a code', fault: { kind: 'html', status: 503 }, code: 'SERVICE_UNAVAILABLE', requests: 2 },
	{ name: '504 QUEUE_TIMEOUT with retryAfter', fault: { kind: 'error', status: 504, code: 'QUEUE_TIMEOUT', retryAfter: 1 }, code: 'QUEUE_TIMEOUT', requests: 2 },
	{ name: 'HTML 502 page from a proxy', fault: { kind: 'html', status: 502 }, code: 'GATEWAY_ERROR', requests: 1 },
	{ name: 'HTML 502 after the trigger ran', fault: { kind: 'html', status: 502, afterProcessing: true }, code: 'GATEWAY_ERROR', requests: 1, ranUnseen: true },
	{ name: 'empty body (200)', fault: { kind: 'empty', status: 200, afterProcessing: true }, code: 'INVALID_RESPONSE', requests: 1, ranUnseen: true },
	{ name: 'empty body (500)', fault: { kind: 'empty', status: 500 }, code: 'INTERNAL_ERROR', requests: 1 },
	{ name: 'truncated JSON (200)', fault: { kind: 'badjson', afterProcessing: true }, code: 'INVALID_RESPONSE', requests: 1, ranUnseen: true },
	{ name: 'HTTP 200 with success: false', fault: { kind: 'successFalse', code: 'BITRIX_ERROR' }, code: 'BITRIX_ERROR', requests: 1 },
	{ name: 'connection reset before processing', fault: { kind: 'reset' }, code: 'CONNECTION_RESET', requests: 1 },
	{ name: 'connection reset after processing', fault: { kind: 'reset', afterProcessing: true }, code: 'CONNECTION_RESET', requests: 1, ranUnseen: true },
	{ name: 'reply slower than the timeout', fault: { kind: 'hang', delayMs: 2500, afterProcessing: true }, code: 'TIMEOUT', requests: 1, ranUnseen: true },
	{ name: 'unknown error code', fault: { kind: 'error', status: 400, code: 'SOMETHING_NEW', message: 'Brand new' }, code: 'SOMETHING_NEW', requests: 1 },
	{ name: 'error body echoing the request headers', fault: { kind: 'echo', status: 500 }, code: 'INTERNAL_ERROR', requests: 1 },
];

const summary: string[] = [];
const everything: unknown[] = [];
afterAll(() => {
	process.stdout.write(`\nFault matrix (${cases.length} faults × 2 modes):\n${summary.join('\n')}\n`);
	// The whole matrix, serialised (messages, descriptions, causes, contexts, outputs), holds no secret.
	const text = serialise(everything);
	expect(text.length).toBeGreaterThan(10_000);
	for (const secret of [sandbox.keys.app, sandbox.keys.session]) expect(text).not.toContain(secret);
});

describe.each(cases)('$name', ({ fault, code, requests, ranUnseen }) => {
	const parameters = fireParameters({ entity: '={{ $json.id }}', options: { timeout: 1, maxWait: 2 } });

	test('normal mode: the run stops with a NodeApiError naming the code and the item', async () => {
		sandbox.addFault({ path: firePath, ...fault });
		const result = await runNode({ parameters, credentials: oauthApp(sandbox), input: [{ id: 5141 }] });
		everything.push(result);
		const fires = sandbox.requests.filter((r) => r.path === firePath).length;
		if (requests > 1) {
			expect(result.error).toBeUndefined();
			expect(sandbox.journal).toHaveLength(1);
		} else {
			expect(result.error!.name).toBe('NodeApiError');
			expect(result.error!.context!.vibeCode).toBe(code);
			expect(result.error!.context!.itemIndex).toBe(0);
			expect(result.error!.message).toContain(`[${code}]`);
			// A session code's hint quotes the application's own sign-in link, read from GET /v1/me.
			const text = SESSION_CODES.has(code) ? withSignInLink(code, `${sandbox.url}/v1/oauth/authorize?app=app-1`) : (ERROR_TABLE[code] ?? ERROR_TABLE.UNKNOWN_ERROR);
			expect(result.error!.description).toContain(text.hint);
			if (fault.status) expect(result.error!.httpCode).toBe(String(fault.status));
			if (fault.message) expect(result.error!.description).toContain(`VibeCode said: ${fault.message}`);
			if (fault.kind === 'html') {
				// A proxy's page is the proxy's, not something VibeCode said.
				expect(result.error!.description).not.toContain('VibeCode said');
				expect(result.error!.description).toContain(`A proxy or gateway in front of VibeCode answered with HTTP ${fault.status} and a non-JSON page: "502 Bad Gateway`);
			}
			expect(sandbox.journal).toHaveLength(ranUnseen ? 1 : 0);
		}
		expect(fires).toBe(requests);
	});

	test('continue on fail: one error item, the next item still fires once', async () => {
		sandbox.addFault({ path: firePath, ...fault });
		const result = await runNode({
			parameters: { ...parameters, options: { ...(parameters.options as object), maxParallel: 1 } },
			credentials: oauthApp(sandbox),
			input: [{ id: 5141 }, { id: 5142 }],
			continueOnFail: true,
		});
		everything.push(result);
		const items = result.items!;
		expect(items).toHaveLength(2);
		expect(items[1].json).toMatchObject({ success: true, entityId: 5142 });
		if (requests > 1) {
			expect(items[0].json).toMatchObject({ success: true, entityId: 5141 });
		} else {
			expect(items[0].json).toMatchObject({ code, itemIndex: 0, entityId: 5141 });
		}
		const fired = sandbox.journal.map((f) => f.entityId);
		const expected = requests > 1 || ranUnseen ? [5141, 5142] : [5142];
		expect(fired).toEqual(expected);
		summary.push(
			`| ${fault.kind}${fault.status ? ` ${fault.status}` : ''}${fault.code ? ` ${fault.code}` : ''}${fault.afterProcessing ? ' (after processing)' : ''} | ${code} | ${requests > 1 ? 'retried, then fired' : ranUnseen ? 'not retried; the trigger ran, the error says it may have' : 'not retried'} | ${requests} | lost 0, duplicated 0 |`,
		);
	});
});

/**
 * The same faults on a batch: a Create of two leads in one `POST /v1/leads/batch`. What a single create does, per
 * item: a refusal fails both items and creates nothing; a request turned away unrun is sent again and creates each
 * lead once; a batch that may have run is never sent again, and each item says its lead may exist.
 */
const batchPath = '/v1/leads/batch';
const batchSummary: string[] = [];
afterAll(() => process.stdout.write(`\nFault matrix on a batch of creates (${cases.length} faults × 2 modes):\n${batchSummary.join('\n')}\n`));

describe.each(cases)('in a batch of creates: $name', ({ fault, code, requests, ranUnseen }) => {
	const parameters = recordParameters({ resource: 'lead', operation: 'create', values: { title: '={{ $json.title }}' }, options: { timeout: 1, maxWait: 2 } });
	const titles = ['Batch lead A', 'Batch lead B'];
	test.each([false, true])('Continue On Fail %s: each item its own result; no lead lost or created twice', async (continueOnFail) => {
		sandbox.addFault({ path: batchPath, ...fault });
		const result = await runNode({ parameters, credentials: oauthApp(sandbox), input: titles.map((title) => ({ title })), continueOnFail });
		everything.push(result);
		expect(sandbox.requests.filter((r) => r.path === batchPath)).toHaveLength(requests);
		const stored = ((await askSandbox(sandbox, 'POST', '/v1/leads/search', { filter: { title: titles }, limit: 10 })).data as Array<{ title: string }>).map((lead) => lead.title);
		// Created once when VibeCode ran the batch (and then not sent again), never twice.
		expect(stored.sort()).toEqual(requests > 1 || ranUnseen ? titles : []);
		if (requests > 1) {
			expect(result.error).toBeUndefined();
			expect(result.items!.map((item) => item.json.title)).toEqual(titles);
		} else if (continueOnFail) {
			expect(result.items!.map((item) => [item.json.code, item.json.itemIndex])).toEqual([
				[code, 0],
				[code, 1],
			]);
		} else {
			expect(result.error!.name).toBe('NodeApiError');
			expect(result.error!.context!.vibeCode).toBe(code);
			expect(result.error!.context!.itemIndex).toBe(0);
			expect(result.error!.description).toContain('The run stopped at item 0. No item was written.');
		}
		if (ranUnseen) expect(result.error?.message ?? result.items![0].json.error).toBe(`No answer to the batch that created this lead: it may already have been created [${code}]`);
		if (continueOnFail) {
			batchSummary.push(
				`| ${fault.kind}${fault.status ? ` ${fault.status}` : ''}${fault.code ? ` ${fault.code}` : ''}${fault.afterProcessing ? ' (after processing)' : ''} | ${code} | ${requests > 1 ? 'sent again, then created' : ranUnseen ? 'not sent again; the leads exist, each item says they may' : 'not sent again'} | ${requests} | lost 0, duplicated 0 |`,
			);
		}
	});
});

test('the bad-input set, with the same credential, joins the secrets check', async () => {
	const values = ['', 'abc', -1, 1.5, null, { a: 1 }, [1], '\u0000', 'x'.repeat(500)];
	for (const mode of [false, true]) {
		everything.push(
			await runNode({
				parameters: fireParameters({ entity: '={{ $json.value }}' }),
				credentials: oauthApp(sandbox),
				input: values.map((value) => ({ value })),
				continueOnFail: mode,
			}),
		);
	}
	expect(sandbox.requests.filter((r) => r.path === firePath)).toHaveLength(0);
});
