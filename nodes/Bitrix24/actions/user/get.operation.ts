import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { getUser } from '../../helpers/users';
import { positiveId } from '../../helpers/validate';
import { searchOptions } from '../record/options.description';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [
	{
		displayName: 'User ID',
		name: 'userId',
		type: 'string',
		default: '',
		required: true,
		placeholder: '7',
		description: "The user's ID: the number in the address of their Bitrix24 profile (/company/personal/user/7/)",
	},
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['get'] } }, properties);

/** A user's ID as the record IDs are checked (helpers/validate.ts), in the words of this field. */
export function parseUserId(value: unknown): number {
	const id = positiveId(value);
	if (id !== undefined) return id;
	throw new InputError(
		`User ID must be a positive whole number; got ${quote(value)}`,
		"Use the number in the address of the user's Bitrix24 profile (7 in /company/personal/user/7/). Check that the expression does not return an empty value, a decimal or text.",
	);
}

/** GET /v1/users/{id} for each item: the user, each field once in camelCase. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const get: ItemOperation<{ id: number }> = {
		read: (itemIndex) => ({ id: parseUserId(this.getNodeParameter('userId', itemIndex, '')) }),
		send: async (session, { id }, itemIndex) => [await getUser.call(this, session, id, itemIndex)],
		fields: (itemIndex, request) => (request ? { userId: request.id } : {}),
		done: 'read',
	};
	return await runItems.call(this, get);
}
