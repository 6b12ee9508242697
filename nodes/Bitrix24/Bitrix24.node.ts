import type { IExecuteFunctions, INodeExecutionData, INodeProperties, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as apiCall from './actions/apiCall';
import * as automationTrigger from './actions/automationTrigger';
import * as chatMessage from './actions/chatMessage';
import * as notification from './actions/notification';
import * as productRow from './actions/productRow';
import * as record from './actions/record';
import * as task from './actions/task';
import * as timeline from './actions/timeline';
import * as user from './actions/user';
import { router } from './actions/router';
import { toolDescriptions, toolOutput } from './actions/toolMode';
import { searchEntities, searchTriggers } from './methods/listSearch';
import { getOtherEntities, getPipelinesOptional, getRecordFieldNames, getSmartProcessTypes, getStagesOptional, getUsers, getUsersOptional } from './methods/loadOptions';
import { getRecordFields } from './methods/resourceMapping';

/**
 * The parameters only the tool variant shows: its description per operation first, where n8n puts its own, and
 * what its output keeps last (actions/toolMode.ts).
 */
const withToolParameters = (properties: INodeProperties[]): INodeProperties[] => [...toolDescriptions(properties), ...properties, toolOutput];

export class Bitrix24 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24',
		name: 'bitrix24',
		// n8n's Docs link: a codex URL gets utm parameters appended after its #anchor, which then misses the section.
		documentationUrl: 'https://www.npmjs.com/package/n8n-nodes-bitrix24-vibecode#operations',
		icon: { light: 'file:bitrix24.svg', dark: 'file:bitrix24.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{$parameter["resource"] === "apiCall" ? $parameter["method"] + " " + $parameter["path"] : $parameter["resource"] !== "automationTrigger" ? $parameter["operation"] + ": " + $parameter["resource"] : $parameter["operation"] === "fire" ? "Fire " + $parameter["entityType"] + " trigger" : "Get many triggers"}}',
		description: 'Create, find and update Bitrix24 CRM records and fire automation triggers through the Bitrix24 VibeCode API',
		defaults: { name: 'Bitrix24' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'bitrix24VibeApi', required: true }],
		properties: withToolParameters([
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				// Written out for n8n's lint rules; test/unit/Bitrix24.node.test.ts checks them against ENTITY_TYPES.
				options: [
					{ name: 'Automation Trigger', value: 'automationTrigger' },
					{ name: 'Chat Message', value: 'chatMessage' },
					{ name: 'Company', value: 'company' },
					{ name: 'Contact', value: 'contact' },
					{ name: 'Custom API Call', value: 'apiCall' },
					{ name: 'Deal', value: 'deal' },
					{ name: 'Invoice', value: 'invoice' },
					{ name: 'Lead', value: 'lead' },
					{ name: 'Notification', value: 'notification' },
					{ name: 'Other Entity', value: 'otherEntity' },
					{ name: 'Product Row', value: 'productRow' },
					{ name: 'Quote', value: 'quote' },
					{ name: 'Smart Process Item', value: 'smartProcessItem' },
					{ name: 'Task', value: 'task' },
					{ name: 'Timeline', value: 'timeline' },
					{ name: 'User', value: 'user' },
				],
				default: 'automationTrigger',
			},
			...automationTrigger.description,
			...record.description,
			...apiCall.description,
			...user.description,
			...notification.description,
			...chatMessage.description,
			...task.description,
			...productRow.description,
			...timeline.description,
		]),
	};

	methods = {
		listSearch: { searchEntities, searchTriggers },
		loadOptions: { getOtherEntities, getPipelinesOptional, getRecordFieldNames, getSmartProcessTypes, getStagesOptional, getUsers, getUsersOptional },
		resourceMapping: { getRecordFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
