import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { takesBatch, type RecordType } from '../../helpers/entities';
import { runItems, type ItemOperation } from '../runItems';
import { createItems } from './bulk';
import { fieldsMapper, portalDropdowns } from './fields.description';
import { writeOptions } from './options.description';
import { checkWrites, createProven, readWrite, type WriteRequest } from './write';

export const properties: INodeProperties[] = [...portalDropdowns("Empty leaves the portal's default."), fieldsMapper('create'), writeOptions('create')];

/**
 * POST /v1/{entity} for each item (several items: `POST /v1/{entity}/batch`, Batch Size at a time): the new record
 * as VibeCode returns it, once its values are proven stored. Never sent twice.
 */
export async function execute(this: IExecuteFunctions, type: RecordType): Promise<INodeExecutionData[]> {
	const create: ItemOperation<WriteRequest> = {
		read: (itemIndex) => readWrite.call(this, itemIndex, type),
		check: async (session, items) => await checkWrites.call(this, session, type, items, { required: true }),
		send: async (session, request, itemIndex) => [await createProven.call(this, session, type, request, itemIndex)],
		// Other Entity: one request per item (docs/vibecode-contract.md, "Other entities").
		sendBatch: !takesBatch(type) ? undefined : async (session, items) => await createItems.call(this, session, type, items),
	};
	return await runItems.call(this, create);
}
