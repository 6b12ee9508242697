/**
 * Custom API Call through n8n-core's WorkflowExecute against the sandbox over real HTTP: any path with any method,
 * the answer as items, the node's errors and retries for it, bad input refused by its label before any request,
 * Continue On Fail and pairing, and a POST never sent twice after an unknown outcome.
 */
import type { IDataObject } from 'n8n-workflow';

import { runNode } from '../../../helpers/engine';
import { askSandbox, KEY_TYPES, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const call = (method: string, path: string, extra: IDataObject = {}): IDataObject => ({ resource: 'apiCall', operation: 'request', method, path, ...extra });
const sent = () => sandbox.requests.filter((r) => r.path.startsWith('/v1/') && r.path !== '/v1/me');

describe.each(KEY_TYPES)('with %s', (_label, credentials) => {
	test('GET a record: one item, VibeCode\'s data', async () => {
		const { items, error } = await runNode({ parameters: call('GET', '/v1/deals/5141'), credentials: credentials(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => item.json)).toEqual([(await askSandbox(sandbox, 'GET', '/v1/deals/5141')).data]);
		expect(items![0].pairedItem).toEqual({ item: 0 });
	});
});

test('a list: one item per entry; with Split Into Items off, the whole answer in one item', async () => {
	const query = { parameter: [{ name: 'limit', value: '2' }] };
	const { items } = await runNode({ parameters: call('GET', '/v1/users', { query }), credentials: personal(sandbox) });
	expect(items!.map((item) => item.json.ID)).toEqual(['1', '7']);
	expect(sent().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v1/users']);
	const whole = await runNode({ parameters: call('GET', '/v1/users', { query, options: { split: false } }), credentials: personal(sandbox) });
	expect(whole.items!.map((item) => item.json)).toEqual([expect.objectContaining({ data: [expect.objectContaining({ ID: '1' }), expect.objectContaining({ ID: '7' })], total: 3 })]);
});

test('POST a search, POST a create, PATCH it, DELETE it: what VibeCode stored at each step', async () => {
	const search = await runNode({ parameters: call('POST', '/v1/deals/search', { body: '{"filter": {"stageId": "NEW"}, "select": ["id", "title"]}' }), credentials: personal(sandbox) });
	expect(search.items!.map((item) => item.json.id)).toContain(5141);
	const created = await runNode({ parameters: call('POST', '/v1/deals', { body: { title: 'Custom call deal', amount: 700 } }), credentials: personal(sandbox) });
	const id = created.items![0].json.id as number;
	expect((await askSandbox(sandbox, 'GET', `/v1/deals/${id}`)).data).toMatchObject({ title: 'Custom call deal', amount: 700 });
	const patched = await runNode({ parameters: call('PATCH', `/v1/deals/${id}`, { body: '{"title": "Renamed"}' }), credentials: personal(sandbox) });
	expect(patched.items![0].json).toMatchObject({ id, title: 'Renamed' });
	const deleted = await runNode({ parameters: call('DELETE', `/v1/deals/${id}`), credentials: personal(sandbox) });
	expect(deleted.items!.map((item) => item.json)).toEqual([{ success: true }]);
	expect(await askSandbox(sandbox, 'GET', `/v1/deals/${id}`)).toMatchObject({ success: false, error: { code: 'ENTITY_NOT_FOUND' } });
});

test.each([
	['deals', /^Path must start with \/v1\//],
	['https://vibecode.bitrix24.tech/v1/deals', /^Path must not include the host/],
	['/v1/deals?limit=5', /^Path must start with \/v1\/ and hold no query/],
	['/v1/../admin', /dot segments/],
	// Empty in the editor is n8n's own "required" issue; an expression that gives nothing is the node's.
	['={{ "" }}', /^Path must start with \/v1\//],
])('path %j is refused by its label before any request', async (path, message) => {
	const { error } = await runNode({ parameters: call('GET', path), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: expect.stringMatching(message), description: expect.stringContaining('/v1/') });
	expect(sent()).toEqual([]);
});

test('a body that is no JSON object is refused by its label before any request', async () => {
	for (const body of ['{"title": ', '[1, 2]', '"text"']) {
		const { error } = await runNode({ parameters: call('POST', '/v1/deals', { body }), credentials: personal(sandbox) });
		expect(error!.message).toMatch(/^Body \(JSON\) (is not valid JSON|must be a JSON object)/);
	}
	expect(sent()).toEqual([]);
});

test("VibeCode's failure in the error table's words, with its code and status; the key never shown", async () => {
	const { error } = await runNode({ parameters: call('GET', '/v1/deals/999999'), credentials: personal(sandbox) });
	expect(error).toMatchObject({ httpCode: '404', context: expect.objectContaining({ vibeCode: 'ENTITY_NOT_FOUND' }) });
	expect(JSON.stringify(error)).not.toContain(sandbox.keys.personal);
});

test('Continue On Fail: the failed item says its method and path; the others run, each paired with its input', async () => {
	const { items } = await runNode({
		parameters: call('GET', '={{ "/v1/deals/" + $json.id }}'),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ id: 5141 }, { id: 999999 }, { id: 5142 }],
	});
	expect(items!.map((item) => [item.json.id ?? item.json.code, item.pairedItem])).toEqual([
		[5141, { item: 0 }],
		['ENTITY_NOT_FOUND', { item: 1 }],
		[5142, { item: 2 }],
	]);
	expect(items![1].json).toMatchObject({ method: 'GET', path: '/v1/deals/999999' });
});

test('a POST whose answer is lost is not sent again; a GET is', async () => {
	sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/deals', afterProcessing: true });
	const { error } = await runNode({ parameters: call('POST', '/v1/deals', { body: { title: 'Lost answer' }, options: { maxRetries: 4 } }), credentials: personal(sandbox) });
	expect(error!.context!.vibeCode).toBe('CONNECTION_RESET');
	expect(sent().filter((r) => r.method === 'POST')).toHaveLength(1);
	sandbox.addFault({ kind: 'reset', method: 'GET', path: '/v1/deals/5141', afterProcessing: true });
	const read = await runNode({ parameters: call('GET', '/v1/deals/5141'), credentials: personal(sandbox) });
	expect(read.items![0].json.id).toBe(5141);
	expect(sent().filter((r) => r.method === 'GET' && r.path === '/v1/deals/5141')).toHaveLength(2);
});
