import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { takesBatch, type RecordType } from '../../helpers/entities';
import { getRecord } from '../../helpers/records';
import { entityLocator } from '../entityLocator';
import { runItems, type ItemOperation } from '../runItems';
import { getItems } from './bulk';
import { parseRecord } from './locator';
import { recordOptions } from './options.description';

export const properties: INodeProperties[] = [entityLocator('The record to get, from the list, by its ID or by its Bitrix24 address', 'Record'), recordOptions];

/** GET /v1/{entity}/{id} for each item (several items: `POST /v1/batch`, 50 a request): the record as VibeCode returns it. */
export async function execute(this: IExecuteFunctions, type: RecordType): Promise<INodeExecutionData[]> {
	const get: ItemOperation<{ id: number }> = {
		read: (itemIndex) => ({ id: parseRecord(this.getNodeParameter('entity', itemIndex), type) }),
		send: async (session, { id }, itemIndex) => [await getRecord.call(this, session, type, id, itemIndex)],
		// Other Entity: one request per item (docs/vibecode-contract.md, "Other entities").
		sendBatch: !takesBatch(type) ? undefined : async (session, items) => await getItems.call(this, session, type, items),
		done: 'read',
	};
	return await runItems.call(this, get);
}
