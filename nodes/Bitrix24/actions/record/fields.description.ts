import type { INodeProperties } from 'n8n-workflow';

import { ENTITY_TYPES, OTHER_ENTITY, RECORD_RESOURCES, RECORD_TYPES, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE } from '../../helpers/entities';

/**
 * The record resources a field is hidden for (Other Entity among them). `hide`, not `show`: updateDisplayOptions
 * merges its own `show.resource` list over a field's, index by index, which would undo a narrower `show`.
 */
const except = (...resources: string[]) => [...RECORD_RESOURCES, OTHER_ENTITY].filter((value) => !resources.includes(value));

/**
 * The field mapper: the portal's fields of the resource (GET /v1/{entity}/fields), loaded by getRecordFields.
 * An update finds its record by the Record locator, so its mapper is n8n's "add" kind without a match field,
 * starting empty.
 */
export function fieldsMapper(operation: 'create' | 'update' | 'upsert'): INodeProperties {
	const mode = operation === 'upsert' ? 'upsert' : 'add';
	return {
		displayName: 'Fields',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['resource', OTHER_ENTITY, SMART_PROCESS_TYPE, 'operation', 'options.listEntries'],
			resourceMapper: {
				resourceMapperMethod: 'getRecordFields',
				mode,
				fieldWords: { singular: 'field', plural: 'fields' },
				// Only the fields the user adds: all of them at once would store 0 and false for untouched number and yes/no
				// fields (n8n's editor does so) and send them, overwriting the portal's defaults.
				addAllFields: false,
				multiKeyMatch: false,
				supportAutoMap: true,
				matchingFieldsLabels:
					mode === 'upsert'
						? {
								title: 'Field to Match On',
								// n8n 2.x shows `hint` under the field; `description` only as a tooltip.
								hint: 'The field that finds the existing record, such as Email or an order number. When no record has the value, a new one is created.',
							}
						: undefined,
			},
		},
		description:
			'The fields to set, as the portal defines them (custom fields included). Phone and email take text, a list separated by commas, or a list. Pipeline, stage or status and the responsible person are set above.',
	};
}

/** The CRM types a task may belong to, as the CRM Records parameter offers them. */
const ENTITY_TYPE_OPTIONS = ENTITY_TYPES.map(({ name, value }) => ({ name, value }));

/**
 * Pipeline, stage or status and the responsible person, as dropdowns loaded from the portal (stages follow the
 * pipeline), or an ID from an expression. Empty leaves the portal's default (a create) or the current value.
 */
export function portalDropdowns(leaveEmpty: string): INodeProperties[] {
	return [
		{
			displayName: 'Pipeline Name or ID',
			name: 'pipeline',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getPipelinesOptional', loadOptionsDependsOn: ['resource', SMART_PROCESS_TYPE] },
			default: '',
			description: `The pipeline of the deal or smart-process item. ${leaveEmpty} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: { hide: { resource: except('deal', SMART_PROCESS_ITEM) } },
		},
		{
			displayName: 'Stage Name or ID',
			name: 'stage',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getStagesOptional', loadOptionsDependsOn: ['pipeline', 'resource', SMART_PROCESS_TYPE] },
			default: '',
			description: `The stage the record is in; for deals and smart-process items, the stages of the chosen pipeline. ${leaveEmpty} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: { hide: { resource: except('deal', 'invoice', 'quote', SMART_PROCESS_ITEM) } },
		},
		{
			displayName: 'Status Name or ID',
			name: 'stage',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getStagesOptional', loadOptionsDependsOn: ['resource'] },
			default: '',
			description: `The lead's status. ${leaveEmpty} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			displayOptions: { hide: { resource: except('lead') } },
		},
		{
			displayName: 'Responsible Person Name or ID',
			name: 'responsible',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getUsersOptional' },
			default: '',
			description: `The portal user responsible for the record. ${leaveEmpty} Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
			// A CRM record's assignedById, a task's responsibleId; another entity names its responsible person its own way, mapped under Fields.
			displayOptions: { hide: { resource: [OTHER_ENTITY] } },
		},
		{
			displayName: 'CRM Records',
			name: 'crmRecords',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add CRM Record',
			default: {},
			description: `The CRM records the task belongs to, such as Deal 5141: shown on the task and the task on their timelines. ${leaveEmpty} On an update the list given replaces the task's.`,
			displayOptions: { hide: { resource: except(...RECORD_TYPES.filter(({ crmLinkField }) => crmLinkField).map(({ value }) => value)) } },
			options: [
				{
					displayName: 'Record',
					name: 'records',
					values: [
						{
							displayName: 'Type',
							name: 'entityType',
							type: 'options',
							options: ENTITY_TYPE_OPTIONS,
							default: 'deal',
						},
						{
							displayName: 'Record ID',
							name: 'id',
							type: 'string',
							default: '',
							placeholder: '5141',
							description: "The record's ID: the number in its address",
						},
					],
				},
			],
		},
	];
}
