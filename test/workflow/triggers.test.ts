/**
 * The trigger list: the editor's From List loader (through n8n-core's LoadOptionsContext) and the
 * Get Many operation (through WorkflowExecute), for both key types, against the sandbox.
 */
import { PERSONAL_KEY_LIST_MESSAGE } from '../../nodes/Bitrix24/helpers/triggers';
import { listSearch, runNode } from '../helpers/engine';
import { fireParameters, oauthApp, personal } from '../helpers/fixtures';
import { createSandbox } from '../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

describe('From List loader (searchTriggers)', () => {
	test('an OAuth application sees "Name (CODE)" for every registered trigger', async () => {
		const { results } = await listSearch('searchTriggers', { parameters: fireParameters(), credentials: oauthApp(sandbox) });
		expect(results).toEqual([
			{ name: 'Payment received (payment_received)', value: 'payment_received' },
			{ name: 'Delivery confirmed (delivery_confirmed)', value: 'delivery_confirmed' },
			{ name: 'Contract signed (contract_signed)', value: 'contract_signed' },
		]);
	});

	test('the search text filters by name or code', async () => {
		const { results } = await listSearch('searchTriggers', { parameters: fireParameters(), credentials: oauthApp(sandbox), filter: 'DELIVERY' });
		expect(results.map((r) => r.value)).toEqual(['delivery_confirmed']);
	});

	test('a personal key gets an error that points to By Code', async () => {
		const failure = listSearch('searchTriggers', { parameters: fireParameters(), credentials: personal(sandbox) });
		await expect(failure).rejects.toMatchObject({
			name: 'NodeApiError',
			message: `${PERSONAL_KEY_LIST_MESSAGE} [BITRIX_ACCESS_DENIED]`,
			description: expect.stringContaining('Switch Trigger to By Code'),
			httpCode: '403',
		});
	});

	test('an application with no triggers is told so, not shown an empty list', async () => {
		const credentials = { ...oauthApp(sandbox, sandbox.keys.emptySession), apiKey: sandbox.keys.emptyApp };
		await expect(listSearch('searchTriggers', { parameters: fireParameters(), credentials })).rejects.toMatchObject({
			message: 'No triggers are registered by this application on the portal',
		});
	});

	test('an expired session says to re-authorize', async () => {
		const failure = listSearch('searchTriggers', { parameters: fireParameters(), credentials: oauthApp(sandbox, sandbox.keys.expiredSession) });
		await expect(failure).rejects.toMatchObject({ httpCode: '401', description: expect.stringContaining('/v1/oauth/authorize') });
	});
});

describe('Get Many', () => {
	const parameters = { resource: 'automationTrigger', operation: 'getMany', returnAll: true };

	test('returns one item per trigger with an OAuth application', async () => {
		const { items } = await runNode({ parameters, credentials: oauthApp(sandbox) });
		expect(items!.map((item) => item.json.code)).toEqual(['payment_received', 'delivery_confirmed', 'contract_signed']);
		expect(items![0]).toEqual({
			json: { code: 'payment_received', name: 'Payment received', NAME: 'Payment received', CODE: 'payment_received' },
			pairedItem: { item: 0 },
		});
	});

	test('asks for the list once per run, whatever the number of input items', async () => {
		const { items } = await runNode({ parameters, credentials: oauthApp(sandbox), input: [{}, {}, {}] });
		expect(items).toHaveLength(9);
		expect(items!.map((item) => item.pairedItem)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2].map((item) => ({ item })));
		expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(1);
	});

	test('respects Limit', async () => {
		const { items } = await runNode({ parameters: { ...parameters, returnAll: false, limit: 2 }, credentials: oauthApp(sandbox) });
		expect(items).toHaveLength(2);
	});

	test('fails clearly with a personal key', async () => {
		const { error } = await runNode({ parameters, credentials: personal(sandbox) });
		expect(error!.message).toBe(`${PERSONAL_KEY_LIST_MESSAGE} [BITRIX_ACCESS_DENIED]`);
		expect(error!.context!.itemIndex).toBe(0);
	});

	test('continue on fail gives an error item', async () => {
		const { items } = await runNode({ parameters, credentials: personal(sandbox), continueOnFail: true });
		expect(items).toEqual([
			{ json: expect.objectContaining({ code: 'BITRIX_ACCESS_DENIED' }), pairedItem: { item: 0 } },
		]);
	});
});
