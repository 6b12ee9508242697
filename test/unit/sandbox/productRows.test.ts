/**
 * The sandbox's product rows and catalog (test/sandbox/families/productRows.js, docs/vibecode-contract.md "Product
 * rows"): Set replaces all rows, Add, Get, Update and Delete one row by its own ID, the record's amount recomputed
 * after each change, strict bodies, 404 for a missing record or row, read-only keys, the crm scope, the catalog's
 * list, search and get, and each option's two readings. Plain HTTP, as a client sees it.
 */
import { createSandbox } from '../../sandbox/server';
import { sandboxCaller } from '../../helpers/fixtures';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const call = sandboxCaller(sandbox);

const amountOf = async (path: string) => {
	const { body } = await call('GET', path);
	return body.data.amount ?? body.data.opportunity;
};

describe.each([
	['deal', '/v1/deals/5141', 'amount'],
	['lead', '/v1/leads/101', 'amount'],
	['quote', '/v1/quotes/401', 'amount'],
	['invoice', '/v1/invoices/501', 'opportunity'],
	['smart-process item', '/v1/items/1038/1', 'opportunity'],
])('a %s', (_name, record, amountField) => {
	test('Set replaces every row, gives each an ID, and the record\'s amount becomes Σ price × quantity', async () => {
		const set = await call('PUT', `${record}/products`, { items: [{ productId: 11, price: 120, quantity: 2 }, { productId: 12, price: 11000, quantity: 1, discount: 1000, taxRate: 20, taxIncluded: true }] });
		expect(set.status).toBe(200);
		expect(set.body.data).toEqual([
			{ id: expect.any(Number), productId: 11, productName: 'Support hour', price: 120, quantity: 2, discount: 0, taxRate: null, taxIncluded: false },
			{ id: expect.any(Number), productId: 12, productName: 'Website redesign package', price: 11000, quantity: 1, discount: 1000, taxRate: 20, taxIncluded: true },
		]);
		const { body } = await call('GET', record);
		expect(body.data[amountField]).toBe(11240);
		const list = await call('GET', `${record}/products`);
		expect(list.body.data.map((row: { productId: number }) => row.productId)).toEqual([11, 12]);
		// Again with one row: the other is gone.
		await call('PUT', `${record}/products`, { items: [{ productId: 13, price: 230, quantity: 3 }] });
		expect((await call('GET', `${record}/products`)).body.data.map((row: { productId: number }) => row.productId)).toEqual([13]);
		expect(await amountOf(record)).toBe(690);
	});

	test('Add one row (201 with its ID), get it, update it, delete it (204); the amount follows each change', async () => {
		await call('PUT', `${record}/products`, { items: [] });
		const added = await call('POST', `${record}/products`, { productId: 11, price: 100, quantity: 3 });
		expect(added).toEqual({ status: 201, body: { success: true, data: { id: expect.any(Number) } } });
		const rowId = added.body.data.id;
		expect(await amountOf(record)).toBe(300);
		const got = await call('GET', `${record}/products/${rowId}`);
		expect(got.body.data).toMatchObject({ id: rowId, productId: 11, productName: 'Support hour', price: 100, quantity: 3, discountTypeId: 1, measureName: 'pcs' });
		const patched = await call('PATCH', `${record}/products/${rowId}`, { quantity: 5, discount: 10 });
		expect(patched.body.data).toMatchObject({ id: rowId, quantity: 5, discount: 10, price: 100 });
		expect(await amountOf(record)).toBe(500);
		const deleted = await call('DELETE', `${record}/products/${rowId}`);
		expect(deleted).toEqual({ status: 204, body: undefined });
		expect(await amountOf(record)).toBe(0);
		expect((await call('GET', `${record}/products/${rowId}`)).status).toBe(404);
	});
});

