/**
 * Product Row → Set through n8n-core's WorkflowExecute against the sandbox: PUT …/products replaces every row, rows
 * from the editor's list or from a payment's line items by expression, products by catalog ID, name or SKU (one
 * catalog search per run, refused by label with what was found), every row proven against the answer, the amount
 * Bitrix24 recomputed in the output, bad input refused before any request, Continue On Fail, pairing, resent after an
 * unknown outcome (a Set is idempotent), the smart-process item, and each reading the pages leave open.
 */
import { runNode } from '../../../helpers/engine';
import { personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';
import { editorRow, productRow, sent, storedRows } from './rows';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const set = (parameters = {}) => productRow('set', parameters);
const fromLineItems = (productBy: string, extra = {}) => set({ rowsFrom: 'lineItems', lineItems: '={{ $json.lineItems }}', productBy, ...extra });

test('rows from the editor: the deal holds exactly them, each proven; the output has the amount Bitrix24 recomputed and the rows', async () => {
	const { items, error } = await runNode({
		parameters: set({ rows: { row: [editorRow(11, 120, 2), editorRow(12, 11000, 1, { discount: 1000, taxRate: '20', taxIncluded: true })] } }),
		credentials: personal(sandbox),
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
		[
			{
				entityType: 'deal',
				recordId: 5141,
				amount: 11240,
				currency: 'USD',
				rows: [
					{ rowId: expect.any(Number), productId: 11, productName: 'Support hour', price: 120, quantity: 2, discount: 0, taxRate: null, taxIncluded: true },
					{ rowId: expect.any(Number), productId: 12, productName: 'Website redesign package', price: 11000, quantity: 1, discount: 1000, taxRate: 20, taxIncluded: true },
				],
			},
			{ item: 0 },
		],
	]);
	expect(storedRows(sandbox, 'deal:5141')).toEqual([[11, 120, 2], [12, 11000, 1]]);
	expect(sent(sandbox)).toEqual(['PUT /v1/deals/5141/products', 'GET /v1/deals/5141']);
});

test('Set replaces: the rows a deal had and that are not sent are gone, and sending the same rows twice leaves the same rows', async () => {
	const parameters = set({ recordId: '5142', rows: { row: [editorRow(13, 230, 4)] } });
	for (let run = 0; run < 2; run++) {
		const { items } = await runNode({ parameters, credentials: personal(sandbox) });
		expect(items![0].json).toMatchObject({ recordId: 5142, amount: 920 });
		expect(storedRows(sandbox, 'deal:5142')).toEqual([[13, 230, 4]]);
	}
});

test("a payment's line items by SKU: one catalog search for every row of every item, then one Set per item", async () => {
	const { items, error } = await runNode({
		parameters: fromLineItems('sku', { recordId: '={{ $json.dealId }}', options: { maxParallel: 1 } }),
		credentials: personal(sandbox),
		input: [
			{ dealId: 5141, lineItems: [{ sku: 'SUP-HOUR', price: 120, quantity: 3 }, { sku: 'WEB-001', price: 12000 }] },
			{ dealId: 5143, lineItems: [{ xmlId: 'CHAIR-GRY', price: 250, quantity: 2, discount: 10, taxRate: 19, taxIncluded: 'Y' }] },
		],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.recordId, item.json.amount, item.pairedItem])).toEqual([
		[5141, 12360, { item: 0 }],
		[5143, 500, { item: 1 }],
	]);
	expect(storedRows(sandbox, 'deal:5141')).toEqual([[11, 120, 3], [12, 12000, 1]]);
	expect(storedRows(sandbox, 'deal:5143')).toEqual([[14, 250, 2]]);
	expect(sent(sandbox)).toEqual(['POST /v1/products/search', 'PUT /v1/deals/5141/products', 'GET /v1/deals/5141', 'PUT /v1/deals/5143/products', 'GET /v1/deals/5143']);
});

