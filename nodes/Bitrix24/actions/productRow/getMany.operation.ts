import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listRows, rowOutput, type RowOwner } from '../../helpers/productRows';
import { runItems, type ItemOperation } from '../runItems';
import { ownerFields, readOwner, RESOURCE, rowOptions } from './owner';

const properties: INodeProperties[] = [rowOptions(false)];

export const description = updateDisplayOptions({ show: { resource: [RESOURCE], operation: ['getMany'] } }, properties);

/** GET …/products for each item: one output item per row, in the record's order, each naming its record. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const getMany: ItemOperation<{ owner: RowOwner }> = {
		read: (itemIndex) => ({ owner: readOwner(this, itemIndex) }),
		send: async (session, { owner }, itemIndex) => (await listRows.call(this, session, owner, itemIndex)).map((row) => ({ ...ownerFields(owner), ...rowOutput(row) })),
		fields: (itemIndex, request) => ownerFields(request?.owner),
		done: 'read',
	};
	return await runItems.call(this, getMany);
}
