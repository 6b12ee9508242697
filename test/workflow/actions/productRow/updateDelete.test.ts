/**
 * Product Row → Update and Delete through n8n-core's WorkflowExecute against the sandbox: PATCH and DELETE of one row
 * by its own ID (not the catalog product's), the amount recomputed in the output, the changed row proven, a missing
 * row named, bad input refused before any request, a delete whose first answer was lost, Continue On Fail, pairing.
 */
import { runNode } from '../../../helpers/engine';
import { personal } from '../../../helpers/fixtures';
import { createSandbox } from '../../../sandbox/server';
import { productRow, sent, storedRowIds, storedRows } from './rows';

const sandbox = createSandbox();
beforeAll(() => sandbox.start());
afterAll(() => sandbox.stop());
beforeEach(() => sandbox.reset());

const rowOf5142 = () => storedRowIds(sandbox, 'deal:5142')[0];
const update = (parameters = {}) => productRow('update', { recordId: '5142', rowId: String(rowOf5142()), ...parameters });
const remove = (parameters = {}) => productRow('delete', { recordId: '5142', rowId: String(rowOf5142()), ...parameters });

describe('Update', () => {
	test('changes only the fields given, proves them, and outputs the row with the recomputed amount', async () => {
		const rowId = rowOf5142();
		const { items, error } = await runNode({ parameters: update({ updateFields: { quantity: 10, discount: 5 } }), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([
			[{ entityType: 'deal', recordId: 5142, amount: 1200, currency: 'USD', row: expect.objectContaining({ rowId, productId: 11, price: 120, quantity: 10, discount: 5 }) }, { item: 0 }],
		]);
		expect(sent(sandbox)).toEqual([`PATCH /v1/deals/5142/products/${rowId}`, 'GET /v1/deals/5142']);
	});

	test('another catalog product and a tax', async () => {
		const { items } = await runNode({ parameters: update({ updateFields: { productId: '12', taxRate: '20', taxIncluded: false } }), credentials: personal(sandbox) });
		expect(items![0].json.row).toMatchObject({ productId: 12, productName: 'Website redesign package', taxRate: 20, taxIncluded: false });
	});

	test('a discount the answer does not hold: WRITE_NOT_APPLIED naming the row and field', async () => {
		sandbox.configure({ rowDiscount: 'discountSum' });
		const rowId = rowOf5142();
		const { error } = await runNode({ parameters: update({ updateFields: { discount: 5 } }), credentials: personal(sandbox) });
		expect(error!.message).toBe("Deal 5142's product rows were saved, but a row does not hold what was sent [WRITE_NOT_APPLIED]");
		expect(error!.description).toMatch(new RegExp(`^Row ${rowId}, Discount: sent 5, stored 0\\.$`, 'm'));
	});

	test('a row the deal does not have: 404 naming the row and that Row ID is not a product ID', async () => {
		const { error } = await runNode({ parameters: update({ rowId: '11', updateFields: { quantity: 1 } }), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: 'The deal 5142 has no product row 11, or the deal does not exist [ENTITY_NOT_FOUND]', httpCode: '404' });
		expect(error!.description).toMatch(/not the catalog product's ID/);
	});

	test.each([
		[{ updateFields: {} }, /^Update Fields is empty: nothing to change/],
		[{ rowId: 'first', updateFields: { quantity: 1 } }, /^Row ID must be a positive whole number; got "first"/],
		[{ updateFields: { taxRate: '150' } }, /^Update Fields → Tax Rate \(%\) must be a percentage from 0 to 100; got "150"/],
		[{ updateFields: { productId: 'chair' } }, /^Update Fields → Product ID must be a catalog product ID/],
	])('bad input %j is refused by its label before any request', async (parameters, message) => {
		const { error } = await runNode({ parameters: update(parameters), credentials: personal(sandbox) });
		expect(error).toMatchObject({ message: expect.stringMatching(message), context: expect.objectContaining({ vibeCode: 'INVALID_PARAMETER' }) });
		expect(sent(sandbox)).toEqual([]);
	});
});

describe('Delete', () => {
	test('deletes the row and outputs the recomputed amount', async () => {
		const rowId = rowOf5142();
		const { items, error } = await runNode({ parameters: remove(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json, item.pairedItem])).toEqual([[{ entityType: 'deal', recordId: 5142, rowId, deleted: true, amount: 0, currency: 'USD' }, { item: 0 }]]);
		expect(storedRows(sandbox, 'deal:5142')).toEqual([]);
		expect(sent(sandbox)).toEqual([`DELETE /v1/deals/5142/products/${rowId}`, 'GET /v1/deals/5142']);
	});

	test('the answer to a delete that ran was lost: sent again, and the row already gone is the deletion asked for', async () => {
		const rowId = rowOf5142();
		sandbox.addFault({ kind: 'reset', method: 'DELETE', path: `/v1/deals/5142/products/${rowId}`, times: 1, afterProcessing: true });
		const { items, error } = await runNode({ parameters: remove(), credentials: personal(sandbox) });
		expect(error).toBeUndefined();
		expect(items![0].json).toMatchObject({ deleted: true, amount: 0 });
		expect(sent(sandbox).filter((request) => request.startsWith('DELETE'))).toHaveLength(2);
	});

	test('a row that does not exist (never deleted by this run): 404 naming it', async () => {
		const { error } = await runNode({ parameters: remove({ rowId: '77' }), credentials: personal(sandbox) });
		expect(error!.message).toBe('The deal 5142 has no product row 77, or the deal does not exist [ENTITY_NOT_FOUND]');
	});

	test('Continue On Fail: a bad row ID and a missing row fail their own items, each paired', async () => {
		const rowId = rowOf5142();
		const { items, error } = await runNode({
			parameters: remove({ rowId: '={{ $json.rowId }}' }),
			credentials: personal(sandbox),
			continueOnFail: true,
			input: [{ rowId: 'x' }, { rowId: 77 }, { rowId }],
		});
		expect(error).toBeUndefined();
		expect(items!.map((item) => [item.json.deleted ?? item.json.code, item.pairedItem])).toEqual([
			['INVALID_PARAMETER', { item: 0 }],
			['ENTITY_NOT_FOUND', { item: 1 }],
			[true, { item: 2 }],
		]);
		expect(items![1].json).toMatchObject({ entityType: 'deal', recordId: 5142, rowId: 77 });
	});
});