test('line items by name and by catalog ID; a name and a SKU in one run take one search each', async () => {
	const byName = await runNode({ parameters: fromLineItems('name'), credentials: personal(sandbox), input: [{ lineItems: [{ name: 'Support hour', price: 100, quantity: 1 }, { productName: 'Website redesign package', price: 9000 }] }] });
	expect(byName.items![0].json).toMatchObject({ amount: 9100 });
	expect(storedRows(sandbox, 'deal:5141')).toEqual([[11, 100, 1], [12, 9000, 1]]);
	sandbox.reset();
	const byId = await runNode({ parameters: fromLineItems('id'), credentials: personal(sandbox), input: [{ lineItems: [{ productId: 13, price: 230, quantity: 2 }] }] });
	expect(byId.items![0].json).toMatchObject({ amount: 460 });
	// By ID needs no search.
	expect(sent(sandbox)).toEqual(['PUT /v1/deals/5141/products', 'GET /v1/deals/5141']);
	sandbox.reset();
	await runNode({ parameters: set({ rows: { row: [editorRow('Support hour', 1, 1, { productBy: 'name' }), editorRow('INST', 1, 1, { productBy: 'sku' })] } }), credentials: personal(sandbox) });
	expect(sent(sandbox).filter((request) => request.includes('/v1/products'))).toEqual(['POST /v1/products/search', 'POST /v1/products/search']);
	expect(storedRows(sandbox, 'deal:5141')).toEqual([[11, 1, 1], [15, 1, 1]]);
});

test('a name several catalog products have: refused by the row\'s label with what was found; nothing is written for any item', async () => {
	const { error } = await runNode({
		parameters: fromLineItems('name'),
		credentials: personal(sandbox),
		input: [{ lineItems: [{ name: 'Support hour', price: 1 }] }, { lineItems: [{ name: 'Support hour', price: 1 }, { name: 'Office chair', price: 230 }] }],
	});
	expect(error).toMatchObject({
		message: 'Line Items → line 2 → Product: 2 catalog products are named "Office chair": 13 "Office chair" (SKU CHAIR-BLK), 230 EUR; 14 "Office chair" (SKU CHAIR-GRY), 260 EUR',
		context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER', itemIndex: 1 }),
	});
	expect(error!.description).toMatch(/Catalog ID or Catalog SKU instead.*Nothing was written for this item \(only a search or read was sent\)/s);
	expect(sent(sandbox)).toEqual(['POST /v1/products/search']);
});

test('a SKU no catalog product has: refused by the row\'s label', async () => {
	const { error } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 1), editorRow('NOPE-1', 1, 1, { productBy: 'sku' })] } }), credentials: personal(sandbox) });
	expect(error!.message).toBe('Rows → Row 2 → Product: the catalog has no product with the SKU "NOPE-1"');
	expect(sent(sandbox)).toEqual(['POST /v1/products/search']);
});

test.each([
	[{ recordId: 'abc' }, /^Record ID must be a positive whole number; got "abc"/],
	[{ recordId: '0' }, /^Record ID must be a positive whole number; got "0"/],
	[{ productRowEntityType: 'contact' }, /^Entity Type must be one of Deal, Invoice, Lead, Quote, Smart Process Item; got "contact"/],
	[{ rows: { row: [editorRow('abc', 1)] } }, /^Rows → Row 1 → Product must be a catalog product ID \(a positive whole number\); got "abc"/],
	[{ rows: { row: [editorRow(11, 1, 0)] } }, /^Rows → Row 1 → Quantity must be a number above 0; got 0/],
	[{ rows: { row: [editorRow(11, 1, 1, { taxRate: 'twenty' })] } }, /^Rows → Row 1 → Tax Rate \(%\) must be a percentage from 0 to 100; got "twenty"/],
	[{ rowsFrom: 'lineItems', productBy: 'sku', lineItems: '={{ $json.nothing }}' }, /^Line Items must be a list of line items; got nothing/],
	[{ rowsFrom: 'lineItems', productBy: 'sku', lineItems: '{"sku": "SUP-HOUR"}' }, /^Line Items must be a list of line items; got \{"sku":"SUP-HOUR"\}/],
	[{ rowsFrom: 'lineItems', productBy: 'sku', lineItems: '[{"sku": "SUP-HOUR", "price": "cheap"}]' }, /^Line Items → line 1 → price must be a number of 0 or more; got "cheap"/],
	[{ rowsFrom: 'lineItems', productBy: 'sku', lineItems: '[{"name": "Support hour", "price": 1}]' }, /^Line Items → line 1 → sku is empty; got nothing/],
	[{ rowsFrom: 'lineItems', productBy: 'sku', lineItems: '[not json' }, /^Line Items must be a list of line items; got text that is not JSON/],
])('bad input %j is refused by its label before any request', async (parameters, message) => {
	const { error } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 1)] }, ...parameters }), credentials: personal(sandbox), input: [{}] });
	expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
	expect(error!.description).toMatch(/Nothing was sent for this item/);
	expect(sent(sandbox)).toEqual([]);
});

