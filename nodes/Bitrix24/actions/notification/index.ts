import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

/** A Bitrix24 notification (the bell) to one portal user, from the key's application, as VibeCode's recipe sends it. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['notification'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: "Send a notification to a portal user's Bitrix24 notifications (the bell), such as a deal's responsible person",
				action: 'Send a notification',
			},
		],
		default: 'send',
	},
	...send.description,
];
