import type { INodeProperties } from 'n8n-workflow';

import { ENTITY_TYPES, SMART_PROCESS_ITEM, SMART_PROCESS_TYPE } from '../helpers/entities';
import { smartProcessTypeParameter } from '../helpers/smartProcesses';
import { WITH_STAGE } from './parameters';

/** What the editor's node creator shows over the Bitrix24 entry, which holds both nodes (see the description). */
export const TRIGGER_DESCRIPTION =
	'Create, find and update Bitrix24 CRM records and fire automation triggers, or start a workflow when records are created, changed or reach a stage';

/** The Event parameter, once per group of entity types (leads have statuses, people and companies neither). */
const eventParameter = (types: string[], stage?: string): INodeProperties => ({
	displayName: 'Event',
	name: 'event',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { entityType: types } },
	options: [
		{ name: 'New Record', value: 'newRecord', description: 'A record was created' },
		{ name: 'Updated Record', value: 'updatedRecord', description: 'A record was changed after it was created' },
		...(stage
			? [{ name: `Entered ${stage}`, value: 'enteredStage', description: `A record arrived at the chosen ${stage.toLowerCase()}, created there or moved there` }]
			: []),
	],
	default: 'newRecord',
});

/** A stage (or status) picker for Entered Stage; `types` are the entity types it is shown for. */
const stageParameter = (name: string, label: string, types: string[], required: boolean): INodeProperties => ({
	displayName: required ? `${label} Name or ID` : `From ${label} Name or ID`,
	name,
	type: 'options',
	typeOptions: { loadOptionsMethod: required ? 'getStages' : 'getStagesOptional', loadOptionsDependsOn: ['entityType', SMART_PROCESS_TYPE, 'pipeline'] },
	displayOptions: { show: { entityType: types, event: ['enteredStage'] } },
	default: '',
	required,
	description:
		'Stage: the one to watch. From Stage: only records the trigger saw there since its activation. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
});

/** The kinds of record the trigger watches: the six CRM types and a smart process's items. */
const ENTITY_TYPE_OPTIONS = [...ENTITY_TYPES.map(({ name, value }) => ({ name, value })), { name: 'Smart Process Item', value: SMART_PROCESS_ITEM }];

/** The Bitrix24 Trigger's parameters. */
export const triggerProperties: INodeProperties[] = [
		{
			displayName: 'Entity Type',
			name: 'entityType',
			type: 'options',
			noDataExpression: true,
			options: ENTITY_TYPE_OPTIONS,
			default: 'deal',
			description: 'The kind of CRM record to watch',
		},
		smartProcessTypeParameter({ entityType: [SMART_PROCESS_ITEM] }, 'whose items to watch', { required: true }),
		eventParameter(WITH_STAGE, 'Stage'),
		eventParameter(['lead'], 'Status'),
		eventParameter(['company', 'contact']),
		{
			// Not "Pipeline Name or ID": the Filters collection has a pipeline of its own, and the two read alike.
			displayName: "Stage's Pipeline Name or ID",
			name: 'pipeline',
			type: 'options',
			typeOptions: { loadOptionsMethod: 'getPipelinesOptional', loadOptionsDependsOn: ['entityType', SMART_PROCESS_TYPE] },
			displayOptions: { show: { entityType: ['deal', SMART_PROCESS_ITEM], event: ['enteredStage'] } },
			default: '',
			description:
				'The pipeline whose stages the Stage list shows; empty shows every pipeline\'s. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		stageParameter('stage', 'Stage', WITH_STAGE, true),
		stageParameter('stage', 'Status', ['lead'], true),
		stageParameter('fromStage', 'Stage', WITH_STAGE, false),
		stageParameter('fromStage', 'Status', ['lead'], false),
		{
			displayName: 'Watch Field Names or IDs',
			name: 'watchFields',
			type: 'multiOptions',
			typeOptions: { loadOptionsMethod: 'getWatchableFields', loadOptionsDependsOn: ['entityType', SMART_PROCESS_TYPE] },
			displayOptions: { show: { event: ['updatedRecord'] } },
			default: [],
			description:
				'Emit an update only when one of these fields changed; none chosen: any change. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		},
		{
			displayName: 'Filters',
			name: 'filters',
			type: 'collection',
			placeholder: 'Add filter',
			default: {},
			options: [
				{
					displayName: 'Responsible User Name or ID',
					name: 'assignedById',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getUsersOptional' },
					default: '',
					description:
						'Only records assigned to this Bitrix24 user. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Pipeline Name or ID',
					name: 'categoryId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getPipelinesOptional', loadOptionsDependsOn: ['entityType', SMART_PROCESS_TYPE] },
					displayOptions: { show: { '/entityType': ['deal', SMART_PROCESS_ITEM] } },
					default: '',
					description:
						'Only deals (or smart-process items) in this pipeline. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Stage Name or ID',
					name: 'stageId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getStagesOptional', loadOptionsDependsOn: ['entityType', SMART_PROCESS_TYPE, 'filters.categoryId'] },
					displayOptions: { show: { '/entityType': WITH_STAGE, '/event': ['newRecord', 'updatedRecord'] } },
					default: '',
					description:
						'Only records at this stage. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Status Name or ID',
					name: 'statusId',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getStagesOptional', loadOptionsDependsOn: ['entityType'] },
					displayOptions: { show: { '/entityType': ['lead'], '/event': ['newRecord', 'updatedRecord'] } },
					default: '',
					description:
						'Only leads with this status. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
			],
		},
];
