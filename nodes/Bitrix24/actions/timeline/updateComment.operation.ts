import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { updateComment } from '../../helpers/timeline';
import { positiveId } from '../../helpers/validate';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';
import { parseComment } from './addComment.operation';

export const commentIdProperty: INodeProperties = {
	displayName: 'Comment ID',
	name: 'commentId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '66303',
	description: "The comment's ID, as Add Comment and Get Many Comments output it",
};

const properties: INodeProperties[] = [
	commentIdProperty,
	{
		displayName: 'Comment',
		name: 'commentText',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		description: "The comment's new text. The record it is on and its author stay as they are.",
	},
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['updateComment'] } }, properties);

/** Comment ID as the record IDs are checked (helpers/validate.ts), in the words of this field. */
export function parseCommentId(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	throw new InputError(`Comment ID must be a positive whole number; got ${quote(value)}`, 'Use the id that Add Comment or Get Many Comments output for the comment.');
}

/** PATCH /v1/timelines/{id} for each item: the comment as stored, proven against the answer or read back. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const update: ItemOperation<{ id: number; comment: string }> = {
		read: (itemIndex) => ({ id: parseCommentId(this.getNodeParameter('commentId', itemIndex, '')), comment: parseComment(this.getNodeParameter('commentText', itemIndex, '')) }),
		send: async (session, { id, comment }, itemIndex) => [await updateComment.call(this, session, id, comment, itemIndex)],
		fields: (_itemIndex, request) => (request ? { commentId: request.id } : {}),
	};
	return await runItems.call(this, update);
}
