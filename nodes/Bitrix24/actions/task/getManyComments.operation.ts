import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { listTaskChat, listTaskComments } from '../../helpers/tasks';
import { searchOptions } from '../record/options.description';
import { returnAllAndLimit } from '../returnAll.description';
import { runItems, type ItemOperation } from '../runItems';
import { parseTaskId, taskIdField } from './taskId.description';

const properties: INodeProperties[] = [
	taskIdField,
	...returnAllAndLimit(false),
	{
		displayName: 'Read From',
		name: 'source',
		type: 'options',
		options: [
			{
				name: 'Task Chat',
				value: 'chat',
				description: "The task's chat, where the new task card keeps its discussion (VibeCode's current pages). Needs the 'im' scope, and the key's user taking part in the task. Newest first.",
			},
			{
				name: 'Comments (Older Task Card)',
				value: 'comments',
				description: "The task's comments as VibeCode's older pages list them, for a portal that still uses the older task card. Oldest first.",
			},
		],
		default: 'chat',
	},
	{
		displayName: 'Include System Messages',
		name: 'includeSystem',
		type: 'boolean',
		default: false,
		description: 'Whether to include the messages Bitrix24 writes itself (status changes and the like, author 0)',
		displayOptions: { show: { source: ['chat'] } },
	},
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['getManyComments'] } }, properties);

interface CommentsQuery {
	taskId: number;
	source: 'chat' | 'comments';
	system: boolean;
	limit: number;
}

/**
 * Get Many Comments: one output item per comment, in the comments page's fields (id, taskId, authorId, message,
 * createdAt; `isSystem` from the chat). The current pages document the task chat for reading
 * (`GET /v1/tasks/{id}/chat/messages`), so it is the default; the older pages' `GET /v1/tasks/{id}/comments` stays
 * for the older task card.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const operation: ItemOperation<CommentsQuery> = {
		read: (itemIndex) => {
			const taskId = parseTaskId(this.getNodeParameter('taskId', itemIndex, ''));
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll ? Infinity : Number(this.getNodeParameter('limit', itemIndex, 50));
			if (!returnAll && !(Number.isSafeInteger(limit) && limit > 0)) throw new InputError(`Limit must be a whole number above 0; got ${quote(limit)}`, 'Set Limit to 1 or more, or turn on Return All.');
			const source = this.getNodeParameter('source', itemIndex, 'chat');
			if (source !== 'chat' && source !== 'comments') throw new InputError(`Read From must be Task Chat or Comments; got ${quote(source)}`, 'Choose Task Chat or Comments from the list.');
			const system = source === 'chat' && this.getNodeParameter('includeSystem', itemIndex, false) === true;
			return { taskId, source, system, limit };
		},
		send: async (session, { taskId, source, system, limit }, itemIndex) =>
			source === 'chat'
				? await listTaskChat.call(this, session, taskId, { limit, system }, itemIndex)
				: await listTaskComments.call(this, session, taskId, limit, itemIndex),
		fields: (itemIndex, request) => (request ? { taskId: request.taskId } : {}),
		done: 'read',
	};
	return await runItems.call(this, operation);
}
