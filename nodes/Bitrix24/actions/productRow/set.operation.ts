import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError } from '../../errors';
import { listRows, recordAmount, rowOutput, setRows, type RowOwner } from '../../helpers/productRows';
import { runItems, type ItemOperation } from '../runItems';
import { checksWrites, ownerFields, readOwner, RESOURCE, rowOptions } from './owner';
import { freeTextTexts, productByProperty, readEditorRows, readLineItems, resolveRows, rowFields, unappliedRows, type ResolvedRow, type RowInput } from './rows';

const properties: INodeProperties[] = [
	{
		displayName: 'Rows From',
		name: 'rowsFrom',
		type: 'options',
		options: [
			{ name: 'Fields Below', value: 'fields', description: 'Each row entered in the Rows list' },
			{ name: 'Line Items (Expression)', value: 'lineItems', description: "A list of line items mapped from the input, such as a payment's line items" },
		],
		default: 'fields',
		description: 'Where the rows come from',
	},
	{
		displayName: 'Rows',
		name: 'rows',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Row',
		default: {},
		displayOptions: { show: { rowsFrom: ['fields'] } },
		options: [{ displayName: 'Row', name: 'row', values: rowFields }],
		description: "The record's rows after the run, in this order. Rows it has now and that are not listed here are removed.",
	},
	{
		displayName: 'Line Items',
		name: 'lineItems',
		type: 'json',
		default: '[]',
		required: true,
		displayOptions: { show: { rowsFrom: ['lineItems'] } },
		description:
			'A list of objects, one per row: the product (by the key Product By names), price, quantity (1 when missing), and optionally discount, taxRate and taxIncluded. Map the list from the input by expression.',
		hint: 'Map it, e.g. {{ $json.lineItems }}. Each line: {"sku": "SUP-HOUR", "price": 120, "quantity": 2}. Product By reads productId, name (or productName), or sku (or xmlId).',
	},
	{ ...productByProperty('How every line item names its product, and the key it is read from'), displayOptions: { show: { rowsFrom: ['lineItems'] } } },
	rowOptions(true),
];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['set'] } }, properties);

interface SetRequest {
	owner: RowOwner;
	inputs: RowInput[];
	rows?: ResolvedRow[];
	verify: boolean;
}

/**
 * PUT …/products for each item: the record's rows become exactly those given (full replacement: rows not sent are
 * removed), so running it twice leaves the same rows. Each row sent is proven against the row answered at its place,
 * then the record is read for the amount Bitrix24 recomputed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const set: ItemOperation<SetRequest> = {
		read: (itemIndex) => {
			const owner = readOwner(this, itemIndex);
			const from = this.getNodeParameter('rowsFrom', itemIndex, 'fields');
			if (from !== 'fields' && from !== 'lineItems') throw new InputError(`Rows From must be Fields Below or Line Items; got ${String(from)}`, 'Choose where the rows come from in the list.');
			const inputs = from === 'fields' ? readEditorRows(this, itemIndex) : readLineItems(this, itemIndex);
			return { owner, inputs, verify: checksWrites(this, itemIndex) };
		},
		// One catalog search per kind (name, SKU) for every row of every item, before anything is written.
		check: async (session, items) => {
			const resolved = await resolveRows(this, session, items.map(({ itemIndex, request }) => ({ itemIndex, rows: request.inputs })));
			const refused = new Map<number, unknown>();
			for (const { itemIndex, request } of items) {
				const rows = resolved.get(itemIndex);
				if (rows instanceof InputError) refused.set(itemIndex, rows);
				else request.rows = rows;
			}
			return refused;
		},
		send: async (session, { owner, rows = [], verify }, itemIndex) => {
			const answered = await setRows.call(this, session, owner, rows.map(({ values }) => values), itemIndex, freeTextTexts(rows));
			// An answer without the rows proves nothing either way: the rows are read.
			const stored = answered ?? (await listRows.call(this, session, owner, itemIndex));
			const unapplied = verify ? unappliedRows(this, owner, rows, stored, { itemIndex, kind: 'set' }) : undefined;
			if (unapplied) throw unapplied;
			return [{ ...ownerFields(owner), ...(await recordAmount.call(this, session, owner, itemIndex)), rows: stored.map(rowOutput) }];
		},
		fields: (itemIndex, request) => ownerFields(request?.owner),
	};
	return await runItems.call(this, set);
}
