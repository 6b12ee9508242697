import type { INodeProperties } from 'n8n-workflow';

import * as send from './send.operation';

export { send };

/** A message in Bitrix24's messenger, written as the key's user: to a person, a group chat or a CRM record's chat. */
export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['chatMessage'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				description: "Send a chat message as the key's user to a portal user, a group chat or a CRM record's chat",
				action: 'Send a message',
			},
		],
		default: 'send',
	},
	...send.description,
];
