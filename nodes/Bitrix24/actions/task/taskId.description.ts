import type { INodeProperties } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { positiveId } from '../../helpers/validate';

/** Task ID, the parameter every Task operation of this folder starts with. */
export const taskIdField: INodeProperties = {
	displayName: 'Task ID',
	name: 'taskId',
	type: 'string',
	default: '',
	required: true,
	placeholder: '701',
	description: "The task's ID: the number at the end of its address in Bitrix24 (…/tasks/task/view/701/)",
};

/** A task's ID as the record IDs are checked (helpers/validate.ts), refused by the field's label before any request. */
export function parseTaskId(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	const link = typeof value === 'string' ? /\/tasks\/task\/(?:view|edit)\/(\d+)/.exec(value) : null;
	throw new InputError(
		link ? `Task ID must be a positive whole number; got a Bitrix24 link to task ${link[1]}` : `Task ID must be a positive whole number; got ${quote(value)}`,
		link
			? `Give the number at the end of the link: ${link[1]}.`
			: "Use the number at the end of the task's address in Bitrix24 (701 in …/tasks/task/view/701/). Check that the expression does not return an empty value, a decimal or text.",
	);
}