test('seed rows match the seed amounts, and the store shows them by record', async () => {
	expect((await call('GET', '/v1/deals/5142/products')).body.data).toEqual([{ id: expect.any(Number), productId: 11, productName: 'Support hour', price: 120, quantity: 40, discount: 0, taxRate: null, taxIncluded: false }]);
	expect(Object.keys(sandbox.store<{ rows: Record<string, unknown[]> }>('productRows').rows).sort()).toEqual(['deal:5142', 'dynamic_1038:1', 'invoice:501']);
});

describe('refusals', () => {
	test.each([
		[{ items: 'x' }, 400, 'INVALID_PARAMS', 'items must be an array'],
		[{}, 400, 'INVALID_PARAMS', 'items must be an array'],
		[{ items: [{ productId: 11, price: 1 }] }, 400, 'VALIDATION_ERROR', 'items[0].quantity: Required'],
		[{ items: [{ productId: 11, price: '1', quantity: 1 }] }, 400, 'VALIDATION_ERROR', 'items[0].price: Expected number, received string'],
		[{ items: [{ productId: 11, price: 1, quantity: 1, taxIncluded: 'Y' }] }, 400, 'VALIDATION_ERROR', 'items[0].taxIncluded: Expected boolean, received string'],
		[{ items: [{ productId: 0, productName: 'Gift wrap', price: 1, quantity: 1 }] }, 400, 'VALIDATION_ERROR', 'items[0].productId: Number must be a positive integer'],
		[{ items: [{ productId: 999, price: 1, quantity: 1 }] }, 422, 'BITRIX_ERROR', 'Product 999 is not found'],
	])('PUT %j → %i %s', async (body, status, code, message) => {
		const answer = await call('PUT', '/v1/deals/5142/products', body);
		expect(answer).toEqual({ status, body: { success: false, error: { code, message } } });
		// A refused Set changes nothing.
		expect((await call('GET', '/v1/deals/5142/products')).body.data).toHaveLength(1);
	});

	test('a missing record or row: 404 ENTITY_NOT_FOUND; a read-only key: 403 before the lookup; no crm scope: 403 SCOPE_DENIED', async () => {
		expect((await call('GET', '/v1/deals/9999/products')).body.error.code).toBe('ENTITY_NOT_FOUND');
		expect((await call('PUT', '/v1/deals/9999/products', { items: [] })).status).toBe(404);
		expect((await call('PATCH', '/v1/deals/5142/products/9', { quantity: 1 })).body.error.code).toBe('ENTITY_NOT_FOUND');
		expect((await call('DELETE', '/v1/deals/5141/products/1461')).status).toBe(404);
		expect((await call('PUT', '/v1/deals/9999/products', { items: [] }, sandbox.keys.readonly)).body.error).toEqual({ code: 'WRITE_BLOCKED_READONLY_KEY', message: 'Write blocked: crm.productrow.set' });
		expect((await call('GET', '/v1/deals/5142/products', undefined, sandbox.keys.readonly)).status).toBe(200);
		expect((await call('GET', '/v1/deals/5142/products', undefined, sandbox.keys.noCrm)).body.error.code).toBe('SCOPE_DENIED');
		expect((await call('GET', '/v1/products', undefined, sandbox.keys.noCrm)).body.error).toEqual({ code: 'SCOPE_DENIED', message: "This endpoint requires 'crm' scope" });
	});

	test('keys the pages do not name are dropped, as the record API drops them', async () => {
		const set = await call('PUT', '/v1/deals/5141/products', { items: [{ productId: 11, price: 1, quantity: 1, discountSum: 5, colour: 'red' }] });
		expect(set.body.data[0]).toEqual({ id: expect.any(Number), productId: 11, productName: 'Support hour', price: 1, quantity: 1, discount: 0, taxRate: null, taxIncluded: false });
	});
});

