import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { listComments, type TimelineRecord } from '../../helpers/timeline';
import { searchOptions } from '../record/options.description';
import { returnAllAndLimit } from '../returnAll.description';
import { runItems, type ItemOperation } from '../runItems';
import { nameSmartProcesses, readRecord, recordProperties } from './record';

const properties: INodeProperties[] = [
	...recordProperties('The record whose comments to list, from the list, by its ID or by its Bitrix24 address'),
	...returnAllAndLimit(false),
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['getManyComments'] } }, properties);

/** Return All and Limit of one item: how many entries to read at most. */
export function readLimit(context: IExecuteFunctions, itemIndex: number): number {
	if (context.getNodeParameter('returnAll', itemIndex, false) as boolean) return Infinity;
	const limit = Number(context.getNodeParameter('limit', itemIndex, 50));
	if (Number.isSafeInteger(limit) && limit > 0) return limit;
	throw new InputError(`Limit must be a whole number above 0; got ${quote(limit)}`, 'Set Limit to 1 or more, or turn on Return All.');
}

/** GET /v1/timelines for each item: one output item per comment of the record, oldest first. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const getMany: ItemOperation<{ record: TimelineRecord; limit: number }> = {
		read: (itemIndex) => ({ record: readRecord(this, itemIndex), limit: readLimit(this, itemIndex) }),
		check: async (session, items) => await nameSmartProcesses(this, session, items),
		send: async (session, { record, limit }, itemIndex) => await listComments.call(this, session, record, limit, itemIndex),
		fields: (_itemIndex, request) => (request ? { entityType: request.record.type.value, entityId: request.record.id } : {}),
		done: 'read',
	};
	return await runItems.call(this, getMany);
}
