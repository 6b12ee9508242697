/**
 * Get (GET /v1/{entity}/{id}) run by n8n-core's WorkflowExecute against the sandbox over real HTTP: every entity
 * type with both key types, the Record locator's modes, a record that does not exist, bad locators before any
 * request, Continue On Fail, and retries (a read is sent again after an unknown outcome).
 */
import { entityType } from '../../../../nodes/Bitrix24/helpers/entities';
import { runNode } from '../../../helpers/engine';
import { askSandbox, KEY_TYPES, personal, RECORD_IDS, recordParameters } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const path = (resource: string) => `/v1/${entityType(resource)!.path}`;
const get = (resource: string, entity: unknown, options = {}) => recordParameters({ resource, operation: 'get', entity, options });
const stored = async (resource: string, id: number) => (await askSandbox(sandbox, 'GET', `${path(resource)}/${id}`)).data;

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(Object.entries(RECORD_IDS))('gets: %s, the record as VibeCode returns it, paired with its item', async (resource, id) => {
		const { items, error } = await runNode({ parameters: get(resource, id), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`GET ${path(resource)}/${id} 200`]);
		expect(items).toEqual([{ json: await stored(resource, id), pairedItem: { item: 0 } }]);
		expect(items![0].json.id).toBe(id);
	});
});

test('custom fields and phone / email lists come as VibeCode keeps them', async () => {
	const { items } = await runNode({ parameters: get('contact', 201), credentials: personal(sandbox) });
	expect(items![0].json.phone).toEqual([
		{ id: expect.any(Number), value: '+15550100201', typeId: 'WORK' },
		{ id: expect.any(Number), value: '+15550100299', typeId: 'MOBILE' },
	]);
	const deal = await runNode({ parameters: get('deal', 5141), credentials: personal(sandbox) });
	expect(deal.items![0].json).toMatchObject({ UF_CRM_ORDER_NUMBER: 'ORD-1001', stageId: 'NEW', categoryId: 0 });
});

test('one item per input item, each paired with its input: IDs from expressions, numbers, text and #5141 alike', async () => {
	const { items } = await runNode({
		parameters: get('deal', '={{ $json.dealId }}'),
		credentials: personal(sandbox),
		input: [{ dealId: 5143 }, { dealId: '5141' }, { dealId: ' #5142 ' }],
	});
	expect(items!.map(({ json, pairedItem }) => [json.id, pairedItem])).toEqual([
		[5143, { item: 0 }],
		[5141, { item: 1 }],
		[5142, { item: 2 }],
	]);
});

