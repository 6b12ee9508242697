/**
 * The Fire operation run by n8n-core's WorkflowExecute against the sandbox over real HTTP.
 */
import type { IDataObject } from 'n8n-workflow';

import { VERIFICATION } from '../../../../nodes/Bitrix24/actions/automationTrigger/fire.operation';
import { runNode } from '../../../helpers/engine';
import { fireParameters, oauthApp, personal, serialise } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const firePath = '/v1/triggers/fire';
const fireRequests = () => sandbox.requests.filter((r) => r.path === firePath);

const ENTITY_IDS: Record<string, number> = { company: 301, contact: 201, deal: 5141, invoice: 501, lead: 101, quote: 401 };

describe.each([
	['personal key', personal],
	['OAuth application', oauthApp],
])('with a %s', (_label, credentials) => {
	test.each(Object.entries(ENTITY_IDS))('fires on a %s exactly once', async (entityType, id) => {
		const { items, error } = await runNode({
			parameters: fireParameters({ entityType, entity: String(id) }),
			credentials: credentials(sandbox),
		});
		expect(error).toBeUndefined();
		expect(items).toEqual([
			{
				json: {
					success: true,
					accepted: true,
					...(credentials === personal ? VERIFICATION.personal : VERIFICATION.portal),
					entityType,
					entityId: id,
					triggerId: 'payment_received',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sandbox.journal).toEqual([
			expect.objectContaining({
				entityType,
				entityId: id,
				triggerId: 'payment_received',
				keyType: credentials === personal ? 'personal' : 'oauth_app',
			}),
		]);
	});
});

test('resolves expressions per item, numbers and numeric strings alike, with pairedItem', async () => {
	const { items, error } = await runNode({
		parameters: fireParameters({ entity: '={{ $json.dealId }}', trigger: '={{ $json.code }}' }),
		credentials: personal(sandbox),
		input: [
			{ dealId: 5141, code: 'payment_received' },
			{ dealId: '5142', code: 'delivery_confirmed' },
			{ dealId: ' 5143 ', code: 'contract_signed' },
		],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.entityId, item.json.triggerId, item.pairedItem])).toEqual([
		[5141, 'payment_received', { item: 0 }],
		[5142, 'delivery_confirmed', { item: 1 }],
		[5143, 'contract_signed', { item: 2 }],
	]);
	expect(sandbox.journal.map((f) => f.entityId)).toEqual([5141, 5142, 5143]);
});

test('takes the entity from a Bitrix24 link', async () => {
	const { items } = await runNode({
		parameters: fireParameters({
			entityType: 'invoice',
			entity: { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/type/31/details/501/' },
		}),
		credentials: personal(sandbox),
	});
	expect(items![0].json).toMatchObject({ entityType: 'invoice', entityId: 501 });
	expect(sandbox.journal).toHaveLength(1);
});

describe('bad input fails with the item index before any request', () => {
	// Values arrive through expressions, as at run time: literal invalid values are already refused by
	// n8n's own parameter validation (the workflow "has issues" and does not start).
	const viaExpression = (field: 'entityType' | 'entity' | 'trigger', value: unknown) => ({
		parameters: fireParameters(
			field === 'entity'
				? { entity: { __rl: true, mode: 'id', value: '={{ $json.value }}' } }
				: field === 'trigger'
					? { trigger: { __rl: true, mode: 'code', value: '={{ $json.value }}' } }
					: { entityType: '={{ $json.value }}' },
		),
		input: [{ value: value as IDataObject[string] }],
	});

	test.each([
		['an empty entity ID', 'entity', '', /Entity ID must be a positive whole number; got ""/],
		['a decimal entity ID', 'entity', 12.5, /positive whole number; got 12.5/],
		['a negative entity ID', 'entity', -3, /positive whole number; got -3/],
		['zero', 'entity', 0, /positive whole number; got 0/],
		['text', 'entity', 'deal five', /positive whole number; got "deal five"/],
		['null', 'entity', null, /positive whole number/],
		['an unknown entity type', 'entityType', 'banana', /Entity Type must be one of company, contact, deal, invoice, lead, quote; got "banana"/],
		['an empty trigger', 'trigger', '', /Trigger is empty/],
		['a trigger code with spaces inside', 'trigger', 'payment received', /Trigger code "payment received" is not valid/],
	] as const)('%s', async (_label, field, value, message) => {
		const { error, items } = await runNode({ ...viaExpression(field, value), credentials: personal(sandbox) });
		expect(items).toBeUndefined();
		expect(error!.name).toBe('NodeOperationError');
		expect(error!.message).toMatch(message);
		expect(error!.context!.itemIndex).toBe(0);
		expect(sandbox.requests).toHaveLength(0);
	});

	test.each([
		['a link to another entity type', 'https://x.bitrix24.com/crm/lead/details/5/', /link is to a lead, but Entity Type is Deal/],
		['a link that is not a CRM link', 'https://example.com/crm/nothing', /Entity By URL is not a Bitrix24 CRM record link/],
	])('%s', async (_label, value, message) => {
		const { error } = await runNode({
			parameters: fireParameters({ entity: { __rl: true, mode: 'url', value: '={{ $json.value }}' } }),
			input: [{ value }],
			credentials: personal(sandbox),
		});
		expect(error!.name).toBe('NodeOperationError');
		expect(error!.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});

	test('one bad item stops the run before the good ones fire', async () => {
		const { error } = await runNode({
			parameters: fireParameters({ entity: '={{ $json.id }}' }),
			credentials: personal(sandbox),
			input: [{ id: 5141 }, { id: 5142 }, { id: 'oops' }],
		});
		expect(error!.message).toMatch(/got "oops"/);
		expect(error!.context!.itemIndex).toBe(2);
		expect(sandbox.journal).toHaveLength(0);
	});
});

describe('credential problems are caught before any request', () => {
	test.each([
		['a management key', { apiKey: 'vibe_live_whatever' }, /management key/],
		['an OAuth key chosen as personal', { apiKey: 'vibe_app_whatever' }, /Set Key Type to OAuth Application/],
		['a personal key chosen as OAuth', { keyType: 'oauthApp', apiKey: 'vibe_api_whatever' }, /Set Key Type to Personal Key/],
		['a key with a line break inside', { apiKey: 'vibe_api_abc\ndef' }, /spaces or line breaks/],
		['plain http to a remote host', { baseUrl: 'http://vibecode.example.com' }, /must use https/],
		['a base URL that is not http', { baseUrl: 'ftp://vibecode.bitrix24.tech' }, /must start with https/],
	])('%s', async (_label, change, message) => {
		const { error } = await runNode({ parameters: fireParameters(), credentials: { ...personal(sandbox), ...change } });
		expect(error!.name).toBe('NodeOperationError');
		expect(error!.message).toMatch(message);
		expect(sandbox.requests).toHaveLength(0);
	});
});

const signInLink = () => `${sandbox.url}/v1/oauth/authorize?app=app-1`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Every documented code and every kind of broken answer: see test/workflow/transport/faults.test.ts. These come from the sandbox itself.
describe('errors the sandbox raises on its own', () => {
	test.each([
		// The run quotes the application's own sign-in link (from GET /v1/me), which the connection test cannot.
		['an expired session', () => oauthApp(sandbox, sandbox.keys.expiredSession), 'TOKEN_EXPIRED', '401', () => new RegExp(`^Open ${escape(signInLink())} in your browser, sign in to Bitrix24, .*paste the session token it shows \\(vibe_session_…\\) into the credential's Session Token\\. A session lasts about a day\\. For unattended workflows use a personal key`)],
		['a missing session', () => oauthApp(sandbox, ''), 'TOKEN_MISSING', '401', () => new RegExp(`^Open ${escape(signInLink())} in your browser, sign in to Bitrix24, allow the application`)],
		['a key without the crm scope', () => ({ ...personal(sandbox), apiKey: sandbox.keys.noCrm }), 'SCOPE_DENIED', '403', () => /Re-issue the key with the 'crm' scope/],
		['an unknown key', () => ({ ...personal(sandbox), apiKey: 'vibe_api_not_a_real_one' }), 'INVALID_API_KEY', '401', () => /Create a new key/],
		['a revoked key', () => ({ ...personal(sandbox), apiKey: sandbox.keys.revoked }), 'KEY_INACTIVE', '401', () => /Create a new key/],
		['a read-only key', () => ({ ...personal(sandbox), apiKey: sandbox.keys.readonly }), 'WRITE_BLOCKED_READONLY_KEY', '403', () => /READWRITE/],
	])('from the sandbox itself: %s', async (_label, credentials, code, httpCode, hint) => {
		const { error } = await runNode({ parameters: fireParameters(), credentials: credentials() });
		expect(error!.context!.vibeCode).toBe(code);
		expect(error!.httpCode).toBe(httpCode);
		expect(error!.description).toMatch(hint());
	});

	test('a record that does not exist', async () => {
		const { error } = await runNode({ parameters: fireParameters({ entity: '999999' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('The CRM has no deal 999999 [ENTITY_NOT_FOUND]');
		expect(error!.httpCode).toBe('404');
		// VibeCode's own words end with a full stop before the request ID.
		expect(error!.description).toMatch(/VibeCode said: .*\.\nRequest ID: /);
	});
});

describe('retries', () => {
	test('429 RATE_LIMITED: waits Retry-After, then fires once', async () => {
		sandbox.addFault({ kind: 'error', path: firePath, status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: fireParameters(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json.success).toBe(true);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(fireRequests().map((r) => r.status)).toEqual([429, 200]);
		expect(sandbox.journal).toHaveLength(1);
	});

	test('502 BITRIX_UNAVAILABLE and 504 QUEUE_TIMEOUT are retried', async () => {
		sandbox.addFault({ kind: 'error', path: firePath, status: 502, code: 'BITRIX_UNAVAILABLE', message: 'Bitrix24 returned 503' });
		sandbox.addFault({ kind: 'error', path: firePath, status: 504, code: 'QUEUE_TIMEOUT', message: 'Portal queue saturated', retryAfter: 0 });
		const { items } = await runNode({ parameters: fireParameters(), credentials: personal(sandbox) });
		expect(items![0].json.success).toBe(true);
		expect(fireRequests().map((r) => r.status)).toEqual([502, 504, 200]);
		expect(sandbox.journal).toHaveLength(1);
	});

	test('a bounded number of times, then a clear error', async () => {
		sandbox.addFault({ kind: 'error', path: firePath, status: 429, code: 'RATE_LIMITED', retryAfter: 0, times: 10 });
		const { error } = await runNode({ parameters: fireParameters({ options: { maxRetries: 2 } }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('RATE_LIMITED');
		expect(error!.description).toMatch(/Tried 3 times/);
		expect(fireRequests()).toHaveLength(3);
	});

	test('a wait longer than Max Wait fails at once', async () => {
		sandbox.addFault({ kind: 'error', path: firePath, status: 429, code: 'RATE_LIMITED', retryAfter: 120 });
		const { error } = await runNode({ parameters: fireParameters({ options: { maxWait: 5 } }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('RATE_LIMITED');
		expect(fireRequests()).toHaveLength(1);
	});

	test.each([
		['INTERNAL_ERROR', 500],
		['BITRIX_ERROR', 422],
		['ERROR_LOOP_DETECTED', 429],
		['VALIDATION_ERROR', 400],
	])('%s is not retried', async (code, status) => {
		sandbox.addFault({ kind: 'error', path: firePath, status, code, retryAfter: 0, times: 5 });
		const { error } = await runNode({ parameters: fireParameters(), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe(code);
		expect(fireRequests()).toHaveLength(1);
	});
});

describe('continue on fail', () => {
	test('one error item per failed input; the good ones fire exactly once each', async () => {
		sandbox.addFault({ kind: 'error', path: firePath, status: 422, code: 'BITRIX_ERROR', message: 'Stage is closed' });
		const { items, error } = await runNode({
			parameters: fireParameters({ entity: '={{ $json.id }}' }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ id: 5143 }, { id: 5141 }, { id: 'not a number' }, { id: 5142 }, { id: 999999 }],
		});
		expect(error).toBeUndefined();
		expect(items).toHaveLength(5);
		expect(items!.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(items![0].json).toMatchObject({ code: 'BITRIX_ERROR', httpCode: '422', itemIndex: 0, entityId: 5143 });
		expect(items![0].json.error).toBe('Bitrix24 rejected the request [BITRIX_ERROR]');
		expect(items![1].json).toEqual({ success: true, accepted: true, ...VERIFICATION.personal, entityType: 'deal', entityId: 5141, triggerId: 'payment_received' });
		expect(items![2].json).toEqual({
			error: 'Entity ID must be a positive whole number; got "not a number"',
			description: expect.stringMatching(/Nothing was sent for this item\.$/),
			code: 'INVALID_PARAMETER',
			httpCode: null,
			itemIndex: 2,
			// As given, so the item can be found and fixed: the same fields as an API error item.
			entityType: 'deal',
			entityId: 'not a number',
			triggerId: 'payment_received',
		});
		expect(Object.keys(items![2].json)).toEqual(Object.keys(items![0].json));
		expect(items![3].json.success).toBe(true);
		expect(items![4].json).toMatchObject({ code: 'ENTITY_NOT_FOUND', httpCode: '404', itemIndex: 4 });
		expect(sandbox.journal.map((f) => f.entityId).sort()).toEqual([5141, 5142]);
		expect(fireRequests()).toHaveLength(4);
	});

	test('with "Continue (using error output)" the error items go down the error branch, the fired ones down the main one', async () => {
		const { outputs, error } = await runNode({
			parameters: fireParameters({ entity: '={{ $json.id }}' }),
			credentials: personal(sandbox),
			node: { onError: 'continueErrorOutput' },
			input: [{ id: 5141 }, { id: 'not a number' }, { id: 999999 }, { id: 5142 }],
		});
		expect(error).toBeUndefined();
		const [fired, failed] = outputs!;
		expect(fired!.map((item) => [item.json.entityId, item.pairedItem])).toEqual([[5141, { item: 0 }], [5142, { item: 3 }]]);
		// The details sit inside `error` (after a previous node, n8n adds the input item's fields beside it).
		expect(failed!.map((item) => item.json)).toEqual([
			{ error: expect.objectContaining({ message: expect.stringMatching(/^Entity ID must be/), code: 'INVALID_PARAMETER', itemIndex: 1, entityId: 'not a number' }) },
			{ error: expect.objectContaining({ message: 'The CRM has no deal 999999 [ENTITY_NOT_FOUND]', code: 'ENTITY_NOT_FOUND', httpCode: '404', itemIndex: 2 }) },
		]);
		expect(failed!.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(sandbox.journal.map((f) => f.entityId)).toEqual([5141, 5142]);
	});
});

describe('trigger code verification (OAuth application)', () => {
	test('checks codes with one list request per run', async () => {
		const { items } = await runNode({
			parameters: fireParameters({ entity: '={{ $json.id }}' }),
			credentials: oauthApp(sandbox),
			input: [{ id: 5141 }, { id: 5142 }, { id: 5143 }],
		});
		expect(items).toHaveLength(3);
		expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(1);
	});

	test('an unknown code fails with the nearest known code only and is not sent', async () => {
		const { error } = await runNode({ parameters: fireParameters({ trigger: 'payment_recieved' }), credentials: oauthApp(sandbox) });
		expect(error!.name).toBe('NodeOperationError');
		expect(error!.message).toBe('Trigger code "payment_recieved" is not registered on the portal');
		expect(error!.description).toMatch(/^Did you mean "payment_received"\? /);
		expect(error!.description).not.toMatch(/delivery_confirmed|contract_signed/);
		expect(error!.context).toMatchObject({ itemIndex: 0, vibeCode: 'UNKNOWN_TRIGGER' });
		expect(fireRequests()).toHaveLength(0);
	});

	test('with Continue On Fail only the unknown code fails; the others fire once', async () => {
		const { items } = await runNode({
			parameters: fireParameters({ trigger: '={{ $json.code }}' }),
			credentials: oauthApp(sandbox),
			continueOnFail: true,
			input: [{ code: 'payment_received' }, { code: 'refund_issued' }, { code: 'contract_signed' }],
		});
		expect(items!.map((item) => item.json.success ?? item.json.code)).toEqual([true, 'UNKNOWN_TRIGGER', true]);
		expect(items![1].json).toMatchObject({ itemIndex: 1, httpCode: null, entityType: 'deal', entityId: 5141, triggerId: 'refund_issued' });
		expect(items![1].json.description).toMatch(/^No registered code is close to it\. /);
		expect(sandbox.journal.map((f) => f.triggerId)).toEqual(['payment_received', 'contract_signed']);
		expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(1);
	});

	test('a failing trigger list fails every item with Continue On Fail, and fires nothing', async () => {
		sandbox.addFault({ kind: 'error', path: '/v1/triggers', status: 401, code: 'TOKEN_EXPIRED', message: 'expired' });
		const { items } = await runNode({
			parameters: fireParameters({ entity: '={{ $json.id }}' }),
			credentials: oauthApp(sandbox),
			continueOnFail: true,
			input: [{ id: 5141 }, { id: 5142 }],
		});
		expect(items!.map((item) => [item.json.code, item.json.httpCode, item.json.itemIndex, item.json.entityId])).toEqual([
			['TOKEN_EXPIRED', '401', 0, 5141],
			['TOKEN_EXPIRED', '401', 1, 5142],
		]);
		expect(fireRequests()).toHaveLength(0);
	});

	test('can be turned off', async () => {
		const { items } = await runNode({
			parameters: fireParameters({ trigger: 'registered_elsewhere', options: { verifyTriggerCode: false } }),
			credentials: oauthApp(sandbox),
		});
		expect(items![0].json.success).toBe(true);
		expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(0);
	});

	test('is skipped for personal keys, which cannot list triggers', async () => {
		const { items } = await runNode({ parameters: fireParameters({ trigger: 'any_code' }), credentials: personal(sandbox) });
		expect(items![0].json.success).toBe(true);
		expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(0);
	});
});

describe('every fire says whether its code was verified', () => {
	const hints = (run: Awaited<ReturnType<typeof runNode>>['run']) => run.data.resultData.runData.Bitrix24?.[0]?.hints ?? [];

	test('OAuth application, verification on: verified against the portal, no warning', async () => {
		const { items, run } = await runNode({ parameters: fireParameters(), credentials: oauthApp(sandbox) });
		expect(items![0].json).toMatchObject({ verified: true, verification: VERIFICATION.portal.verification });
		expect(hints(run)).toEqual([]);
	});

	test('personal key without Trigger Codes: not verified, and the output panel warns', async () => {
		const { items, run } = await runNode({ parameters: fireParameters({ trigger: 'payment_recieved' }), credentials: personal(sandbox) });
		expect(items![0].json).toMatchObject({ success: true, verified: false, verification: expect.stringMatching(/^Not verified: a personal key cannot read/) });
		// Each item says it in a line; the output panel explains it once.
		expect(String(items![0].json.verification).length).toBeLessThan(100);
		expect(hints(run)).toEqual([{ message: VERIFICATION.personal.warning, type: 'warning', location: 'outputPane' }]);
	});

	test('verification off: not verified, says why, and warns, with either key type', async () => {
		for (const credentials of [personal(sandbox), oauthApp(sandbox)]) {
			const { items, run } = await runNode({ parameters: fireParameters({ options: { verifyTriggerCode: false } }), credentials });
			expect(items![0].json).toMatchObject({ verified: false, verification: expect.stringMatching(/^Not verified: Verify Trigger Code is off/) });
			expect(hints(run)).toEqual([expect.objectContaining({ type: 'warning', message: VERIFICATION.off.warning })]);
		}
	});

	test("personal key with Trigger Codes: a listed code is verified against the credential's list", async () => {
		const credentials = { ...personal(sandbox), triggerCodes: 'payment_received, delivery_confirmed' };
		const { items, run } = await runNode({ parameters: fireParameters(), credentials });
		expect(items![0].json).toMatchObject({ verified: true, verification: VERIFICATION.credential.verification });
		expect(hints(run)).toEqual([]);
	});

	test("personal key with Trigger Codes: a misspelt code is refused with the nearest listed code, before any request", async () => {
		const credentials = { ...personal(sandbox), triggerCodes: 'payment_received,delivery_confirmed' };
		const { error } = await runNode({ parameters: fireParameters({ trigger: 'payment_recieved' }), credentials });
		expect(error!.message).toBe('Trigger code "payment_recieved" is not in the credential\'s Trigger Codes list');
		expect(error!.description).toMatch(/^Did you mean "payment_received"\? Nothing was fired\. .*add it to Trigger Codes/);
		expect(error!.context).toMatchObject({ vibeCode: 'UNDECLARED_TRIGGER' });
		expect(fireRequests()).toHaveLength(0);
	});
});

describe('secrets', () => {
	test('neither the key nor the session token appears in any error or output', async () => {
		const credentials = oauthApp(sandbox);
		const outputs: unknown[] = [];
		sandbox.addFault({ kind: 'echo', path: firePath, status: 500 });
		outputs.push(await runNode({ parameters: fireParameters(), credentials }));
		sandbox.addFault({ kind: 'echo', path: firePath, status: 500 });
		outputs.push(await runNode({ parameters: fireParameters(), credentials, continueOnFail: true }));
		outputs.push(await runNode({ parameters: fireParameters(), credentials: oauthApp(sandbox, sandbox.keys.expiredSession) }));
		outputs.push(await runNode({ parameters: fireParameters({ entity: '={{ $json.id }}' }), input: [{ id: 'x' }], credentials }));
		outputs.push(await runNode({ parameters: fireParameters(), credentials }));
		const text = serialise(outputs);
		expect(text).toContain('Upstream failed'); // the echoing error was captured...
		for (const secret of [sandbox.keys.app, sandbox.keys.session, sandbox.keys.expiredSession]) {
			expect(text).not.toContain(secret); // ...without what it echoed
		}
	});
});

describe('unknown outcomes are not retried unless allowed', () => {
	test('a reply slower than the timeout: the trigger may have run, so it is not sent again', async () => {
		sandbox.addFault({ kind: 'hang', path: firePath, delayMs: 3000, afterProcessing: true });
		const { error } = await runNode({ parameters: fireParameters({ options: { timeout: 1 } }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('TIMEOUT');
		expect(error!.description).toMatch(/may already have run/);
		expect(error!.context!.itemIndex).toBe(0);
		expect(fireRequests()).toHaveLength(1);
		expect(sandbox.journal).toHaveLength(1);
	});

	test('a connection reset after the request was processed', async () => {
		sandbox.addFault({ kind: 'reset', path: firePath, afterProcessing: true });
		const { error } = await runNode({ parameters: fireParameters(), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('CONNECTION_RESET');
		expect(fireRequests()).toHaveLength(1);
		expect(sandbox.journal).toHaveLength(1);
	});

	test('Retry Unknown Outcomes sends it again (and documents the double run)', async () => {
		sandbox.addFault({ kind: 'reset', path: firePath, afterProcessing: true });
		const { items } = await runNode({ parameters: fireParameters({ options: { retryUnknownOutcome: true } }), credentials: personal(sandbox) });
		expect(items![0].json.success).toBe(true);
		expect(sandbox.journal).toHaveLength(2);
	});

	test('a refused connection: nothing was sent', async () => {
		const { error } = await runNode({ parameters: fireParameters(), credentials: { ...personal(sandbox), baseUrl: 'http://127.0.0.1:9' } });
		expect(error!.context!.vibeCode).toBe('CONNECTION_FAILED');
		expect(error!.description).toMatch(/Nothing was sent/);
	});
});

test('a stopped execution stops waiting at once', async () => {
	sandbox.addFault({ kind: 'error', path: firePath, status: 429, code: 'RATE_LIMITED', retryAfter: 30 });
	const started = Date.now();
	const { run } = await runNode({
		parameters: fireParameters({ options: { maxWait: 60 } }),
		credentials: personal(sandbox),
		onStart: (running) => setTimeout(() => running.cancel(), 300),
	});
	expect(Date.now() - started).toBeLessThan(15_000); // far under the 30 s it was told to wait
	expect(run.status).toBe('canceled');
	expect(fireRequests()).toHaveLength(1);
	expect(sandbox.journal).toHaveLength(0);
});

describe('pacing by the rate-limit headers', () => {
	test('a run larger than the limit finishes with every item fired once and hardly a 429', async () => {
		sandbox.configure({ rateLimit: 20, windowMs: 2000 });
		const input = Array.from({ length: 60 }, (_, n) => ({ n }));
		const started = Date.now();
		const { items, error } = await runNode({
			parameters: fireParameters({ trigger: '={{ "t_" + $json.n }}', options: { maxParallel: 2 } }),
			credentials: personal(sandbox),
			input,
		});
		expect(error).toBeUndefined();
		expect(items!.map((item) => item.json.triggerId)).toEqual(input.map(({ n }) => `t_${n}`));
		expect(new Set(sandbox.journal.map((f) => f.triggerId)).size).toBe(60);
		expect(sandbox.journal).toHaveLength(60);
		expect(sandbox.requests.filter((r) => r.status === 429).length).toBeLessThanOrEqual(2);
		// 60 requests at 20 per 2 s cannot finish before two more windows have passed.
		expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
	}, 30_000);
});

test('a stopped execution sends nothing more, even with continue on fail', async () => {
	sandbox.addFault({ kind: 'error', path: firePath, status: 429, code: 'RATE_LIMITED', retryAfter: 30 });
	const { run } = await runNode({
		parameters: fireParameters({ entity: '={{ $json.id }}', options: { maxWait: 60, maxParallel: 1 } }),
		credentials: personal(sandbox),
		input: [{ id: 5141 }, { id: 5142 }, { id: 5143 }],
		continueOnFail: true,
		onStart: (running) => setTimeout(() => running.cancel(), 300),
	});
	expect(run.status).toBe('canceled');
	await new Promise((resolve) => setTimeout(resolve, 300));
	expect(fireRequests()).toHaveLength(1);
	expect(sandbox.journal).toHaveLength(0);
});
