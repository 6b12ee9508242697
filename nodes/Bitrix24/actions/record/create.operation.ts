import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { EntityType } from '../../helpers/entities';
import { createRecord } from '../../helpers/records';
import { runItems, type ItemOperation } from '../runItems';
import { fieldsMapper, portalDropdowns } from './fields.description';
import { recordOptions } from './options.description';
import { checkWrites, readWrite, type WriteRequest } from './write';

export const properties: INodeProperties[] = [...portalDropdowns("Empty leaves the portal's default."), fieldsMapper('create'), recordOptions];

/** POST /v1/{entity} for each item: the new record as VibeCode returns it. Never sent twice. */
export async function execute(this: IExecuteFunctions, type: EntityType): Promise<INodeExecutionData[]> {
	const create: ItemOperation<WriteRequest> = {
		read: (itemIndex) => readWrite.call(this, itemIndex, type),
		check: async (session, items) => await checkWrites.call(this, session, type, items, { required: true }),
		send: async (session, request, itemIndex) => [await createRecord.call(this, session, type, request.fields!, itemIndex)],
	};
	return await runItems.call(this, create);
}
