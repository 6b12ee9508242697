import type { INodeProperties } from 'n8n-workflow';

import * as get from './get.operation';
import * as getCurrent from './getCurrent.operation';
import * as getMany from './getMany.operation';

export { get, getCurrent, getMany };

/** Users are read-only here: VibeCode disables their delete, and creating or changing a user is an admin's task in Bitrix24. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['user'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get a portal user by ID',
				action: 'Get a user',
			},
			{
				name: 'Get Current',
				value: 'getCurrent',
				description: 'What VibeCode says about the key: its portal, owner or signed-in user, scopes and expiry',
				action: 'Get the current user',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List portal users by e-mail, name, department and whether they are active',
				action: 'Get many users',
			},
		],
		default: 'get',
	},
	...get.description,
	...getCurrent.description,
	...getMany.description,
];
