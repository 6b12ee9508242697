import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { addTaskComment, commentOutput, getTaskComment, notApplied, whole } from '../../helpers/tasks';
import type { VibeSession } from '../../transport';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';
import { parseTaskId, taskIdField } from './taskId.description';

const properties: INodeProperties[] = [
	taskIdField,
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		placeholder: 'Called the client: they sign on Monday',
		description: 'The text of the comment. Bitrix24 formats BB-code in it ([B]bold[/B], [USER=7]Olga[/USER]).',
	},
	// A create is never sent again after an unknown outcome, so Retry Unknown Outcomes is not offered.
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['task'], operation: ['addComment'] } }, properties);

interface CommentRequest {
	taskId: number;
	message: string;
}

/** The text as Bitrix24 gives it back: line ends and the spaces around it are no difference. */
const normal = (text: string) => text.replace(/\r\n?/g, '\n').trim();

/**
 * POST /v1/tasks/{taskId}/comments `{ message }`, proven by the answer: the new comment's ID and the text sent. An
 * answer without the text (Bitrix24's own method answers the ID only) is read back by that ID. Never sent twice.
 */
async function addComment(this: IExecuteFunctions, session: VibeSession, { taskId, message }: CommentRequest, itemIndex: number): Promise<IDataObject> {
	const answer = await addTaskComment.call(this, session, taskId, message, itemIndex);
	const id = whole(answer.id ?? answer.ID);
	if (id === undefined || id <= 0) {
		throw notApplied(this, {
			message: `VibeCode answered the comment on task ${taskId} without its ID`,
			hint: `The comment may have been added. Look at task ${taskId}'s comments in Bitrix24 before running this item again, which could add it twice.`,
			status: 201,
			itemIndex,
		});
	}
	const carries = ['message', 'text', 'POST_MESSAGE', 'MESSAGE'].some((name) => answer[name] !== undefined);
	const comment = commentOutput(taskId, carries ? answer : await getTaskComment.call(this, session, taskId, id, itemIndex));
	if (normal(comment.message) === normal(message)) return { ...comment, id };
	throw notApplied(this, {
		message: `Comment ${id} was added to task ${taskId}, but does not hold the message sent`,
		hint: [
			`Sent ${quote(message)}, stored ${quote(comment.message)}.`,
			`Check comment ${id} of task ${taskId} in Bitrix24 before running this item again, which would add another comment.`,
		].join(' '),
		status: 201,
		itemIndex,
	});
}

/** Add Comment: one comment per item, output as the comments page's fields (id, taskId, authorId, message, createdAt). */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const operation: ItemOperation<CommentRequest> = {
		read: (itemIndex) => {
			const taskId = parseTaskId(this.getNodeParameter('taskId', itemIndex, ''));
			const value = this.getNodeParameter('message', itemIndex, '');
			const message = value === undefined || value === null ? '' : typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
			if (message === undefined) throw new InputError(`Message must be text; got ${quote(value)}`, 'Make the expression return the comment as text.');
			if (message.trim() === '') throw new InputError('Message is empty', 'Give the text of the comment; check that the expression does not return an empty value.');
			return { taskId, message };
		},
		send: async (session, request, itemIndex) => [await addComment.call(this, session, request, itemIndex)],
		fields: (itemIndex, request) => (request ? { taskId: request.taskId, message: request.message } : {}),
		done: 'added',
	};
	return await runItems.call(this, operation);
}