test('a deal that does not exist: 404 ENTITY_NOT_FOUND naming it', async () => {
	const { error } = await runNode({ parameters: set({ recordId: '9999', rows: { row: [editorRow(11, 1)] } }), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'The CRM has no deal 9999 [ENTITY_NOT_FOUND]', httpCode: '404' });
});

test('a catalog ID Bitrix24 does not have: its 422 BITRIX_ERROR with its words', async () => {
	const { error } = await runNode({ parameters: set({ rows: { row: [editorRow(999, 1)] } }), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: 'Bitrix24 rejected the request [BITRIX_ERROR]', httpCode: '422' });
	expect(error!.description).toMatch(/VibeCode said: Product 999 is not found\./);
});

test('a read-only key: 403 WRITE_BLOCKED_READONLY_KEY', async () => {
	const { error } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 1)] } }), credentials: { ...personal(sandbox), apiKey: sandbox.keys.readonly } });
	expect(error).toMatchObject({ message: 'The key is read-only and cannot change product rows [WRITE_BLOCKED_READONLY_KEY]', httpCode: '403', context: expect.objectContaining({ vibeCode: 'WRITE_BLOCKED_READONLY_KEY' }) });
});

test('a VibeCode that reads the discount as discountSum (the fields page\'s name): WRITE_NOT_APPLIED naming the row and field', async () => {
	sandbox.configure({ rowDiscount: 'discountSum' });
	const { error } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 120, 2), editorRow(12, 11000, 1, { discount: 1000 })] } }), credentials: personal(sandbox) });
	expect(error).toMatchObject({ message: "Deal 5141's product rows were saved, but a row does not hold what was sent [WRITE_NOT_APPLIED]", context: expect.objectContaining({ vibeCode: 'WRITE_NOT_APPLIED' }) });
	expect(error!.description).toMatch(/^Row 2 \(product 12\), Discount: sent 1000, stored 0\.$/m);
	expect(error!.description).toMatch(/running the item again is safe/);
	// The row without a discount (0 sent, 0 stored) is not named.
	expect(error!.description).not.toMatch(/Row 1/);
});

test('Check Written Values off: the same answer passes', async () => {
	sandbox.configure({ rowDiscount: 'discountSum' });
	const { error, items } = await runNode({ parameters: set({ rows: { row: [editorRow(12, 11000, 1, { discount: 1000 })] }, options: { checkWrittenValues: false } }), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ amount: 11000 });
});

test("taxIncluded answered as Y/N (the fields page's char): read as true/false, proven and output as a boolean", async () => {
	sandbox.configure({ rowTaxIncluded: 'yn' });
	const { error, items } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 120, 1, { taxIncluded: false }), editorRow(12, 100, 1, { taxIncluded: true, taxRate: '20' })] } }), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect((items![0].json.rows as Array<{ taxIncluded: unknown }>).map((row) => row.taxIncluded)).toEqual([false, true]);
});

test('a Set answer without row IDs (the list example shows none): the rows are output without rowId', async () => {
	sandbox.configure({ rowIds: 'notListed' });
	const { items } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 120)] } }), credentials: personal(sandbox) });
	expect(items![0].json.rows).toEqual([{ productId: 11, productName: 'Support hour', price: 120, quantity: 1, discount: 0, taxRate: null, taxIncluded: true }]);
});

