/** The Get Many operation run by n8n-core's WorkflowExecute against the sandbox, for both key types. */
import { TRIGGER_LIST_FOR_GET_MANY } from '../../../../nodes/Bitrix24/errors';
import { runNode } from '../../../helpers/engine';
import { oauthApp, personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const parameters = { resource: 'automationTrigger', operation: 'getMany', returnAll: true };

test('returns one item per trigger with an OAuth application', async () => {
	const { items } = await runNode({ parameters, credentials: oauthApp(sandbox) });
	expect(items!.map((item) => item.json.code)).toEqual(['payment_received', 'delivery_confirmed', 'contract_signed', 'form_submitted']);
	expect(items![0]).toEqual({
		json: { code: 'payment_received', name: 'Payment received' },
		pairedItem: { item: 0 },
	});
});

test('asks for the list once per run, whatever the number of input items', async () => {
	const { items } = await runNode({ parameters, credentials: oauthApp(sandbox), input: [{}, {}, {}] });
	expect(items).toHaveLength(12);
	expect(items!.map((item) => item.pairedItem)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2].map((item) => ({ item })));
	expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(1);
});

test('respects Limit', async () => {
	const { items } = await runNode({ parameters: { ...parameters, returnAll: false, limit: 2 }, credentials: oauthApp(sandbox) });
	expect(items!.map((item) => item.json.code)).toEqual(['payment_received', 'delivery_confirmed']);
});

test('fails clearly with a personal key', async () => {
	const { error } = await runNode({ parameters, credentials: personal(sandbox) });
	expect(error!.message).toBe(`${TRIGGER_LIST_FOR_GET_MANY.message} [BITRIX_ACCESS_DENIED]`);
	expect(error!.description).toMatch(/^Get Many works only with an OAuth Application credential/);
	expect(error!.context!.itemIndex).toBe(0);
});

test('continue on fail gives one error item per input item, shaped as for Fire, and asks once', async () => {
	const { items } = await runNode({ parameters, credentials: personal(sandbox), continueOnFail: true, input: [{}, {}] });
	expect(items).toEqual([0, 1].map((item) => ({
		json: {
			error: `${TRIGGER_LIST_FOR_GET_MANY.message} [BITRIX_ACCESS_DENIED]`,
			description: expect.stringMatching(/^Get Many works only with an OAuth Application credential/),
			code: 'BITRIX_ACCESS_DENIED',
			httpCode: '403',
			itemIndex: item,
		},
		pairedItem: { item },
	})));
	expect(sandbox.requests.filter((r) => r.path === '/v1/triggers')).toHaveLength(1);
});
