import type { INodeProperties } from 'n8n-workflow';

import * as request from './request.operation';

export { request };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['apiCall'] } },
		options: [
			{
				name: 'Send Request',
				value: 'request',
				description: 'Call any VibeCode path (tasks, smart processes, users, timeline…) with the credential, pacing, retries and error messages of this node',
				action: 'Send a custom API call',
			},
		],
		default: 'request',
	},
	...request.description,
];