describe('a row without a catalog product (Free Text: productId 0 and a name, not on VibeCode\'s pages)', () => {
	const freeText = () => set({ rows: { row: [editorRow(11, 120), editorRow('Gift wrapping', 5, 2, { productBy: 'freeText' })] } });

	test('a VibeCode that refuses it (the pages\' reading): its refusal, said as what to do; nothing stored', async () => {
		const { error } = await runNode({ parameters: freeText(), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'VibeCode refused a row without a catalog product (Product By: Free Text) [VALIDATION_ERROR]', httpCode: '400' });
		expect(error!.description).toMatch(/Create the product in the catalog/);
		expect(storedRows(sandbox, 'deal:5141')).toEqual([]);
	});

	test("a VibeCode that takes it (Bitrix24's reading): stored by its name and proven", async () => {
		sandbox.configure({ freeTextRows: 'accepted' });
		const { error, items } = await runNode({ parameters: freeText(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ amount: 130, rows: [{ productId: 11 }, { productId: 0, productName: 'Gift wrapping', price: 5, quantity: 2 }] });
	});
});

test("a smart-process item's rows: /v1/items/{entityTypeId}/{id}/products, its amount from opportunity", async () => {
	const { error, items } = await runNode({
		parameters: set({ productRowEntityType: 'smartProcessItem', smartProcessType: 1038, recordId: '1', rows: { row: [editorRow(11, 120, 10)] } }),
		credentials: personal(sandbox),
	});
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ entityType: 'dynamic_1038', recordId: 1, amount: 1200, currency: 'USD' });
	expect(sent(sandbox)).toEqual(['PUT /v1/items/1038/1/products', 'GET /v1/items/1038/1']);
});

test.each([
	['invoice', '501', 'invoices', 'opportunity'],
	['lead', '101', 'leads', 'amount'],
	['quote', '401', 'quotes', 'amount'],
])("an %s's rows", async (type, id, path) => {
	const { items, error } = await runNode({ parameters: set({ productRowEntityType: type, recordId: id, rows: { row: [editorRow(11, 50, 3)] } }), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ entityType: type, recordId: Number(id), amount: 150 });
	expect(sent(sandbox)[0]).toBe(`PUT /v1/${path}/${id}/products`);
});

test('no answer to a Set (a broken connection): sent again, since replacing the rows twice leaves the same rows', async () => {
	sandbox.addFault({ kind: 'reset', method: 'PUT', path: '/v1/deals/5141/products', times: 1, afterProcessing: true });
	const { error, items } = await runNode({ parameters: set({ rows: { row: [editorRow(11, 120, 2)] } }), credentials: personal(sandbox) });
	expect(error).toBeUndefined();
	expect(items![0].json).toMatchObject({ amount: 240 });
	expect(sent(sandbox).filter((request) => request.startsWith('PUT'))).toHaveLength(2);
	expect(storedRows(sandbox, 'deal:5141')).toEqual([[11, 120, 2]]);
});

test('Continue On Fail: a bad ID, a missing deal and an unknown name fail their own items; the others are set, each paired', async () => {
	const { items, error } = await runNode({
		parameters: fromLineItems('name', { recordId: '={{ $json.dealId }}' }),
		credentials: personal(sandbox),
		continueOnFail: true,
		input: [
			{ dealId: 5141, lineItems: [{ name: 'Support hour', price: 120 }] },
			{ dealId: 'abc', lineItems: [] },
			{ dealId: 9999, lineItems: [] },
			{ dealId: 5142, lineItems: [{ name: 'Consulting', price: 1 }] },
			{ dealId: 5143, lineItems: [] },
		],
	});
	expect(error).toBeUndefined();
	expect(items!.map((item) => [item.json.amount ?? item.json.code, item.pairedItem])).toEqual([
		[120, { item: 0 }],
		['INVALID_PARAMETER', { item: 1 }],
		['ENTITY_NOT_FOUND', { item: 2 }],
		['INVALID_PARAMETER', { item: 3 }],
		[0, { item: 4 }],
	]);
	expect(items![2].json).toMatchObject({ error: 'The CRM has no deal 9999 [ENTITY_NOT_FOUND]', entityType: 'deal', recordId: 9999 });
	expect(items![3].json.error).toBe('Line Items → line 1 → Product: the catalog has no product named "Consulting"');
	// An empty list of line items empties the deal's rows.
	expect(storedRows(sandbox, 'deal:5143')).toEqual([]);
	expect(storedRows(sandbox, 'deal:5142')).toEqual([[11, 120, 40]]);
});
