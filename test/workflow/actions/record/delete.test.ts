/**
 * Delete (DELETE /v1/{entity}/{id}, 204 without a body) run by n8n-core's WorkflowExecute against the sandbox over
 * real HTTP: every entity type with both key types, `{ id, deleted: true }`, a record that does not exist, bad
 * locators before any request, Continue On Fail, and retries (a delete may be sent again).
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
const remove = (resource: string, entity: unknown, options = {}) => recordParameters({ resource, operation: 'delete', entity, options });
const exists = async (resource: string, id: number) => (await askSandbox(sandbox, 'GET', `${path(resource)}/${id}`)).success === true;
const deletes = () => sandbox.requests.filter((r) => r.method === 'DELETE');

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test.each(Object.entries(RECORD_IDS))('deletes: %s, { id, deleted: true } paired with its item', async (resource, id) => {
		const { items, error } = await runNode({ parameters: remove(resource, id), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { id, deleted: true }, pairedItem: { item: 0 } }]);
		expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([`DELETE ${path(resource)}/${id} 204`]);
		expect(await exists(resource, id)).toBe(false);
	});
});

test('one item per input item, by ID and by URL, each paired with its input', async () => {
	const { items } = await runNode({
		parameters: remove('deal', { __rl: true, mode: 'url', value: '={{ $json.link }}' }),
		credentials: personal(sandbox),
		input: [{ link: 'https://sandbox.bitrix24.com/crm/deal/details/5142/' }, { link: 'https://sandbox.bitrix24.com/crm/deal/details/5143/' }],
	});
	expect(items).toEqual([
		{ json: { id: 5142, deleted: true }, pairedItem: { item: 0 } },
		{ json: { id: 5143, deleted: true }, pairedItem: { item: 1 } },
	]);
	expect(await exists('deal', 5141)).toBe(true);
});

test('a record that does not exist: ENTITY_NOT_FOUND naming the type and the ID', async () => {
	const { error } = await runNode({ parameters: remove('quote', 999999), credentials: personal(sandbox) });
	expect(error!.message).toBe('The CRM has no quote 999999 [ENTITY_NOT_FOUND]');
	expect(error!.httpCode).toBe('404');
	expect(error!.context!.itemIndex).toBe(0);
	expect(deletes()).toHaveLength(1);
});

test('an empty Record fails before any request, with the item index', async () => {
	const { error } = await runNode({ parameters: remove('lead', '={{ $json.id }}'), credentials: personal(sandbox), input: [{ id: 101 }, { id: '' }] });
	expect(error!.message).toBe('Record ID must be a positive whole number; got ""');
	expect(error!.context!.itemIndex).toBe(1);
	expect(sandbox.requests).toEqual([]);
	expect(await exists('lead', 101)).toBe(true);
});

test('continue on fail: error items repeat the ID; the good ones are deleted', async () => {
	const { items, error } = await runNode({
		parameters: remove('lead', '={{ $json.id }}'),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ id: 101 }, { id: 999999 }, { id: 'x' }, { id: 102 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => item.json)).toEqual([
		{ id: 101, deleted: true },
		expect.objectContaining({ error: 'The CRM has no lead 999999 [ENTITY_NOT_FOUND]', code: 'ENTITY_NOT_FOUND', itemIndex: 1, id: 999999 }),
		expect.objectContaining({ error: 'Record ID must be a positive whole number; got "x"', code: 'INVALID_PARAMETER', itemIndex: 2 }),
		{ id: 102, deleted: true },
	]);
	expect(items!.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
});

test('a read-only key is refused by VibeCode; the record stays', async () => {
	const { error } = await runNode({ parameters: remove('deal', 5141), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
	expect(error!.context!.vibeCode).toBe('WRITE_BLOCKED_READONLY_KEY');
	expect(await exists('deal', 5141)).toBe(true);
});

describe('retries: a delete may be sent again', () => {
	test('the connection breaks before VibeCode answers: sent again, deleted once', async () => {
		sandbox.addFault({ kind: 'reset', method: 'DELETE', path: '/v1/deals/5141' });
		const { items, error } = await runNode({ parameters: remove('deal', 5141), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toEqual({ id: 5141, deleted: true });
		expect(deletes().map((r) => r.status)).toEqual(['reset', 204]);
	});

	test('the answer is lost after VibeCode deleted it: the second attempt finds it gone, which is what was asked', async () => {
		sandbox.addFault({ kind: 'reset', method: 'DELETE', path: '/v1/deals/5141', afterProcessing: true });
		const { items, error } = await runNode({ parameters: remove('deal', 5141), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items).toEqual([{ json: { id: 5141, deleted: true }, pairedItem: { item: 0 } }]);
		expect(deletes().map((r) => r.status)).toEqual(['reset', 404]);
		expect(await exists('deal', 5141)).toBe(false);
	});

	test('a record that never existed is still not found after a 429', async () => {
		sandbox.addFault({ kind: 'error', method: 'DELETE', path: '/v1/deals/999999', status: 429, code: 'RATE_LIMITED', retryAfter: 0 });
		const { error } = await runNode({ parameters: remove('deal', 999999), credentials: personal(sandbox) });
		expect(error!.context!.vibeCode).toBe('ENTITY_NOT_FOUND');
		expect(deletes().map((r) => r.status)).toEqual([429, 404]);
	});

	test('a 429 is waited out (Retry-After), then the delete goes through once', async () => {
		sandbox.addFault({ kind: 'error', method: 'DELETE', path: '/v1/leads/101', status: 429, code: 'RATE_LIMITED', message: 'QUERY_LIMIT_EXCEEDED', retryAfter: 1 });
		const started = Date.now();
		const { items, error } = await runNode({ parameters: remove('lead', 101), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toEqual({ id: 101, deleted: true });
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(deletes().map((r) => r.status)).toEqual([429, 204]);
	});
});
