/**
 * Product Row → Add through n8n-core's WorkflowExecute against the sandbox: POST …/products adds one row and keeps the
 * others, the new row read back and proven, the amount in the output; a product by SKU found with one search for the
 * run; never sent again after an unknown outcome (an Add is a create); bad input refused before any request;
 * Continue On Fail and pairing.
 */
import { runNode } from '../../../helpers/engine';
import { personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';
import { productRow, sent, storedRows } from './rows';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const add = (parameters = {}) => productRow('add', { recordId: '5142', productBy: 'id', product: '13', price: 230, quantity: 2, ...parameters });

test('adds one row, keeps the others, reads the new row to prove it and outputs it with the recomputed amount', async () => {
	const { items, error } = await runNode({ parameters: add({ discount: 20, taxRate: '19' }), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
		[
			{
				entityType: 'deal',
				recordId: 5142,
				amount: 5260,
				currency: 'USD',
				row: expect.objectContaining({ rowId: expect.any(Number), productId: 13, productName: 'Office chair', price: 230, quantity: 2, discount: 20, taxRate: 19, taxIncluded: true }),
			},
			{ item: 0 },
		],
	]);
	expect(storedRows(sandbox, 'deal:5142')).toEqual([[11, 120, 40], [13, 230, 2]]);
	const rowId = (items![0].json.row as { rowId: number }).rowId;
	expect(sent(sandbox)).toEqual(['POST /v1/deals/5142/products', `GET /v1/deals/5142/products/${rowId}`, 'GET /v1/deals/5142']);
});

test('by SKU, for several items: one catalog search for the run', async () => {
	const { items, error } = await runNode({
		parameters: add({ productBy: 'sku', product: '={{ $json.sku }}', options: { maxParallel: 1 } }),
		credentials: personal(sandbox),
		input: [{ sku: 'CHAIR-BLK' }, { sku: 'CHAIR-GRY' }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => (item.json.row as { productId: number }).productId)).toEqual([13, 14]);
	expect(sent(sandbox).filter((request) => request.includes('/v1/products'))).toEqual(['POST /v1/products/search']);
});

test('no answer to an Add (a broken connection after it ran): not sent again; the error says the row may have been added', async () => {
	sandbox.addFault({ kind: 'reset', method: 'POST', path: '/v1/deals/5142/products', times: 1, afterProcessing: true });
	const { error } = await runNode({ parameters: add({ options: { maxRetries: 3 } }), credentials: personal(sandbox) });
	expect(error).toMatchObject({ context: expect.objectContaining({ vibeCode: 'CONNECTION_RESET' }) });
	expect(error!.description).toMatch(/The row may already have been added, so the node did not send it again/);
	expect(sent(sandbox).filter((request) => request.startsWith('POST'))).toHaveLength(1);
});

test('a stored row that does not hold what was sent: WRITE_NOT_APPLIED naming the field, and that running again adds another row', async () => {
	sandbox.configure({ rowDiscount: 'discountSum' });
	const { error } = await runNode({ parameters: add({ discount: 20 }), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: "Deal 5142's product rows were saved, but a row does not hold what was sent [WRITE_NOT_APPLIED]" });
	expect(error!.description).toMatch(/^Row 1 \(product 13\), Discount: sent 20, stored 0\.$/m);
	expect(error!.description).toMatch(/would add another row/);
});

test.each([
	[{ productBy: 'name', product: '  ' }, /^Product is empty; got "  "/],
	[{ quantity: 0 }, /^Quantity must be a number above 0; got 0/],
	[{ price: -1 }, /^Price must be a number of 0 or more; got -1/],
	[{ recordId: '={{ "" }}' }, /^Record ID must be a positive whole number; got ""/],
	[{ productRowEntityType: 'smartProcessItem', smartProcessType: '' }, /^Smart Process Type must be a smart process's type ID \(a whole number\); got ""/],
	[{ productRowEntityType: 'smartProcessItem', smartProcessType: 'orders' }, /^Smart Process Type must be a smart process's type ID/],
])('bad input %j is refused by its label before any request', async (parameters, message) => {
	const { error } = await runNode({ parameters: add(parameters), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(sent(sandbox)).toEqual([]);
});

test('Continue On Fail: a missing deal and an unknown product fail their own items; the others are added, each paired', async () => {
	const { items, error } = await runNode({
		parameters: add({ recordId: '={{ $json.dealId }}', productBy: 'name', product: '={{ $json.name }}', options: { maxParallel: 1 } }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [{ dealId: 5141, name: 'Support hour' }, { dealId: 9999, name: 'Support hour' }, { dealId: 5143, name: 'Gold plating' }, { dealId: 5143, name: 'Website redesign package' }],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.amount ?? item.json.code, item.pairedItem])).toEqual([
		[460, { item: 0 }],
		['ENTITY_NOT_FOUND', { item: 1 }],
		['INVALID_PARAMETER', { item: 2 }],
		[460, { item: 3 }],
	]);
	expect(items![2].json.error).toBe('Product: the catalog has no product named "Gold plating"');
});
