import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../errors';
import { takesBatch, type RecordType } from '../../helpers/entities';
import { entityLocator } from '../entityLocator';
import { runItems, type ItemOperation } from '../runItems';
import { updateItems } from './bulk';
import { parseRecord } from './locator';
import { fieldsMapper, portalDropdowns } from './fields.description';
import { writeOptions } from './options.description';
import { checkWrites, readWrite, updateProven, type WriteRequest } from './write';

export const properties: INodeProperties[] = [
	entityLocator('The record to change, from the list, by its ID or by its Bitrix24 address', 'Record'),
	...portalDropdowns('Empty keeps the current value.'),
	fieldsMapper('update'),
	writeOptions('update'),
];

/**
 * PATCH /v1/{entity}/{id} for each item (several items: `POST /v1/{entity}/batch`): the record after the change, once its values are proven stored. Only the
 * fields given change; phone, email and website entries are added to the record's lists or replace them (Options).
 */
export async function execute(this: IExecuteFunctions, type: RecordType): Promise<INodeExecutionData[]> {
	const update: ItemOperation<WriteRequest & { id: number }> = {
		read: (itemIndex) => ({ id: parseRecord(this.getNodeParameter('entity', itemIndex), type), ...readWrite.call(this, itemIndex, type) }),
		check: async (session, items) => {
			const refused = await checkWrites.call(this, session, type, items, { required: false });
			for (const { itemIndex, request } of items) {
				if (!refused.has(itemIndex) && Object.keys(request.fields ?? {}).length === 0) {
					refused.set(itemIndex, new InputError(`Nothing to change in ${type.name.toLowerCase()} ${request.id}`, 'Map a value to at least one field, or set the stage or the responsible person.'));
				}
			}
			return refused;
		},
		send: async (session, request, itemIndex) => [await updateProven.call(this, session, type, { id: request.id, request, itemIndex })],
		// Other Entity: one request per item (docs/vibecode-contract.md, "Other entities").
		sendBatch: !takesBatch(type)
			? undefined
			: async (session, items) => await updateItems.call(this, session, type, items.map(({ itemIndex, request }) => ({ itemIndex, request, id: request.id }))),
	};
	return await runItems.call(this, update);
}