describe('the catalog', () => {
	test('list, search by name or xmlId with $in, get one; unknown filter fields refused', async () => {
		const list = await call('GET', '/v1/products?limit=2');
		expect(list.body).toMatchObject({ success: true, total: 5, data: [{ id: 11 }, { id: 12 }] });
		const byName = await call('POST', '/v1/products/search', { filter: { name: { $in: ['Office chair', 'Support hour'] } }, sort: { id: 'asc' } });
		expect(byName.body.data.map((product: { id: number }) => product.id)).toEqual([11, 13, 14]);
		const bySku = await call('POST', '/v1/products/search', { filter: { xmlId: { $in: ['CHAIR-GRY'] } } });
		expect(bySku.body.data).toEqual([expect.objectContaining({ id: 14, name: 'Office chair', xmlId: 'CHAIR-GRY', price: 260, currency: 'EUR' })]);
		expect((await call('GET', '/v1/products?filter[xmlId]=INST')).body.data).toEqual([expect.objectContaining({ id: 15, active: false })]);
		expect((await call('GET', '/v1/products/12')).body.data).toMatchObject({ id: 12, name: 'Website redesign package' });
		expect((await call('GET', '/v1/products/99')).status).toBe(404);
		expect((await call('POST', '/v1/products/search', { filter: { sku: 'X' } })).body.error).toEqual({ code: 'INVALID_FILTER_FIELD', message: 'Unknown filter field: sku' });
	});

	test('GET /v1/me does not list the catalog (no page says how VibeCode lists it there)', async () => {
		const { body } = await call('GET', '/v1/me');
		expect(body.data.api.entityApi.entities.products).toBeUndefined();
	});
});

describe('options', () => {
	test('rowDiscount discountSum: the discount is read from discountSum, a discount sent is dropped', async () => {
		sandbox.configure({ rowDiscount: 'discountSum' });
		const set = await call('PUT', '/v1/deals/5141/products', { items: [{ productId: 11, price: 1, quantity: 1, discount: 5 }, { productId: 11, price: 1, quantity: 1, discountSum: 7 }] });
		expect(set.body.data.map((row: { discount: number }) => row.discount)).toEqual([0, 7]);
	});

	test('rowTaxIncluded yn: answers say Y or N', async () => {
		sandbox.configure({ rowTaxIncluded: 'yn' });
		const set = await call('PUT', '/v1/deals/5141/products', { items: [{ productId: 11, price: 1, quantity: 1, taxIncluded: true }, { productId: 11, price: 1, quantity: 1 }] });
		expect(set.body.data.map((row: { taxIncluded: string }) => row.taxIncluded)).toEqual(['Y', 'N']);
	});

	test('freeTextRows accepted: productId 0 with a productName is stored by that name; without a name refused', async () => {
		sandbox.configure({ freeTextRows: 'accepted' });
		const set = await call('PUT', '/v1/deals/5141/products', { items: [{ productId: 0, productName: 'Gift wrap', price: 5, quantity: 2 }] });
		expect(set.body.data).toEqual([expect.objectContaining({ productId: 0, productName: 'Gift wrap', price: 5, quantity: 2 })]);
		expect(await amountOf('/v1/deals/5141')).toBe(10);
		const nameless = await call('POST', '/v1/deals/5141/products', { productId: 0, price: 5 });
		expect(nameless.body.error).toEqual({ code: 'VALIDATION_ERROR', message: 'productName: Required for a row without a catalog product' });
	});

	test('rowIds notListed: the list and the Set answer carry no row ID; get one still does', async () => {
		sandbox.configure({ rowIds: 'notListed' });
		const list = await call('GET', '/v1/deals/5142/products');
		expect(list.body.data[0]).not.toHaveProperty('id');
		const rowId = sandbox.store<{ rows: Record<string, Array<{ id: number }>> }>('productRows').rows['deal:5142'][0].id;
		expect((await call('GET', `/v1/deals/5142/products/${rowId}`)).body.data.id).toBe(rowId);
	});

	test('an option takes only its values', () => {
		expect(() => sandbox.configure({ rowDiscount: 'both' })).toThrow(/rowDiscount must be one of discount, discountSum/);
	});
});
