import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { InputError, quote } from '../../errors';
import { listUsers } from '../../helpers/users';
import { EMAIL_ADDRESS, positiveId } from '../../helpers/validate';
import { searchOptions } from '../record/options.description';
import { returnAllAndLimit } from '../returnAll.description';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [
	...returnAllAndLimit(false),
	{
		displayName: 'Active',
		name: 'active',
		type: 'options',
		options: [
			{ name: 'Any', value: 'any', description: 'Active and dismissed users' },
			{ name: 'No', value: 'no', description: 'Only dismissed (deactivated) users' },
			{ name: 'Yes', value: 'yes', description: 'Only users who can sign in' },
		],
		default: 'yes',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		description: 'Conditions every returned user meets (all of them)',
		options: [
			{
				displayName: 'Department ID',
				name: 'departmentId',
				type: 'string',
				default: '',
				placeholder: '5',
				description: 'Users of this department (the ID of a department of the company structure)',
			},
			{
				displayName: 'Email',
				name: 'email',
				type: 'string',
				placeholder: 'name@email.com',
				default: '',
				description: 'The user with exactly this e-mail address',
			},
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Olga',
				description: 'Users whose first or last name contains this text',
			},
		],
	},
	searchOptions,
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getMany'] } }, properties);

interface UsersQuery {
	/** The `filter[…]` query parameters every request carries. */
	filter: IDataObject;
	/** Name: first or last name contains it. */
	name?: string;
	limit: number;
}


function readQuery(filters: IDataObject, active: unknown, limit: number): UsersQuery {
	const filter: IDataObject = {};
	if (active === 'yes' || active === 'no') filter['filter[active]'] = active === 'yes' ? 'true' : 'false';
	else if (active !== 'any') throw new InputError(`Active must be Yes, No or Any; got ${quote(active)}`, 'Choose Yes, No or Any from the list.');
	const email = typeof filters.email === 'string' ? filters.email.trim() : filters.email;
	if (email !== undefined && email !== '') {
		if (typeof email !== 'string' || !EMAIL_ADDRESS.test(email)) {
			throw new InputError(`Filters → Email must be an e-mail address; got ${quote(filters.email)}`, 'Give the whole address, such as olga@example.com, or remove the filter.');
		}
		filter['filter[email]'] = email;
	}
	const department = filters.departmentId;
	if (department !== undefined && department !== '') {
		const id = positiveId(department);
		if (id === undefined) {
			throw new InputError(`Filters → Department ID must be a positive whole number; got ${quote(department)}`, "Use the department's ID from the company structure, or remove the filter.");
		}
		filter['filter[departmentId]'] = String(id);
	}
	const name = typeof filters.name === 'string' ? filters.name.trim() : filters.name === undefined ? '' : String(filters.name);
	return { filter, name: name || undefined, limit };
}

/**
 * GET /v1/users for each item: one output item per user, sorted by ID, all pages when Return All is on. VibeCode
 * documents no search endpoint for users and no OR in a filter, so "first or last name contains" is two lists, by
 * `name` and by `lastName`, merged by ID.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const getMany: ItemOperation<UsersQuery> = {
		read: (itemIndex) => {
			const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
			const limit = returnAll ? Infinity : Number(this.getNodeParameter('limit', itemIndex, 50));
			if (!returnAll && !(Number.isSafeInteger(limit) && limit > 0)) throw new InputError(`Limit must be a whole number above 0; got ${quote(limit)}`, 'Set Limit to 1 or more, or turn on Return All.');
			return readQuery(this.getNodeParameter('filters', itemIndex, {}) as IDataObject, this.getNodeParameter('active', itemIndex, 'yes'), limit);
		},
		send: async (session, { filter, name, limit }, itemIndex) => {
			if (name === undefined) return await listUsers.call(this, session, filter, limit, itemIndex);
			// The first `limit` users of the union by ID are among the first `limit` of each list.
			const lists = await Promise.all(
				['name', 'lastName'].map(async (part) => await listUsers.call(this, session, { ...filter, [`filter[${part}][$contains]`]: name }, limit, itemIndex)),
			);
			const byId = new Map<string, IDataObject>();
			for (const user of lists.flat()) if (!byId.has(String(user.id))) byId.set(String(user.id), user);
			return [...byId.values()].sort((a, b) => Number(a.id) - Number(b.id)).slice(0, limit);
		},
		done: 'read',
	};
	return await runItems.call(this, getMany);
}
