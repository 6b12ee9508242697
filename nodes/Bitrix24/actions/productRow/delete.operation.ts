import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deleteRow, recordAmount, type RowOwner } from '../../helpers/productRows';
import { runItems, type ItemOperation } from '../runItems';
import { ownerFields, readOwner, readRowId, RESOURCE, rowIdProperty, rowOptions } from './owner';

const properties: INodeProperties[] = [rowIdProperty, rowOptions(false)];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['delete'] } }, properties);

/**
 * DELETE …/products/{rowId} for each item (sent again after an unknown outcome: a row already gone is the deletion
 * asked for), then the record is read for the amount Bitrix24 recomputed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const remove: ItemOperation<{ owner: RowOwner; rowId: number }> = {
		read: (itemIndex) => ({ owner: readOwner(this, itemIndex), rowId: readRowId(this, itemIndex) }),
		send: async (session, { owner, rowId }, itemIndex) => {
			await deleteRow.call(this, session, owner, rowId, itemIndex);
			return [{ ...ownerFields(owner), rowId, deleted: true, ...(await recordAmount.call(this, session, owner, itemIndex)) }];
		},
		fields: (itemIndex, request) => ownerFields(request?.owner, request ? { rowId: request.rowId } : {}),
		done: 'deleted',
	};
	return await runItems.call(this, remove);
}
