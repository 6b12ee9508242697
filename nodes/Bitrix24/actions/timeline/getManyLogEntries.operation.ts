import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listLogEntries, type TimelineRecord } from '../../helpers/timeline';
import { searchOptions } from '../record/options.description';
import { returnAllAndLimit } from '../returnAll.description';
import { runItems, type ItemOperation } from '../runItems';
import { readLimit } from './getManyComments.operation';
import { nameSmartProcesses, readRecord, recordProperties } from './record';

const properties: INodeProperties[] = [
	...recordProperties('The record whose log entries to list, from the list, by its ID or by its Bitrix24 address'),
	...returnAllAndLimit(false),
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['getManyLogEntries'] } }, properties);

/**
 * GET /v1/timeline-logs for each item: one output item per log entry of the record, newest first. Bitrix24 lists only
 * the entries logged through its API (Log an Event), not the timeline's own events.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const getMany: ItemOperation<{ record: TimelineRecord; limit: number }> = {
		read: (itemIndex) => ({ record: readRecord(this, itemIndex), limit: readLimit(this, itemIndex) }),
		check: async (session, items) => await nameSmartProcesses(this, session, items),
		send: async (session, { record, limit }, itemIndex) => await listLogEntries.call(this, session, record, limit, itemIndex),
		fields: (_itemIndex, request) => (request ? { entityType: request.record.type.value, entityId: request.record.id } : {}),
		done: 'read',
	};
	return await runItems.call(this, getMany);
}
