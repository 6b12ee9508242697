import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { deleteComment } from '../../helpers/timeline';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';
import { commentIdProperty, parseCommentId } from './updateComment.operation';

const properties: INodeProperties[] = [commentIdProperty, searchOptions];

export const description = updateDisplayOptions({ show: { resource: ['timeline'], operation: ['deleteComment'] } }, properties);

/** DELETE /v1/timelines/{id} for each item: `{ id, deleted: true }`, as the record operations' Delete outputs. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const remove: ItemOperation<{ id: number }> = {
		read: (itemIndex) => ({ id: parseCommentId(this.getNodeParameter('commentId', itemIndex, '')) }),
		send: async (session, { id }, itemIndex) => {
			await deleteComment.call(this, session, id, itemIndex);
			return [{ id, deleted: true }];
		},
		fields: (_itemIndex, request) => (request ? { commentId: request.id } : {}),
		done: 'deleted',
	};
	return await runItems.call(this, remove);
}