test.each([
	['From List', { __rl: true, mode: 'list', value: '101', cachedResultName: 'Inbound call' }, 'lead', 101],
	['By URL', { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/lead/details/102/' }, 'lead', 102],
	['By URL of an invoice', { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/type/31/details/501/' }, 'invoice', 501],
	['By URL of a quote', { __rl: true, mode: 'url', value: 'https://sandbox.bitrix24.com/crm/type/7/details/401/' }, 'quote', 401],
])('the Record locator %s', async (_label, entity, resource, id) => {
	const { items } = await runNode({ parameters: get(resource, entity), credentials: personal(sandbox) });
	expect(items![0].json.id).toBe(id);
});

describe('bad locators fail before any request, naming the Record and the item', () => {
	test.each([
		['an empty Record', { __rl: true, mode: 'id', value: '={{ $json.id }}' }, '', 'Record ID must be a positive whole number; got ""'],
		['an empty Record from the list', { __rl: true, mode: 'list', value: '={{ $json.id }}' }, null, 'Record ID must be a positive whole number; got null'],
		['a decimal', { __rl: true, mode: 'id', value: '={{ $json.id }}' }, 10.5, 'Record ID must be a positive whole number; got 10.5'],
		['text', { __rl: true, mode: 'id', value: '={{ $json.id }}' }, 'Anna', 'Record ID must be a positive whole number; got "Anna"'],
		['not a CRM link', { __rl: true, mode: 'url', value: '={{ $json.id }}' }, 'https://example.com/x', 'Record By URL is not a Bitrix24 CRM record link; got "https://example.com/x"'],
		['a link to another type', { __rl: true, mode: 'url', value: '={{ $json.id }}' }, 'https://x.bitrix24.com/crm/deal/details/5141/', 'The link is to a deal, but the resource is Lead'],
	])('%s', async (_label, entity, id, message) => {
		const good = entity.mode === 'url' ? 'https://sandbox.bitrix24.com/crm/lead/details/101/' : 101;
		const { items, error } = await runNode({ parameters: get('lead', entity), credentials: personal(sandbox), input: [{ id: good }, { id }] });
		expect(items).toBeUndefined();
		expect(error!.name).toBe('NodeOperationError');
		expect(error!.message).toBe(message);
		expect(error!.context!.itemIndex).toBe(1);
		expect(error!.context!.vibeCode).toBe('INVALID_PARAMETER');
		expect(sandbox.requests).toEqual([]);
	});
});

test('a record that does not exist: ENTITY_NOT_FOUND naming the type and the ID', async () => {
	const { items, error } = await runNode({ parameters: get('lead', 999999), credentials: personal(sandbox) });
	expect(items).toBeUndefined();
	expect(error!.message).toBe('The CRM has no lead 999999 [ENTITY_NOT_FOUND]');
	expect(error!.context!.vibeCode).toBe('ENTITY_NOT_FOUND');
	expect(error!.httpCode).toBe('404');
	expect(error!.context!.itemIndex).toBe(0);
	expect(error!.description).toMatch(/^Check the Entity ID and the Entity Type/);
	// Not found is an answer: not retried.
	expect(sandbox.requests).toHaveLength(1);
});

test('continue on fail: an error item for each missing or bad record, the others as usual', async () => {
	const { items, error } = await runNode({
		parameters: get('company', '={{ $json.id }}'),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ id: 301 }, { id: 999999 }, { id: '' }, { id: 302 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
	expect(items!.map((item) => item.json.title ?? item.json.error)).toEqual([
		'Acme LLC',
		'The CRM has no company 999999 [ENTITY_NOT_FOUND]',
		'Record ID must be a positive whole number; got ""',
		'Globex Corporation',
	]);
	expect(items![1].json).toMatchObject({ code: 'ENTITY_NOT_FOUND', httpCode: '404', itemIndex: 1 });
	expect(items![2].json).toMatchObject({ code: 'INVALID_PARAMETER', httpCode: null, itemIndex: 2 });
	// The three readable items in one batch of get calls; the empty ID was refused before it.
	expect(sandbox.requests.map((r) => r.path)).toEqual(['/v1/batch']);
});

describe('retries: a read is safe to send again', () => {
	test.each([
		['the connection breaks before VibeCode answers', { kind: 'reset' }, 'reset'],
		['the answer is lost after VibeCode read the record', { kind: 'reset', afterProcessing: true }, 'reset'],
		['VibeCode has an internal error', { kind: 'error', status: 500, code: 'INTERNAL_ERROR' }, 500],
		['a proxy answers with an HTML page', { kind: 'html' }, 502],
	] as const)('%s: sent again, without Retry Unknown Outcomes', async (_label, fault, status) => {
		sandbox.addFault({ ...fault, method: 'GET', path: '/v1/deals/5141' });
		const { items, error } = await runNode({ parameters: get('deal', 5141), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json.id).toBe(5141);
		expect(sandbox.requests.map((r) => r.status)).toEqual([status, 200]);
	});

	test('a 429 is waited out (Retry-After), then the read succeeds', async () => {
		sandbox.addFault({ kind: 'error', method: 'GET', path: '/v1/deals/5141', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: get('deal', 5141), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toHaveLength(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sandbox.requests.map((r) => r.status)).toEqual([429, 200]);
	});

	test('a bounded number of times, then the error says how often it tried', async () => {
		sandbox.addFault({ kind: 'reset', method: 'GET', path: '/v1/deals/5141', times: 5 });
		const { error } = await runNode({ parameters: get('deal', 5141, { maxRetries: 1 }), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('CONNECTION_RESET');
		expect(error!.description).toMatch(/^The node already sent it again \(reading, changing and deleting a record are safe to repeat\)\./);
		expect(error!.description).toMatch(/Tried 2 times/);
		expect(sandbox.requests).toHaveLength(2);
	});
});
