import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ApiFailure, InputError, nodeError } from '../../errors';
import { addRow, getRow, ownerName, recordAmount, rowOutput, type RowOwner } from '../../helpers/productRows';
import { runItems, type ItemOperation } from '../runItems';
import { checksWrites, ownerFields, readOwner, RESOURCE, rowOptions } from './owner';
import { freeTextTexts, readSingleRow, resolveRows, rowFields, unappliedRows, type ResolvedRow, type RowInput } from './rows';

const properties: INodeProperties[] = [...rowFields, rowOptions(true)];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['add'] } }, properties);

interface AddRequest {
	owner: RowOwner;
	input: RowInput;
	row?: ResolvedRow;
	verify: boolean;
}

/**
 * POST …/products for each item: one row more, the others kept. A create: never sent again after an unknown outcome
 * (it would add the row twice). The answer gives only the new row's ID, so the row is read (GET …/products/{rowId})
 * to prove it, then the record for the amount Bitrix24 recomputed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const add: ItemOperation<AddRequest> = {
		read: (itemIndex) => ({ owner: readOwner(this, itemIndex), input: readSingleRow(this, itemIndex), verify: checksWrites(this, itemIndex) }),
		check: async (session, items) => {
			const resolved = await resolveRows(this, session, items.map(({ itemIndex, request }) => ({ itemIndex, rows: [request.input] })));
			const refused = new Map<number, unknown>();
			for (const { itemIndex, request } of items) {
				const rows = resolved.get(itemIndex);
				if (rows instanceof InputError) refused.set(itemIndex, rows);
				else request.row = rows?.[0];
			}
			return refused;
		},
		send: async (session, { owner, row, verify }, itemIndex) => {
			const rows = row ? [row] : [];
			const rowId = await addRow.call(this, session, owner, row!.values, itemIndex, freeTextTexts(rows));
			if (rowId === undefined) {
				throw nodeError(this.getNode(), new ApiFailure('WRITE_NOT_APPLIED', { status: 200, apiMessage: 'The answer carried no row ID' }), {
					itemIndex,
					texts: {
						WRITE_NOT_APPLIED: {
							message: `VibeCode answered the add to ${ownerName(owner)} without the new row's ID`,
							hint: "The row may have been added. Check the record's products in Bitrix24 (or run Get Many) before running this item again, which would add another row.",
						},
					},
				});
			}
			const stored = await getRow.call(this, session, owner, rowId, itemIndex);
			const unapplied = verify ? unappliedRows(this, owner, rows, [stored], { itemIndex, kind: 'add' }) : undefined;
			if (unapplied) throw unapplied;
			return [{ ...ownerFields(owner), ...(await recordAmount.call(this, session, owner, itemIndex)), row: rowOutput({ id: rowId, ...stored }) }];
		},
		fields: (itemIndex, request) => ownerFields(request?.owner),
	};
	return await runItems.call(this, add);
}
