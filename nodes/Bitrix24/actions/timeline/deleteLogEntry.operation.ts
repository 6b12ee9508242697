import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ERROR_TABLE, InputError, quote } from '../../errors';
import { deleteLogEntry } from '../../helpers/timeline';
import { positiveId } from '../../helpers/validate';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [
	{
		displayName: 'Log Entry ID',
		name: 'logEntryId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '5012',
		description: "The entry's ID, as Log an Event and Get Many Log Entries output it",
		hint: 'Only the OAuth application that logged an entry may delete it: a personal key never can',
	},
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['deleteLogEntry'] } }, properties);

function parseLogEntryId(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	throw new InputError(`Log Entry ID must be a positive whole number; got ${quote(value)}`, 'Use the id that Log an Event or Get Many Log Entries output for the entry.');
}

/**
 * DELETE /v1/timeline-logs/{id} for each item: `{ id, deleted: true }`. A personal key is refused before anything is
 * sent: Bitrix24 lets only the application that logged an entry delete it, and VibeCode's personal-key calls never
 * count as that application (403 CROSS_APP_DELETE_FORBIDDEN, the CRM Timeline page).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const remove: ItemOperation<{ id: number }> = {
		read: (itemIndex) => ({ id: parseLogEntryId(this.getNodeParameter('logEntryId', itemIndex, '')) }),
		check: async (session, items) => {
			if (session.keyType !== 'personal') return new Map();
			const { message, hint } = ERROR_TABLE.CROSS_APP_DELETE_FORBIDDEN;
			return new Map(items.map(({ itemIndex }) => [itemIndex, new InputError(`${message}: a personal key can never delete one`, hint, 'CROSS_APP_DELETE_FORBIDDEN')]));
		},
		send: async (session, { id }, itemIndex) => {
			await deleteLogEntry.call(this, session, id, itemIndex);
			return [{ id, deleted: true }];
		},
		fields: (_itemIndex, request) => (request ? { logEntryId: request.id } : {}),
		done: 'deleted',
	};
	return await runItems.call(this, remove);
}
