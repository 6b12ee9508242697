/**
 * Product Row → Get Many through n8n-core's WorkflowExecute against the sandbox: GET …/products, one output item per
 * row naming its record, rowId apart from productId, taxIncluded a boolean whichever way VibeCode answers it; a
 * missing record; bad input before any request; Continue On Fail and pairing.
 */
import { runNode } from '../../../helpers/engine';
import { personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';
import { productRow, sent, storedRowIds } from './rows';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const getMany = (parameters = {}) => productRow('getMany', { recordId: '5142', ...parameters });

test.each([['boolean'], ['yn']])("a deal's rows, one item each, taxIncluded answered as %s output as a boolean", async (rowTaxIncluded) => {
	sandbox.configure({ rowTaxIncluded });
	const { items, error } = await runNode({ parameters: getMany(), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
		[{ entityType: 'deal', recordId: 5142, rowId: storedRowIds(sandbox, 'deal:5142')[0], productId: 11, productName: 'Support hour', price: 120, quantity: 40, discount: 0, taxRate: null, taxIncluded: false }, { item: 0 }],
	]);
	expect(sent(sandbox)).toEqual(['GET /v1/deals/5142/products']);
});

test('a list without row IDs (the list example shows none): the rows without rowId', async () => {
	sandbox.configure({ rowIds: 'notListed' });
	const { items } = await runNode({ parameters: getMany(), credentials: personal(sandbox) });
	expect(items![0].json).not.toHaveProperty('rowId');
	expect(items![0].json).toMatchObject({ productId: 11 });
});

test('a record without rows gives no items; an invoice and a smart-process item by their paths', async () => {
	expect((await runNode({ parameters: getMany({ recordId: '5141' }), credentials: personal(sandbox) })).items).toEqual([]);
	const invoice = await runNode({ parameters: getMany({ productRowEntityType: 'invoice', recordId: '501' }), credentials: personal(sandbox) });
	expect(invoice.items!.map((item) => [item.json.entityType, item.json.productId, item.json.quantity])).toEqual([['invoice', 13, 10]]);
	const order = await runNode({ parameters: getMany({ productRowEntityType: 'smartProcessItem', smartProcessType: '1038', recordId: '1' }), credentials: personal(sandbox) });
	expect(order.items!.map((item) => [item.json.entityType, item.json.recordId, item.json.productId])).toEqual([['dynamic_1038', 1, 11]]);
});

test('a missing record: 404 naming it; a bad ID refused by its label before any request', async () => {
	const missing = await runNode({ parameters: getMany({ productRowEntityType: 'lead', recordId: '404' }), credentials: personal(sandbox) });
	expect(missing.error).toMatchObject({ message: 'The CRM has no lead 404 [ENTITY_NOT_FOUND]', httpCode: '404' });
	sandbox.reset();
	const bad = await runNode({ parameters: getMany({ recordId: '5142.5' }), credentials: personal(sandbox) });
	expect(bad.error!.message).toBe('Record ID must be a positive whole number; got "5142.5"');
	expect(sent(sandbox)).toEqual([]);
});

test('Continue On Fail: each record\'s rows paired with its item; a missing record fails only its own', async () => {
	const { items, error } = await runNode({
		parameters: getMany({ productRowEntityType: '={{ $json.type }}', recordId: '={{ $json.id }}' }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ type: 'deal', id: 5142 }, { type: 'deal', id: 1 }, { type: 'company', id: 301 }, { type: 'invoice', id: 501 }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.productId ?? item.json.code, item.pairedItem])).toEqual([
		[11, { item: 0 }],
		['ENTITY_NOT_FOUND', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		[13, { item: 3 }],
	]);
});
