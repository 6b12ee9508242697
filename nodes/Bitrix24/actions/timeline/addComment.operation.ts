import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { addComment, type TimelineRecord } from '../../helpers/timeline';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';
import { nameSmartProcesses, readRecord, recordProperties } from './record';

const properties: INodeProperties[] = [
	...recordProperties('The record whose timeline gets the comment, from the list, by its ID or by its Bitrix24 address'),
	{
		displayName: 'Comment',
		name: 'commentText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Payment received: 4,800 USD, Stripe ch_3P…',
		description: "The comment's text, shown in the record's timeline as written by the key's owner",
	},
	// Retry Unknown Outcomes is left out: a comment is never sent twice.
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['addComment'] } }, properties);

/** A comment's text as the node sends it: text with something in it (VibeCode refuses an empty one only after sending). */
export function parseComment(value: unknown, labelName = 'Comment'): string {
	const text = typeof value === 'number' ? String(value) : value;
	if (typeof text === 'string' && text.trim() !== '') return text;
	throw new InputError(
		`${labelName} is empty; got ${quote(value)}`,
		`Write the comment's text, or check that the expression returns text (Bitrix24 refuses an empty comment).`,
	);
}

/** POST /v1/timelines for each item: the comment as stored, proven against the answer or read back. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const add: ItemOperation<{ record: TimelineRecord; comment: string }> = {
		read: (itemIndex) => ({ record: readRecord(this, itemIndex), comment: parseComment(this.getNodeParameter('commentText', itemIndex, '')) }),
		check: async (session, items) => await nameSmartProcesses(this, session, items),
		send: async (session, { record, comment }, itemIndex) => [await addComment.call(this, session, record, comment, itemIndex)],
		fields: (_itemIndex, request) => (request ? { entityType: request.record.type.value, entityId: request.record.id } : {}),
	};
	return await runItems.call(this, add);
}
