import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { takesBatch, type RecordType } from '../../helpers/entities';
import { deleteRecord } from '../../helpers/records';
import { entityLocator } from '../entityLocator';
import { runItems, type ItemOperation } from '../runItems';
import { deleteItems } from './bulk';
import { parseRecord } from './locator';
import { recordOptions } from './options.description';

export const properties: INodeProperties[] = [entityLocator('The record to delete, from the list, by its ID or by its Bitrix24 address', 'Record'), recordOptions];

/** DELETE /v1/{entity}/{id} for each item (several items: `POST /v1/{entity}/batch`): `{ id, deleted: true }`. */
export async function execute(this: IExecuteFunctions, type: RecordType): Promise<INodeExecutionData[]> {
	const remove: ItemOperation<{ id: number }> = {
		read: (itemIndex) => ({ id: parseRecord(this.getNodeParameter('entity', itemIndex), type) }),
		send: async (session, { id }, itemIndex) => {
			await deleteRecord.call(this, session, type, id, itemIndex);
			return [{ id, deleted: true }];
		},
		fields: (_itemIndex, request) => (request ? { id: request.id } : {}),
		// Other Entity: one request per item (docs/vibecode-contract.md, "Other entities").
		sendBatch: !takesBatch(type) ? undefined : async (session, items) => await deleteItems.call(this, session, type, items),
		done: 'deleted',
	};
	return await runItems.call(this, remove);
}
