import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../errors';
import { getRow, recordAmount, rowOutput, updateRow, type RowOwner, type RowValues } from '../../helpers/productRows';
import { positiveId } from '../../helpers/validate';
import { runItems, type ItemOperation } from '../runItems';
import { checksWrites, ownerFields, readOwner, readRowId, RESOURCE, rowIdProperty, rowOptions } from './owner';
import { EDITOR_KEYS, readRow, unappliedRows } from './rows';

const properties: INodeProperties[] = [
	rowIdProperty,
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		description: 'The row values to change; the others stay',
		options: [
			{ displayName: 'Discount', name: 'discount', type: 'number', typeOptions: { minValue: 0, numberPrecision: 2 }, default: 0, description: 'The discount per unit, as an amount (already taken off Price)' },
			{ displayName: 'Price', name: 'price', type: 'number', typeOptions: { minValue: 0, numberPrecision: 2 }, default: 0, description: 'The price of one unit, discount and tax applied' },
			{ displayName: 'Product ID', name: 'productId', type: 'string', default: '', placeholder: '11', description: "Another catalog product's ID for this row" },
			{ displayName: 'Quantity', name: 'quantity', type: 'number', typeOptions: { minValue: 0, numberPrecision: 4 }, default: 1 },
			{ displayName: 'Sort', name: 'sort', type: 'number', default: 0, description: "The row's place among the record's rows (lower first)" },
			{ displayName: 'Tax Included', name: 'taxIncluded', type: 'boolean', default: true, description: 'Whether Price includes the tax' },
			{ displayName: 'Tax Rate (%)', name: 'taxRate', type: 'string', default: '', placeholder: '20', description: 'The tax rate in percent' },
		],
	},
	rowOptions(true),
];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['update'] } }, properties);

interface UpdateRequest {
	owner: RowOwner;
	rowId: number;
	values: RowValues;
	verify: boolean;
}

/** Update Fields as a PATCH body, each value checked by its label; an empty collection is refused. */
function readValues(fields: IDataObject): RowValues {
	const names = Object.keys(fields).filter((name) => fields[name] !== undefined && fields[name] !== '');
	if (names.length === 0) throw new InputError('Update Fields is empty: nothing to change', 'Add at least one field to change (Price, Quantity, Discount…).');
	const values: Partial<RowValues> = {};
	if (fields.productId !== undefined && fields.productId !== '') {
		const id = positiveId(fields.productId);
		if (id === undefined) throw new InputError(`Update Fields → Product ID must be a catalog product ID (a positive whole number); got ${String(fields.productId)}`, "Give the catalog product's ID (GET /v1/products).");
		values.productId = id;
	}
	if (fields.sort !== undefined) {
		if (typeof fields.sort !== 'number' || !Number.isInteger(fields.sort)) throw new InputError(`Update Fields → Sort must be a whole number; got ${String(fields.sort)}`, 'Give a whole number, such as 10.');
		values.sort = fields.sort;
	}
	// The row's value fields, checked as Set's and Add's are; only the ones given are sent.
	const given = (name: string) => names.includes(name);
	if (['price', 'quantity', 'discount', 'taxRate', 'taxIncluded'].some(given)) {
		const read = readRow('Update Fields', 'id', { product: 1, price: given('price') ? fields.price : 0, quantity: fields.quantity, discount: fields.discount, taxRate: fields.taxRate, taxIncluded: fields.taxIncluded }, EDITOR_KEYS, '');
		for (const name of ['price', 'quantity', 'discount', 'taxRate', 'taxIncluded'] as const) if (given(name)) (values as IDataObject)[name] = read.values[name];
	}
	return values as RowValues;
}

/**
 * PATCH …/products/{rowId} for each item: only the fields given change (the same values twice leave the same row, so
 * it may be retried). The row answered is proven field by field (read again when the answer carries none of them),
 * then the record is read for the amount Bitrix24 recomputed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const update: ItemOperation<UpdateRequest> = {
		read: (itemIndex) => ({
			owner: readOwner(this, itemIndex),
			rowId: readRowId(this, itemIndex),
			values: readValues(this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject),
			verify: checksWrites(this, itemIndex),
		}),
		send: async (session, { owner, rowId, values, verify }, itemIndex) => {
			let stored = await updateRow.call(this, session, owner, rowId, values as unknown as IDataObject, itemIndex);
			const names = Object.keys(values);
			if (!names.some((name) => name in stored || (name === 'discount' && 'discountSum' in stored))) stored = await getRow.call(this, session, owner, rowId, itemIndex);
			const row = { input: { label: `Row ${rowId}`, by: 'id' as const, product: values.productId ?? 0, values }, values };
			const unapplied = verify ? unappliedRows(this, owner, [row], [stored], { itemIndex, kind: 'update' }) : undefined;
			if (unapplied) throw unapplied;
			return [{ ...ownerFields(owner), ...(await recordAmount.call(this, session, owner, itemIndex)), row: rowOutput({ id: rowId, ...stored }) }];
		},
		fields: (itemIndex, request) => ownerFields(request?.owner, request ? { rowId: request.rowId } : {}),
	};
	return await runItems.call(this, update);
}
