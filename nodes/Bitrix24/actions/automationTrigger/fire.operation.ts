import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { unknownTriggerError } from '../../errors';
import { ENTITY_TYPES } from '../../helpers/entities';
import { fetchTriggers } from '../../helpers/triggers';
import { PATTERNS, locatorValue, parseEntity, parseEntityType, parseTriggerCode } from '../../helpers/validate';
import { vibeRequest } from '../../transport';
import { requestOptions } from '../requestOptions';
import { runItems, type ItemOperation } from '../runItems';

const properties: INodeProperties[] = [
	{
		displayName: 'Entity Type',
		name: 'entityType',
		type: 'options',
		noDataExpression: false,
		options: ENTITY_TYPES.map(({ name, value }) => ({ name, value })),
		default: 'deal',
		required: true,
		description: 'The kind of CRM record the trigger fires on',
	},
	{
		displayName: 'Entity',
		name: 'entity',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The CRM record to fire the trigger on, by its numeric ID (the number in its Bitrix24 address, e.g. 5141 in /crm/deal/details/5141/). Bitrix24 runs the robots configured for the trigger at the record\'s current stage.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Search by title or name…',
				typeOptions: { searchListMethod: 'searchEntities', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: 'e.g. 5141',
				validation: [
					{
						type: 'regex',
						properties: { regex: PATTERNS.entityId, errorMessage: 'The ID is a positive whole number, such as 5141' },
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: 'e.g. https://your-portal.bitrix24.com/crm/deal/details/5141/',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: PATTERNS.entityUrl,
							errorMessage: 'Paste the address of a Bitrix24 CRM record page',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Trigger',
		name: 'trigger',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description: 'The code of the automation trigger to fire, e.g. payment_received (the CODE that Get Many returns)',
		hint: 'From List needs an OAuth Application credential. With a personal key use By Code: VibeCode cannot verify the code, and an unknown code fires nothing without an error.',
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a trigger…',
				typeOptions: { searchListMethod: 'searchTriggers', searchable: true },
			},
			{
				displayName: 'By Code',
				name: 'code',
				type: 'string',
				placeholder: 'e.g. payment_received',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: PATTERNS.triggerCode,
							errorMessage: 'A trigger code has letters, digits, "_", "-", "." or ":" only',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			...requestOptions,
			{
				displayName: 'Verify Trigger Code',
				name: 'verifyTriggerCode',
				type: 'boolean',
				default: true,
				description:
					'Whether to check each code against the trigger list before firing (OAuth Application credentials only; one list request per run). VibeCode accepts unknown codes silently.',
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['automationTrigger'], operation: ['fire'] } }, properties);

interface FireRequest {
	entityType: string;
	entityId: number;
	triggerId: string;
}

/** POST /v1/triggers/fire for each item: `{ success, accepted, entityType, entityId, triggerId }`. */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const verify = (this.getNodeParameter('options', 0, {}) as IDataObject).verifyTriggerCode !== false;
	const fire: ItemOperation<FireRequest> = {
		read: (itemIndex) => {
			const entityType = parseEntityType(this.getNodeParameter('entityType', itemIndex));
			return {
				entityType,
				entityId: parseEntity(this.getNodeParameter('entity', itemIndex), entityType),
				triggerId: parseTriggerCode(this.getNodeParameter('trigger', itemIndex)),
			};
		},

		// One GET /v1/triggers per run: an unknown code fails its item instead of firing into the void.
		// Only an OAuth application can list the codes.
		check: async (session, items) => {
			if (!verify || session.keyType !== 'oauthApp') return new Map();
			const registered = (await fetchTriggers.call(this, session, items[0].itemIndex)).map(({ code }) => code);
			return new Map(
				items
					.filter(({ request }) => !registered.includes(request.triggerId))
					.map(({ itemIndex, request }) => [itemIndex, unknownTriggerError(request.triggerId, registered)]),
			);
		},

		send: async (session, request, itemIndex) => {
			const { data } = await vibeRequest.call(this, session, {
				method: 'POST',
				path: '/v1/triggers/fire',
				body: { ...request },
				itemIndex,
			});
			return [{ success: true, accepted: data === true, ...request }];
		},

		// An item refused before sending shows its values as given, so it can be found and fixed.
		fields: (itemIndex, request) => {
			if (request) return { ...request };
			const given = (name: string) => {
				try {
					return (locatorValue(this.getNodeParameter(name, itemIndex)) ?? null) as IDataObject[string];
				} catch {
					return null;
				}
			};
			return { entityType: given('entityType'), entityId: given('entity'), triggerId: given('trigger') };
		},
	};
	return await runItems.call(this, fire);
}
