import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as automationTrigger from './actions/automationTrigger';
import { router } from './actions/router';
import { testConnection } from './methods/credentialTest';
import { searchEntities, searchTriggers } from './methods/listSearch';

export class Bitrix24 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24',
		name: 'bitrix24',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{$parameter["operation"] === "fire" ? "Fire " + $parameter["entityType"] + " trigger" : "Get many triggers"}}',
		description: 'Fire Bitrix24 CRM automation triggers through the Bitrix24 VibeCode API',
		defaults: { name: 'Bitrix24' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bitrix24VibeApi', required: true, testedBy: 'testConnection' }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [{ name: 'Automation Trigger', value: 'automationTrigger' }],
				default: 'automationTrigger',
			},
			...automationTrigger.description,
		],
	};

	methods = {
		credentialTest: { testConnection },
		listSearch: { searchEntities, searchTriggers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
