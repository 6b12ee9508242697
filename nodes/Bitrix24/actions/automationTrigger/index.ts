import type { INodeProperties } from 'n8n-workflow';

import * as fire from './fire.operation';
import * as getMany from './getMany.operation';

export { fire, getMany };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['automationTrigger'] } },
		options: [
			{
				name: 'Fire',
				value: 'fire',
				description: 'Signal a Bitrix24 automation trigger on one CRM record (deal, lead, contact, company, quote or invoice), so Bitrix24 runs the robots configured for that trigger at the record\'s stage',
				action: 'Fire an automation trigger',
			},
			{
				name: 'Get Many',
				value: 'getMany',
				description: 'List the trigger codes and names registered on the portal (OAuth application keys only)',
				action: 'Get many automation triggers',
			},
		],
		default: 'fire',
	},
	...fire.description,
	...getMany.description,
];
